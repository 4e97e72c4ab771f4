"""Korea (MFDS): grade and pathway from the item code, or a grade derived from 별표 1 criteria.

의료기기법 시행규칙 별표 1 1.나 judges potential risk by (1) duration of contact with the
body, (2) degree of invasiveness, (3) whether medicine or energy is delivered to the patient,
(4) biological effect on the patient; where two grades apply, the higher one (1.가). 제4조:
grade 1 → 신고, grade 2 → 인증 (허가 when not equivalent to an authorised device), 3–4 → 허가.
"""
from __future__ import annotations

from typing import Optional

from medreg.language import Text, tr

PATHWAY: dict[int, Text] = {
    1: {"en": "Notification (신고)", "ko": "신고"},
    2: {"en": "Certification (인증)", "ko": "인증"},
    3: {"en": "Approval (허가)", "ko": "허가"},
    4: {"en": "Approval (허가)", "ko": "허가"},
}
CITE_PATHWAY = "의료기기법 시행규칙 제4조"
CITE_CRITERIA = "의료기기법 시행규칙 별표 1"


def pathway(grade: int, language: str) -> str:
    """The MFDS route for a grade in the request language."""
    return tr(PATHWAY[grade], language)


def derive_grade(attrs: dict) -> tuple[int, list[str]]:
    """A grade from the four 별표 1 criteria; the highest criterion wins (별표 1 1.가)."""
    grade, why = 1, ["contact/invasiveness: minimal"]
    inv = attrs.get("invasiveness") or "non_invasive"
    duration = attrs.get("duration") or "transient"

    def raise_to(g: int, reason: str) -> None:
        nonlocal grade
        if g > grade:
            grade = g
            why.append(reason)
        elif g == grade:
            why.append(reason)

    # (1) duration of contact and (2) degree of invasiveness
    if inv == "implantable":
        raise_to(3, "implanted in the body")
    elif inv == "surgically_invasive":
        raise_to(3 if duration == "long_term" else 2, f"surgically invasive, {duration}")
    elif inv == "body_orifice":
        raise_to(3 if duration == "long_term" else (2 if duration == "short_term" else 1), f"body orifice, {duration}")
    if attrs.get("body_contact") == "injured_skin":
        raise_to(2, "contact with injured skin")
    if attrs.get("central_circulatory_cns") or attrs.get("body_contact") in ("central_circulatory", "central_nervous"):
        raise_to(4, "contact with the heart, central circulation or CNS")
    # (3) delivery of medicine or energy
    if attrs.get("administers_medicine"):
        raise_to(3 if attrs.get("administration_hazardous") else 2, "delivers medicine or body liquids")
    if attrs.get("active") and attrs.get("active_function") == "therapeutic":
        raise_to(3 if attrs.get("energy_hazardous") else 2, "delivers energy to the patient")
    if attrs.get("ionizing_radiation"):
        raise_to(3 if attrs.get("active_function") == "therapeutic" else 2, "ionising radiation")
    if attrs.get("active") and attrs.get("active_function") in ("diagnostic", "monitoring"):
        raise_to(3 if attrs.get("monitors_vital") else 2, "active diagnosis or monitoring")
    if attrs.get("life_supporting"):
        raise_to(4 if inv == "implantable" else 3, "life-supporting")
    # (4) biological effect on the patient
    if attrs.get("biological_effect") or attrs.get("medicinal_substance") or attrs.get("animal_human_tissue"):
        raise_to(4, "biological effect, medicinal substance or tissue of biological origin")
    if inv == "implantable" and attrs.get("active"):
        raise_to(4, "active implant")
    decision = attrs.get("software_decision")
    if attrs.get("software_only") and decision:
        raise_to({"death_or_irreversible": 3, "serious_deterioration": 3, "monitor_vital": 3}.get(decision, 2),
                 f"software decision impact: {decision}")
    return grade, why


