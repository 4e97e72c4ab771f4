"""Market blocks reached through the catalogue's cross-market link (catalogue/link.py).

An English concept matched to an FDA product code takes its KR block from the linked MFDS item,
and a Korean concept matched to an MFDS item its US block from the linked FDA code, only when the
link is strong (score >= link.STRONG); a weaker link is shown as a lead that needs review. Every
block says `source: catalogue` and how it was reached ("linked from FDA DQK").
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from medreg.knowledge.catalogue.index import fda_payload
from medreg.knowledge.catalogue.link import STRONG
from medreg.knowledge.catalogue.shipped import Catalogue
from medreg.knowledge.catalogue.terms import TermMap, load_terms
from medreg.knowledge.classification.rules_kr import CITE_PATHWAY, item_block
from medreg.knowledge.classification.us import ROMAN, us_block_from_fda_row
from medreg.language import Text, tr

_REACHED: Text = {"en": "linked from {list} {code} (link score {score:.2f})",
                  "ko": "{list} {code}에서 연결됨(연결 점수 {score:.2f})"}
_STRONG: Text = {
    "en": " Reached through the catalogue's cross-market link from {list} {code} (same device type by the term map "
          "and agreeing official attributes, score {score:.2f}): confirm the item fits your product.",
    "ko": " 카탈로그의 시장 간 연결({list} {code}에서, 용어 대응과 공식 속성 일치로 같은 기기 유형, 점수 {score:.2f})로 "
          "찾은 결과입니다. 제품에 맞는 품목인지 확인하세요."}
_CORROBORATED: Text = {
    "en": " The link alone is weaker than the catalogue trusts, but your description's own words meet this entry too.",
    "ko": " 연결 점수만으로는 약하지만, 설명에 쓰인 단어도 이 품목과 일치합니다."}
_WEAK_KR: Text = {
    "en": "The FDA code {code} links only weakly (score {score:.2f}) to MFDS item {item} {name} (grade {grade}), "
          "so no grade is given: a lead to check, needs review.",
    "ko": "FDA {code}와 MFDS 품목 {item} {name}({grade}등급)의 연결이 약해(점수 {score:.2f}) 등급을 정하지 않았습니다. "
          "확인할 후보이며 검토가 필요합니다."}
_WEAK_US: Text = {
    "en": "The MFDS item {item} links only weakly (score {score:.2f}) to FDA product code {code} {name} (Class {cls}), "
          "so no class is given: a lead to check, needs review.",
    "ko": "MFDS 품목 {item}와 FDA 제품 코드 {code} {name}(Class {cls})의 연결이 약해(점수 {score:.2f}) 등급을 정하지 "
          "않았습니다. 확인할 후보이며 검토가 필요합니다."}


CORROBORATED = 0.35   # a link this strong counts as strong when the concept's own words meet the entry too
PICK_BAND = 0.15  # linked entries this close to the best are told apart by the concept's own words


@lru_cache(maxsize=1)
def _terms() -> TermMap:
    return load_terms()


def _pick(links: list[tuple[str, float]], concept: str, names: dict[str, str], korean: bool,
          seen: frozenset = frozenset()) -> list[tuple[str, float]]:
    """The links, the one the concept's own words fit best first among those near the top score
    ("powered dermatome": the 전동식 item, not the 수동식 one; both link to FDA GFD)."""
    if len(links) < 2:
        return links
    terms = _terms()
    said = set(terms.english(concept)) | set(terms.korean(concept))
    other = terms.english_name if korean else terms.korean

    def fit(link: tuple[str, float]) -> tuple:
        near = link[1] >= links[0][1] - PICK_BAND
        return (not near, link[0] not in seen, -len(said & set(other(names[link[0]]))) if near else 0,
                -link[1], link[0])
    return sorted(links, key=fit)


def _reached(source: str, code: str, score: float, language: str) -> str:
    return tr(_REACHED, language, list="FDA" if source == "fda" else "MFDS", code=code, score=score)


def _strong(code: str, score: float, seen: frozenset) -> bool:
    return score >= STRONG or (code in seen and score >= CORROBORATED)


def kr_from_fda(catalogue: Catalogue, fda_code: str, language: str, concept: str = "",
                seen: frozenset = frozenset()) -> Optional[dict]:
    """The KR block for an FDA code through its best linked MFDS item (None when nothing is linked);
    `seen` are the MFDS items the concept's own words meet in concept space (they corroborate a link)."""
    links = [(c, s) for c, s in catalogue.linked("fda", fda_code, "mfds") if (catalogue.mfds.get(c) or {}).get("grade")]
    if not links:
        return None
    links = _pick(links, concept, {c: catalogue.mfds[c]["name_ko"] for c, _ in links}, korean=False, seen=seen)
    item, score = links[0]
    entry = catalogue.mfds[item]
    alternatives = [{"item_code": c, "item_name": catalogue.mfds[c]["name_ko"], "grade": catalogue.mfds[c]["grade"],
                     "link_score": s, "source": "catalogue"} for c, s in links]
    reached = _reached("fda", fda_code, score, language)
    if _strong(item, score, seen):
        block = item_block([item], int(entry["grade"]), entry["name_ko"], None, language, imported=True)
        return _strong_block(block, "FDA", fda_code, score, reached, alternatives, language)
    return {"authority": "MFDS", "class": None, "grade": None, "pathway": None, "item_code": None, "item_codes": [],
            "item_name": None, "derived": False, "needs_review": True, "verified": False, "source": "catalogue",
            "reached": reached, "linked_from": f"FDA {fda_code}", "link_score": score, "alternatives": alternatives,
            "rationale": tr(_WEAK_KR, language, code=fda_code, score=score, item=item, name=entry["name_ko"],
                            grade=entry["grade"]),
            "citations": [f"의료기기 품목 및 품목별 등급에 관한 규정 {item}", CITE_PATHWAY]}


