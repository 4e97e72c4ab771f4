"""US FDA: class, regulation and pathway from the product code of the matched device type."""
from __future__ import annotations

from typing import Optional

from medreg.language import Text, tr

ROMAN = {"1": "I", "2": "II", "3": "III"}
# SUBMISSION_TYPE_ID in foiclass.txt (see fields.yaml): 1 510(k), 2 PMA, 4 510(k) exempt.
PATHWAY_BY_SUBMISSION = {"1": "510(k)", "2": "PMA", "4": "510(k) exempt"}
# The pathway names in Korean (the English name is the key itself).
PATHWAY_NAMES: dict[str, Text] = {
    "510(k)": {"en": "510(k)", "ko": "510(k) 시판 전 신고"},
    "510(k) exempt": {"en": "510(k) exempt", "ko": "510(k) 면제"},
    "PMA": {"en": "PMA", "ko": "PMA 시판 전 승인"},
    "De Novo": {"en": "De Novo", "ko": "De Novo 분류 요청"},
}


_TEXTS: dict[str, Text] = {
    "none": {
        "en": "No FDA product code matches this concept well, so no class is guessed. Without a predicate, consider a De Novo request; if the classification is unclear, ask FDA with a 513(g) request.",
        "ko": "잘 맞는 FDA 제품 코드를 찾지 못했습니다. 등급을 추정하지 않습니다. 유사 기기(predicate)가 없다면 De Novo 분류 요청을, 분류가 불분명하면 513(g) 정보 요청을 권합니다.",
    },
    "unregulated": {
        "en": "No FDA product code is on record for this device type; confirm whether and how FDA regulates it with a 513(g) request.",
        "ko": "이 기기 유형에는 확인된 FDA 제품 코드가 없습니다. FDA 규제 대상 여부와 등급은 513(g) 요청으로 확인하세요.",
    },
    "unverified": {
        "en": "The FDA classification is not verified (needs review); confirm the product code and class with a 513(g) request or FDA's classification database.",
        "ko": "FDA 분류가 확인되지 않았습니다(검토 필요). 제품 코드와 등급을 513(g) 요청 또는 FDA 분류 데이터베이스로 확인하세요.",
    },
    "ok": {
        "en": "Product code {code} ({reg}): Class {cls}, pathway {path}.",
        "ko": "제품 코드 {code} ({reg}) 기준 Class {cls}, 경로: {path}.",
    },
    "imported": {
        "en": "Product code {code} ({name}) from the imported FDA classification file: Class {cls}, pathway {path}.",
        "ko": "가져온 FDA 제품 분류 파일의 제품 코드 {code}({name}) 기준 Class {cls}, 경로: {path}.",
    },
    "catalogue": {
        "en": "Product code {code} ({name}) from the shipped FDA product classification list: Class {cls}, pathway {path}. Not a curated device type: review it.",
        "ko": "내장된 FDA 제품 분류 목록의 제품 코드 {code}({name}) 기준 Class {cls}, 경로: {path}. 큐레이션된 기기 유형이 아니므로 검토하세요.",
    },
}


def _undecided(text: str) -> dict:
    return {"authority": "FDA", "class": None, "pathway": None, "product_code": None, "product_codes": [],
            "regulation": None, "rationale": text, "citations": ["21 CFR 860.200 (De Novo)", "FD&C Act section 513(g)"],
            "needs_review": True, "verified": False}


def us_block(device: Optional[dict], language: str) -> dict:
    """The US market block for a curated device type (or none)."""
    if device is None:
        return _undecided(tr(_TEXTS["none"], language))
    us = device.get("us")
    if not us:
        return _undecided(tr(_TEXTS["unregulated"], language))
    cls = ROMAN.get(str(us.get("class")))
    codes = list(us.get("product_codes") or [])
    block = {"authority": "FDA", "class": cls, "pathway": us.get("pathway"),
             "product_code": codes[0] if codes else None, "product_codes": codes,
             "regulation": us.get("regulation"), "verified": us.get("verified", True) is not False}
    citations = [c for c in [us.get("regulation")] if c] + [f"FDA product code {c}" for c in codes]
    block["citations"] = citations
    if not block["verified"] or cls is None:
        block.update({"class": None, "tentative_class": cls, "needs_review": True,
                      "rationale": tr(_TEXTS["unverified"], language) + (f" ({us.get('note')})" if us.get("note") else "")})
        return block
    block["needs_review"] = False
    block["rationale"] = tr(_TEXTS["ok"], language, code=", ".join(codes) or "-", reg=us.get("regulation") or "-",
                            cls=cls, path=_pathway_text(us.get("pathway"), language))
    return block


def us_block_from_fda_row(row: dict, language: str) -> dict:
    """The US block from an imported foiclass.txt row (class, regulation, submission type)."""
    cls = ROMAN.get(str(row.get("class", "")).strip())
    pathway = PATHWAY_BY_SUBMISSION.get(str(row.get("submission_type", "")).strip())
    reg = f"21 CFR {row['regulation']}" if row.get("regulation") else None
    block = {"authority": "FDA", "class": cls, "pathway": pathway, "product_code": row["code"],
             "product_codes": [row["code"]], "regulation": reg, "imported": True, "verified": cls is not None,
             "citations": [c for c in [reg] if c] + [f"FDA product code {row['code']}"]}
    # The official file's flags that change the plan (QMS, review route), as published.
    block.update({k: True for k in ("gmp_exempt", "third_party", "implant", "life_sustaining") if row.get(k) is True})
    if cls is None:
        block.update({"needs_review": True, "rationale": tr(_TEXTS["unverified"], language)})
    else:
        block.update({"needs_review": pathway is None,
                      "rationale": tr(_TEXTS["catalogue" if row.get("catalogue") else "imported"], language,
                                      code=row["code"], name=row.get("name", ""), cls=cls,
                                      path=_pathway_text(pathway, language))})
    return block


def _pathway_text(pathway: Optional[str], language: str) -> str:
    if not pathway:
        return "?"
    return tr(PATHWAY_NAMES[pathway], language) if pathway in PATHWAY_NAMES else pathway
