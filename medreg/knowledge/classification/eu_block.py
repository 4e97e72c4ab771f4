"""The EU market block: curated IVDR class, or the MDR class recomputed from attributes."""
from __future__ import annotations

from typing import Callable, Optional

from medreg.language import tr
from medreg.knowledge.classification.rules_eu import EuResult, base_class, classify_mdr
from medreg.knowledge.classification.rules_ivdr import classify_ivdr, ivdr_rationale
from medreg.knowledge.classification.software_trace import software_trace

_PATHWAY = {
    "I": {"en": "Self-declaration: technical documentation (Annexes II–III) and EU declaration of conformity; no notified body",
            "ko": "자기적합선언: 기술문서(부속서 II–III)와 EU 적합성 선언, 인증기관 불필요"},
    "Is": {"en": "Self-declaration plus a notified body for the sterile aspects (Annex IX or XI part A)",
            "ko": "자기적합선언 + 멸균 측면에 대한 인증기관 심사(부속서 IX 또는 XI Part A)"},
    "Im": {"en": "Self-declaration plus a notified body for the metrology aspects (Annex IX or XI part A)",
            "ko": "자기적합선언 + 계측 측면에 대한 인증기관 심사(부속서 IX 또는 XI Part A)"},
    "Ir": {"en": "Self-declaration plus a notified body for the reprocessing aspects (Annex IX or XI part A)",
            "ko": "자기적합선언 + 재처리 측면에 대한 인증기관 심사(부속서 IX 또는 XI Part A)"},
    "IIa": {"en": "Notified body: QMS audit (Annex IX chapter I) with technical documentation sampled per device category, or Annex XI",
            "ko": "인증기관: 품질경영시스템 심사(부속서 IX 1장) 및 기술문서 표본 심사, 또는 부속서 XI"},
    "IIb": {"en": "Notified body: Annex IX QMS audit and technical documentation assessment (or Annex X type examination with Annex XI)",
            "ko": "인증기관: 부속서 IX 품질경영시스템 심사 및 기술문서 심사(또는 부속서 X 형식시험 + 부속서 XI)"},
    "III": {"en": "Notified body: Annex IX QMS audit and technical documentation assessment of each device; clinical investigation normally required (Article 61)",
            "ko": "인증기관: 부속서 IX 품질경영시스템 심사 및 기기별 기술문서 심사, 임상시험 통상 필요(제61조)"},
    "A": {"en": "Self-declaration (IVDR Annex II–III); a notified body only for sterile class A devices",
            "ko": "자기적합선언(IVDR 부속서 II–III), 멸균 A등급만 인증기관"},
    "B": {"en": "Notified body: IVDR Annex IX QMS audit with technical documentation sampled",
          "ko": "인증기관: IVDR 부속서 IX 품질경영시스템 심사 및 기술문서 표본 심사"},
    "C": {"en": "Notified body: IVDR Annex IX QMS audit and technical documentation assessment",
          "ko": "인증기관: IVDR 부속서 IX 품질경영시스템 및 기술문서 심사"},
    "D": {"en": "Notified body: IVDR Annex IX, batch verification and an EU reference laboratory",
          "ko": "인증기관: IVDR 부속서 IX, 로트 검증 및 EU 참조 실험실"},
}


def eu_pathway(cls: Optional[str], language: str) -> Optional[str]:
    """The conformity route for an EU class in the request language."""
    if cls not in _PATHWAY:
        return None
    return tr(_PATHWAY[cls], language)


_RATIONALE = {
    "head": {"en": "MDR Annex VIII, strictest applicable rule (implementing rule 3.5): ",
             "ko": "MDR 부속서 VIII, 가장 높은 규칙 적용(시행규칙 3.5): "},
    "rule": {"en": "Rule {rule}: {why} → {cls}", "ko": "규칙 {rule}: {why} → {cls}"},
    "suffix": {"en": " (sterile / measuring / reusable → {cls})", "ko": " (멸균/계측/재사용 → {cls})"},
    "ivdr": {"en": "IVDR Annex VIII {rules}: {note}", "ko": "IVDR 부속서 VIII {rules}: {note}"},
}


def _rationale(result: EuResult, language: str, note: str = "") -> str:
    deciding = [f for f in result.findings if f"Rule {f.rule}" in result.rules and base_class(result.cls) == f.cls]
    parts = [tr(_RATIONALE["rule"], language, rule=f.rule, why=tr(f.why, language), cls=f.cls) for f in deciding]
    text = tr(_RATIONALE["head"], language) + "; ".join(parts)
    if result.cls != base_class(result.cls):
        text += tr(_RATIONALE["suffix"], language, cls=result.cls)
    return text + (" " + note if note else "")


def _block(cls: Optional[str], rules: list[str], rationale: str, language: str, **extra) -> dict:
    # An unverified IVD has no class but a tentative one: its rules are still the IVDR's.
    ivd = cls in ("A", "B", "C", "D") or extra.get("tentative_class") in ("A", "B", "C", "D")
    block = {"authority": "EU IVDR 2017/746" if ivd else "EU MDR 2017/745", "regulation": "IVDR" if ivd else "MDR",
             "class": cls, "rules": rules, "pathway": eu_pathway(cls, language), "rationale": rationale,
             "citations": [f"{'IVDR' if ivd else 'MDR'} Annex VIII {r}" for r in rules], "verified": True,
             "needs_review": False, "derived": False}
    block.update(extra)
    return block