def _strong_block(block: dict, source: str, code: str, score: float, reached: str, alternatives: list[dict],
                  language: str) -> dict:
    """A market block answered from a strong (or corroborated) link: says where it came from and how sure."""
    block["rationale"] += tr(_STRONG, language, list=source, code=code, score=score)
    if score < STRONG:
        block["rationale"] += tr(_CORROBORATED, language)
        block["link_corroborated"] = True
    block.update({"source": "catalogue", "reached": reached, "linked_from": f"{source} {code}",
                  "link_score": score, "alternatives": alternatives[1:]})
    return block


def us_from_mfds(catalogue: Catalogue, item_code: str, language: str, concept: str = "",
                 seen: frozenset = frozenset()) -> Optional[dict]:
    """The US block for an MFDS item through its best linked FDA code (None when nothing is linked);
    `seen` are the FDA codes the concept's own words meet in concept space."""
    links = [(c, s) for c, s in catalogue.linked("mfds", item_code, "fda") if catalogue.is_device_type(c)]
    if not links:
        return None
    links = _pick(links, concept, {c: catalogue.fda[c]["name"] for c, _ in links}, korean=True, seen=seen)
    code, score = links[0]
    entry = catalogue.fda[code]
    alternatives = [{"product_code": c, "name": catalogue.fda[c]["name"], "class": ROMAN.get(catalogue.fda[c]["class"]),
                     "link_score": s, "source": "catalogue"} for c, s in links]
    reached = _reached("mfds", item_code, score, language)
    if _strong(code, score, seen):
        block = us_block_from_fda_row(fda_payload(code, entry), language)
        return _strong_block(block, "MFDS", item_code, score, reached, alternatives, language)
    return {"authority": "FDA", "class": None, "pathway": None, "product_code": None, "product_codes": [],
            "regulation": None, "needs_review": True, "verified": False, "source": "catalogue", "reached": reached,
            "linked_from": f"MFDS {item_code}", "link_score": score, "alternatives": alternatives,
            "rationale": tr(_WEAK_US, language, item=item_code, score=score, code=code, name=entry["name"],
                            cls=ROMAN.get(entry["class"], entry["class"])),
            "citations": [f"FDA product code {code}"]}


def emdn_for(catalogue: Catalogue, source: str, code: str) -> Optional[tuple[str, float]]:
    """The best EMDN term linked to an FDA code (`fda`) or an MFDS item (`mfds`), with its score."""
    links = catalogue.linked(source, code, "emdn")
    return links[0] if links else None