_TEXTS: dict[str, Text] = {
    "ok": {
        "en": "MFDS item {code} {name}: grade {grade}, route: {path}.",
        "ko": "품목 {code} {name} — {grade}등급, 경로: {path}.",
    },
    "grade2": {
        "en": " Grade 2 is certified (인증) when equivalent to an authorised device, otherwise approved (허가).",
        "ko": " 2등급은 기존 허가·인증 제품과 동등하면 인증, 동등하지 않으면 허가 대상입니다.",
    },
    "derived": {
        "en": "No MFDS item matched, so no grade is given; the 별표 1 criteria (contact duration, invasiveness, delivery of medicine or energy, biological effect) suggest grade {grade}: a suggestion, not a grade, needs review. Confirm the item with MFDS or NIDS.",
        "ko": "일치하는 MFDS 품목을 찾지 못해 등급을 정하지 않았습니다. 별표 1 기준(접촉 기간, 침습 정도, 약품·에너지 전달, 생물학적 영향)으로는 {grade}등급이 제안됩니다(제안값이며 등급이 아님, 검토 필요). 품목 분류는 식약처 또는 한국의료기기안전정보원에 확인하세요.",
    },
    "unverified": {
        "en": "The MFDS item and grade are not verified (needs review).",
        "ko": "MFDS 품목·등급이 확인되지 않았습니다(검토 필요).",
    },
    "ivd": {
        "en": "IVD grades follow the in-vitro diagnostic medical devices act criteria, so no grade is derived from a description; confirm the MFDS item (needs review).",
        "ko": "체외진단의료기기의 등급은 체외진단의료기기법의 등급 기준을 따르므로 설명만으로 추정하지 않습니다. 해당 품목을 확인하세요(검토 필요).",
    },
    "none": {
        "en": "Neither a device type nor an MFDS item matched, so no grade is given; describe the intended purpose and mechanism to assess it against the 별표 1 criteria.",
        "ko": "일치하는 기기 유형도 MFDS 품목도 찾지 못해 등급을 정하지 않았습니다. 사용 목적과 작동 원리를 알려 주시면 별표 1 기준으로 검토할 수 있습니다.",
    },
}


def kr_none_text(language: str) -> str:
    """Why there is no KR grade when nothing matched."""
    return tr(_TEXTS["none"], language)


def kr_block(device: Optional[dict], attrs: dict, language: str) -> dict:
    """The KR block: item-code grade when the device type has one, otherwise a derived grade."""
    kr = (device or {}).get("kr")
    if kr and kr.get("verified", True) is not False and kr.get("grade"):
        return item_block(kr.get("item_codes") or [], int(kr["grade"]), kr.get("item_name_ko"), kr.get("source"), language)
    if attrs.get("ivd"):
        # IVD grades follow the 체외진단의료기기 criteria, not 별표 1: nothing is derived for them.
        return {"authority": "MFDS", "class": None, "grade": None, "pathway": None, "item_code": None,
                "item_name": None, "derived": False, "needs_review": True, "verified": False,
                "rationale": tr(_TEXTS["ivd"], language), "citations": []}
    grade, why = derive_grade(attrs)
    # A derived grade is a suggestion, not an answer. The contract's KR field is `grade` (CONTRACT.md),
    # with nothing for a suggestion: `class` and `grade` stay null, the block needs review, and the
    # suggestion is its first alternative (and `derived_class`, as the EU block names its own).
    suggestion = {"grade": grade, "pathway": pathway(grade, language), "derived": True, "basis": CITE_CRITERIA,
                  "criteria": why}
    return {"authority": "MFDS", "class": None, "grade": None, "derived_class": str(grade), "pathway": None,
            "item_code": None, "item_name": None, "derived": True, "needs_review": True, "verified": False,
            "criteria": why, "alternatives": [suggestion],
            "rationale": (tr(_TEXTS["unverified"], language) + " " if kr else "") + tr(_TEXTS["derived"], language, grade=grade),
            "citations": [CITE_CRITERIA, CITE_PATHWAY]}


def item_block(codes: list[str], grade: int, name: Optional[str], source: Optional[str], language: str,
               imported: bool = False) -> dict:
    """The KR block for a known MFDS item."""
    rationale = tr(_TEXTS["ok"], language, code=", ".join(codes), name=name or "", grade=grade, path=pathway(grade, language))
    if grade == 2:
        rationale += tr(_TEXTS["grade2"], language)
    citations = [source] if source else []
    citations += [f"의료기기 품목 및 품목별 등급에 관한 규정 {c}" for c in codes if not source or c not in source]
    citations.append(CITE_PATHWAY)
    block = {"authority": "MFDS", "class": str(grade), "grade": grade, "pathway": pathway(grade, language),
             "item_code": codes[0] if codes else None, "item_codes": codes, "item_name": name, "derived": False,
             "needs_review": False, "verified": True, "rationale": rationale, "citations": citations}
    if imported:
        block["imported"] = True
    return block