_TEXT = {
    "unverified": {"en": "The EU classification of this type is not verified; needs review.",
                   "ko": "이 유형의 EU 등급은 확인되지 않았습니다. 검토가 필요합니다."},
    "changed": {"en": "The description changes the attributes the rules use, so the class was recomputed.",
            "ko": "설명의 내용이 분류 규칙의 속성을 바꾸어 등급을 다시 계산했습니다."},
    "derived": {"en": "Derived from the attributes known (device type and description); no curated EU class, needs review.",
            "ko": "알려진 속성(기기 유형과 설명)으로 추정한 등급입니다. 확인된 EU 등급이 없어 검토가 필요합니다."},
    "ivd": {"en": "An in-vitro diagnostic is classified under IVDR Annex VIII (classes A–D); no device type matched, so no class is given from the description alone; needs review.",
            "ko": "체외진단기기는 IVDR 부속서 VIII(A–D 등급)에 따라 분류합니다. 일치하는 기기 유형이 없어 설명만으로는 등급을 정하지 않습니다. 검토가 필요합니다."},
    "none": {"en": "No device type matched well enough to classify; describe the intended purpose and mechanism.",
            "ko": "분류할 만큼 잘 맞는 기기 유형이 없습니다. 사용 목적과 작동 원리를 알려 주세요."},
}


def _t(key: str, language: str) -> str:
    return tr(_TEXT[key], language)


def eu_block(device: Optional[dict], attrs: dict, device_attrs: dict, language: str,
             driven_class: Callable[[str], Optional[str]], derived: bool = False, words: str = "") -> dict:
    """The EU block for the matched device type (or for text-only attributes when derived), with the
    MDCG 2019-11 qualification and Rule 11 trace for standalone software."""
    block = _eu_block(device, attrs, device_attrs, language, driven_class, derived, words)
    trace = software_trace(attrs, language)
    if trace and (block.get("class") or block.get("tentative_class")):
        # A field of its own too, so that an engine rewording the rationale keeps the knowledge base's trace.
        block.update({"software_trace": trace, "rationale": f"{block['rationale']} {trace}",
                      "citations": [*block["citations"], "MDCG 2019-11"]})
    return block


def _ivdr_derived(attrs: dict, language: str, words: str) -> dict:
    """No curated IVDR class: the IVDR Annex VIII rules read from the words, as a suggestion to review."""
    result = classify_ivdr(words, attrs)
    return _block(result.cls, result.rules, ivdr_rationale(result, language, derived=True, sterile=bool(attrs.get("sterile"))),
                  language, citations=result.citations, derived=True, needs_review=True, verified=False,
                  self_testing=result.self_testing)


def _eu_block(device: Optional[dict], attrs: dict, device_attrs: dict, language: str,
              driven_class: Callable[[str], Optional[str]], derived: bool, words: str) -> dict:
    eu = (device or {}).get("eu")
    if eu and (eu.get("regulation") == "IVDR" or eu.get("class") in ("A", "B", "C", "D")):
        # IVDs keep their curated IVDR class: IVDR Annex VIII rules are not recomputed here.
        if eu.get("verified") is False:
            return _block(None, list(eu.get("rules") or []), _t("unverified", language), language,
                          tentative_class=eu.get("class"), needs_review=True, verified=False)
        note = eu.get("note") or ""
        rationale = tr(_RATIONALE["ivdr"], language, rules=", ".join(eu.get("rules") or []), note=note)
        rules = list(eu.get("rules") or [])
        read = classify_ivdr(words, attrs) if language == "ko" and words else None
        if read and read.cls == eu["class"] and set(read.rules) <= set(rules):
            # The curated note is English; where the rules read from the words agree, say them in Korean.
            rationale = ivdr_rationale(read, language, derived=False)
        return _block(eu["class"], rules, rationale.rstrip(": "), language,
                      self_testing="Rule 4" in rules or bool(attrs.get("home_use")))
    if attrs.get("ivd"):
        if device is None and not derived:
            # Nothing matched: no class, whatever the words alone suggest.
            return _block(None, [], _t("ivd", language), language, regulation="IVDR", authority="EU IVDR 2017/746",
                          needs_review=True, verified=False)
        return _ivdr_derived(attrs, language, words)
    if device is None and not derived:
        result = classify_mdr(attrs, driven_class)
        return _block(None, [], _t("none", language), language, needs_review=True, verified=False,
                      derived=True, derived_class=result.cls)
    if eu and eu.get("verified") is False:
        return _block(None, list(eu.get("rules") or []), _t("unverified", language), language,
                      tentative_class=eu.get("class"), needs_review=True, verified=False)
    result = classify_mdr(attrs, driven_class)
    if eu and not derived:
        curated = classify_mdr(device_attrs, driven_class)
        if result.cls == curated.cls and curated.cls == eu["class"]:
            return _block(eu["class"], list(eu.get("rules") or result.rules), _rationale(result, language), language)
        if result.cls != curated.cls:
            return _block(result.cls, result.rules, _rationale(result, language, _t("changed", language)), language,
                          curated_class=eu["class"])
        # Rules and curated class disagree: a data problem; say so rather than pick one silently.
        return _block(None, list(eu.get("rules") or []), _t("unverified", language), language,
                      tentative_class=eu["class"], computed_class=result.cls, needs_review=True, verified=False)
    return _block(result.cls, result.rules, _rationale(result, language, _t("derived", language)), language,
                  derived=True, needs_review=True, verified=False)
