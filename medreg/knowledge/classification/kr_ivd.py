"""Korea for in-vitro diagnostics: an MFDS IVD item (from the IVD item list) is graded 1–4 under the
체외진단의료기기법, not the 의료기기법, so its KR block names that act and its own item notice."""
from __future__ import annotations

import re

from medreg.knowledge.plans.activity_data import load, text

DATA = "ivd_plans.json"
MEDICAL_DEVICE_ROUTE = "의료기기법 시행규칙 제4조"
MEDICAL_DEVICE_NOTICE = re.compile(r"(?<!체외진단)의료기기 품목 및 품목별 등급에 관한 규정")


def is_ivd_item(kb, code) -> bool:
    """True for a code of the MFDS IVD item list (flagged by the file it was built from)."""
    item = kb.catalogue.mfds_item(code) if isinstance(code, str) else None
    return bool(item and item.get("ivd"))


def ivd_kr_block(kb, block: dict, language: str) -> dict:
    """The KR block of an IVD item rewritten for the IVD Act (other blocks unchanged)."""
    codes = [c for c in (block.get("item_codes") or [block.get("item_code")]) if isinstance(c, str)]
    grade = block.get("grade")
    if not codes or not isinstance(grade, int) or not all(is_ivd_item(kb, c) for c in codes):
        return block
    spec = load(DATA)
    route = text(spec["kr_route"]["routes"][str(grade)], language)
    notice = spec["kr_block"]["notice"]
    citations = [MEDICAL_DEVICE_NOTICE.sub(notice, c) for c in block.get("citations") or []
                 if c != MEDICAL_DEVICE_ROUTE]
    citations += [f"{notice} {c}" for c in codes if not any(c in x for x in citations)]
    citations.append(spec["kr_block"]["act"])
    name = block.get("item_name") or ""
    # The grade is the official list's; the route per grade under the IVD Act is not checked here.
    return {**block, "regulation": spec["kr_block"]["act"], "ivd": True, "pathway": route[0].upper() + route[1:],
            "pathway_verified": False,
            "citations": list(dict.fromkeys(citations)),
            "rationale": text(spec["kr_block"]["ok"], language, code=", ".join(codes), name=name, grade=grade, route=route)}
