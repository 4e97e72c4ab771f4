"""A class without a device type: when no type matched well enough to be the answer, but the
closest curated types (almost tied) give one market the same class, that class is answered for
that market, flagged for review, with the types it rests on.

"HbA1c rapid test for clinics" meets the professional HbA1c analyzer and the HbA1c home test
equally (0.54, under the match floor): which one it is, a person must say, but both are FDA
class II (21 CFR 862.1373, product code PDJ; 21 CFR 864.7470, NGB), so the US class is known while the product code and the EU class
(IVDR B or C) and the KR grade (1 or 2) are not. The answer's confidence is left as it is (low:
nothing matched), so it is never one to act on unreviewed.
"""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.classification.matching import Match
from medreg.knowledge.classification.us import ROMAN
from medreg.language import tr

IVDR_CLASSES = frozenset("ABCD")
FLOOR = 0.45    # the closest types must each be at least this near the concept
GAP = 0.05      # ... and this close to the best of them (else the best is simply a weak match)

_TEXT = {"en": "No single device type matched; the closest ones ({names}) all give class {cls} here, so the "
               "class is answered without a {code}; which type it is decides the rest. Needs review.",
         "ko": "하나의 기기 유형으로 정해지지 않았습니다. 가장 가까운 유형({names})이 모두 이 시장에서 {cls}에 "
               "해당하므로 {code} 없이 등급만 답합니다. 어느 유형인지에 따라 나머지가 정해집니다. 검토가 필요합니다."}
_ENTRY_TEXT = {"en": "No product code matched; the closest FDA entries ({names}) are all class {cls}, so the class "
                     "is answered without a product code; which entry it is decides the rest. Needs review.",
               "ko": "제품 코드가 정해지지 않았습니다. 가장 가까운 FDA 항목({names})이 모두 {cls}등급이므로 제품 코드 없이 "
                     "등급만 답합니다. 어느 항목인지에 따라 나머지가 정해집니다. 검토가 필요합니다."}
# Measured on catalogue holdouts 1-6, over the rows left without a US class: near FDA entries that
# agree gave the right class 28 times and a wrong one 5 times at (0.4, 0.05); 37 / 10 with no floor.
# For MFDS items the same agreement was right only 6 times in 12, so KR is left open.
ENTRY_FLOOR = 0.4
ENTRY_GAP = 0.05
_CODE = {"US": {"en": "product code", "ko": "제품 코드"}, "EU": {"en": "device type", "ko": "기기 유형"},
         "KR": {"en": "item code", "ko": "품목 코드"}}


def near_types(curated: list[Match]) -> list[Match]:
    """The almost-tied closest curated types (two or more), or none."""
    if not curated:
        return []
    top = curated[0].score
    near = [m for m in curated if m.score >= FLOOR and m.score >= top - GAP]
    return near if len(near) >= 2 else []


def near_fda_entries(imported: list[Match], primary_id: Optional[str]) -> list[Match]:
    """The almost-tied closest FDA entries (two or more) among the top official matches, or none."""
    fda = [m for m in imported[:3] if m.candidate.source == "fda" and m.candidate.id != primary_id]
    if not fda or fda[0].score < ENTRY_FLOOR:
        return []
    near = [m for m in fda if m.score >= fda[0].score - ENTRY_GAP]
    return near if len(near) >= 2 else []


def agree_us_entries(block: dict, near: list[Match], language: str) -> None:
    """Give a classless US block the class every near FDA entry has (in place), citing their regulations."""
    classes = {ROMAN.get(str(m.candidate.payload.get("class") or "")) for m in near}
    if block.get("class") is not None or len(classes) != 1 or None in classes:
        return
    cls = classes.pop()
    regulations = [f"21 CFR {m.candidate.payload['regulation']}" for m in near if m.candidate.payload.get("regulation")]
    names = ", ".join(f"{m.candidate.payload.get('code')} {m.candidate.name}" for m in near)
    block.update({"class": cls, "needs_review": True, "class_from": "catalogue_agreement",
                  "agreed_entries": [m.candidate.id for m in near],
                  "citations": list(dict.fromkeys(regulations + list(block.get("citations") or []))),
                  "rationale": tr(_ENTRY_TEXT, language, names=names, cls=cls)})


def _class(market: str, device: dict) -> Optional[str]:
    """One market's verified class of a curated type, as the market block writes it."""
    block = device.get({"US": "us", "EU": "eu", "KR": "kr"}[market]) or {}
    if block.get("verified", True) is False:
        return None
    if market == "US":
        return ROMAN.get(str(block.get("class") or ""))
    if market == "KR":
        return str(block["grade"]) if block.get("grade") else None
    return block.get("class")


def agree(blocks: dict[str, dict], near: list[Match], language: str) -> None:
    """Give each classless market block the class all the near types agree on (in place)."""
    names = ", ".join((m.candidate.name_ko or m.candidate.name) if language == "ko" else m.candidate.name
                      for m in near)
    for market, block in blocks.items():
        if block.get("class") is not None:
            continue
        classes = {_class(market, m.candidate.payload) for m in near}
        if len(classes) != 1 or None in classes:
            continue
        cls = classes.pop()
        block.update({"class": cls, "needs_review": True, "class_from": "agreement",
                      "agreed_types": [m.candidate.id for m in near],
                      "rationale": tr(_TEXT, language, names=names, cls=cls, code=tr(_CODE[market], language))})
        if market == "KR":
            block["grade"] = int(cls)
        if market == "EU":
            _follow_regulation(block, cls)


def _follow_regulation(block: dict, cls: str) -> None:
    """An agreed EU class names its regulation: near IVD types agree on an IVDR class (A-D) for a
    concept that matched no type, whose block was built under the MDR with an MDR class derived
    from default attributes; that derived class belongs to the other regulation and goes."""
    ivd = cls in IVDR_CLASSES
    if (block.get("regulation") == "IVDR") != ivd:
        block.pop("derived_class", None)
    block.update({"authority": "EU IVDR 2017/746" if ivd else "EU MDR 2017/745", "regulation": "IVDR" if ivd else "MDR"})
