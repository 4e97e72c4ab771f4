"""The match index over the shipped catalogue: FDA product codes that name a device type (class
1 / 2 / 3; N / U / f rows are left out of matching) and active MFDS items with a grade."""
from __future__ import annotations

import re

from medreg.knowledge.catalogue.shipped import Catalogue
from medreg.knowledge.classification.matching import Candidate, MatchIndex

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


def build_catalogue_index(catalogue: Catalogue) -> MatchIndex:
    """One index over the catalogue's matchable entries, in code order (deterministic)."""
    items = []
    for code, entry in sorted(catalogue.fda.items()):
        if entry.get("not_device_type") or entry.get("class") not in FDA_CLASSES:
            continue
        items.append((Candidate(f"fda:{code}", entry["name"], "", "fda", fda_payload(code, entry)),
                      fda_phrases(entry["name"])))
    for code, entry in sorted(catalogue.mfds.items()):
        if entry.get("status") != "active" or entry.get("grade") not in (1, 2, 3, 4):
            continue
        items.append((Candidate(f"mfds:{code}", entry["name_ko"], entry["name_ko"], "mfds", mfds_payload(code, entry)),
                      [(entry["name_ko"], 1.0, False)]))
    return MatchIndex(items)
