"""The match index over the shipped catalogue: FDA product codes that name a device type (class
1 / 2 / 3; N / U / f rows are left out of matching) and active MFDS items with a grade; their
official descriptions are a second, weaker channel (catalogue/describe.py)."""
from __future__ import annotations

import re

from medreg.knowledge.catalogue import describe
from medreg.knowledge.catalogue.describe import DescriptionIndex
from medreg.knowledge.catalogue.shipped import Catalogue
from medreg.knowledge.classification.matching import Candidate, Match, MatchIndex

FDA_CLASSES = ("1", "2", "3")
PAREN = re.compile(r"\s*\(([^)]*)\)")
ALTERNATIVES = re.compile(r"\s+or\s+|/", re.I)


def fda_phrases(name: str) -> list[tuple[str, float, bool]]:
    """FDA names qualify in parentheses ("Bronchoscope (Flexible Or Rigid)"): the name, the name
    without them (a little weaker), and the name with each alternative the parentheses offer."""
    phrases = [(name, 1.0, False)]
    inner = PAREN.findall(name)
    head = PAREN.sub("", name).strip(" ,")
    if inner and head and head != name:
        phrases.append((head, 0.9, False))
        for part in inner:
            for alternative in ALTERNATIVES.split(part):
                if alternative.strip() and alternative.strip().lower() != part.strip().lower():
                    phrases.append((f"{head} {alternative.strip()}", 1.0, False))
    return phrases


def fda_payload(code: str, entry: dict) -> dict:
    """An FDA catalogue entry in the shape the US rules read (as an imported foiclass row)."""
    return {"code": code, "name": entry["name"], "class": entry["class"], "regulation": entry.get("regulation", ""),
            "submission_type": entry.get("submission_type_id", ""), "panel": entry.get("panel", ""),
            "implant": bool(entry.get("implant")), "life_sustaining": bool(entry.get("life_sustaining")),
            "gmp_exempt": bool(entry.get("gmp_exempt")), "third_party": bool(entry.get("third_party")),
            "catalogue": True}


def mfds_payload(code: str, entry: dict) -> dict:
    """An MFDS catalogue item in the shape the KR rules read."""
    return {"code": code, "grade": entry["grade"], "name_ko": entry["name_ko"], "ivd": bool(entry.get("ivd")),
            "catalogue": True}


class CatalogueIndex(MatchIndex):
    """The name index, with each entry's official description as added, weaker evidence."""

    def __init__(self, items: list, descriptions: list[str]) -> None:
        super().__init__(items)
        self.described = DescriptionIndex(list(enumerate(descriptions)))
        self.owner_of = {c.id: n for n, c in enumerate(self.candidates)}

    def search(self, concept_feats: set[str], limit: int = 6, avoid: frozenset | set = frozenset(),
               later: frozenset | set = frozenset(), described: bool = True) -> list[Match]:
        """Name matches lifted by their descriptions, then entries found by their descriptions alone
        (`described=False`: the names only)."""
        if not described:
            return super().search(concept_feats, limit=limit, avoid=avoid, later=later)
        named = super().search(concept_feats, limit=limit * 2, avoid=avoid, later=later)
        evidence = self.described.search(concept_feats, later)
        if not evidence:
            return named[:limit]
        out = []
        for m in named:
            found = evidence.get(self.owner_of[m.candidate.id])
            score = m.score
            if found is not None:
                # a description never carries a weak name across the line where a match begins to count
                top = 1.0 if m.score >= describe.NAME_MIN else describe.NAME_MIN - 0.005
                score = max(m.score, min(top, m.score + describe.BONUS * found.evidence))
            out.append(Match(m.candidate, score, m.phrase, m.share, m.explained))
        firm = max((m.score for m in named if m.score >= describe.NAME_FIRM), default=None)
        cap = describe.ONLY_CAP if firm is None else min(describe.ONLY_CAP, firm - 0.01)
        seen = {m.candidate.id for m in named}
        alone = sorted((d for d in evidence.values() if self.candidates[d.owner].id not in seen),
                       key=lambda d: (-d.evidence, d.owner))[:describe.ONLY_MAX]
        out += [Match(self.candidates[d.owner], cap * d.evidence, "(description)", 0.0, frozenset()) for d in alone]
        out.sort(key=lambda m: (-m.score, m.candidate.id))
        return out[:limit]


def fda_description(catalogue: Catalogue, entry: dict) -> str:
    """An FDA code's functional text: its regulation's "(a) Identification"."""
    return (catalogue.regulations.get(entry.get("regulation", "")) or {}).get("identification", "")


def mfds_description(entry: dict) -> str:
    """An MFDS item's functional text: the annex's Korean description and English name."""
    return " ".join(t for t in (entry.get("description_ko", ""), entry.get("name_en", "")) if t)


def build_catalogue_index(catalogue: Catalogue) -> CatalogueIndex:
    """One index over the catalogue's matchable entries, in code order (deterministic)."""
    items, descriptions = [], []
    for code, entry in sorted(catalogue.fda.items()):
        if entry.get("not_device_type") or entry.get("class") not in FDA_CLASSES:
            continue
        items.append((Candidate(f"fda:{code}", entry["name"], "", "fda", fda_payload(code, entry)),
                      fda_phrases(entry["name"])))
        descriptions.append(fda_description(catalogue, entry))
    for code, entry in sorted(catalogue.mfds.items()):
        if entry.get("status") != "active" or entry.get("grade") not in (1, 2, 3, 4):
            continue
        items.append((Candidate(f"mfds:{code}", entry["name_ko"], entry["name_ko"], "mfds", mfds_payload(code, entry)),
                      [(entry["name_ko"], 1.0, False)]))
        descriptions.append(mfds_description(entry))
    return CatalogueIndex(items, descriptions)
