"""Whether an FDA product code is an in-vitro diagnostic: the one test, used by the catalogue build
(cross-market link: an IVD is never linked to a non-IVD), by catalogue answers (the IVDR, not the
MDR, classifies it in the EU) and by rows a user imported.

21 CFR parts 862, 864 and 866 hold the IVDs, except subpart J of part 864 (products used in blood
establishments), where each section is decided on its own from data (`ivdr_rules.json`,
`fda_ivd_parts`): blood-grouping reagents and test systems are IVDs, blood bags, warmers and
storage are not. A code with no regulation number is decided by its review panel.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

DATA = "ivdr_rules.json"


@lru_cache(maxsize=1)
def _spec() -> dict:
    path = resources.files("medreg.knowledge") / "data" / DATA
    return json.loads(path.read_text(encoding="utf-8"))["fda_ivd_parts"]


def ivd_regulation(regulation: object) -> bool:
    """True for a 21 CFR regulation number (e.g. '866.3780', '21 CFR 864.9175') of an IVD."""
    spec = _spec()
    number = str(regulation or "").replace("21 CFR", "").strip()
    if number.startswith(spec["blood_establishment_prefix"]):
        # a subpart J section not listed as an IVD (or a new one) is not taken for one
        return number in spec["blood_establishment_ivd"]
    return number[:3] in spec["parts"]


def fda_is_ivd(entry: dict) -> bool:
    """True for an FDA product code (catalogue entry or imported row) that is an IVD: by its
    regulation, or, with none, by an IVD review panel (panels alone are not reliable: LZG, an
    insulin pump, is reviewed by CH, so the regulation decides whenever there is one)."""
    regulation = entry.get("regulation") or ""
    if regulation:
        return ivd_regulation(regulation)
    return str(entry.get("panel") or "") in _spec()["panels_without_regulation"]
