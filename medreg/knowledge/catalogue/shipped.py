"""The shipped official catalogue (package data `catalogue.json.gz`, built by `medreg kb build`):
FDA product codes, 21 CFR special controls, MFDS items (IVD included) and EMDN terms."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Optional

CATALOGUE_FILE = "catalogue.json.gz"


@dataclass
class Catalogue:
    """The official lists by code; read-only after load."""

    sources: dict = field(default_factory=dict)
    fda: dict[str, dict] = field(default_factory=dict)
    regulations: dict[str, dict] = field(default_factory=dict)
    mfds: dict[str, dict] = field(default_factory=dict)
    emdn: dict[str, dict] = field(default_factory=dict)
    links: dict[str, dict] = field(default_factory=dict)   # built by catalogue/link.py: {"fda": .., "mfds": ..}

    def linked(self, source: str, code: str, target: str) -> list[tuple[str, float]]:
        """The entries of list `target` linked to `code` of list `source` (fda / mfds), best first, with scores."""
        rows = ((self.links.get(source) or {}).get(code) or {}).get(target) or []
        return [(row[0], float(row[1])) for row in rows]

    def special_controls(self, regulation: str) -> list[dict]:
        """The special-control items of a regulation number (e.g. '886.1100'), each with its citation."""
        return list((self.regulations.get(regulation) or {}).get("special_controls") or [])

    def emdn_chain(self, code: str) -> list[dict]:
        """An EMDN term and its parents, most general first."""
        chain: list[dict] = []
        seen = set()
        while code and code in self.emdn and code not in seen:
            seen.add(code)
            term = self.emdn[code]
            chain.append({"code": code, "term": term["term"]})
            code = term.get("parent") or ""
        return list(reversed(chain))

    def mfds_item(self, code: str) -> Optional[dict]:
        """An MFDS item by code, following a moved code to its new one."""
        item = self.mfds.get(code)
        if item and item.get("status") == "moved" and item.get("moved_to") in self.mfds:
            return self.mfds[item["moved_to"]]
        return item

    def is_device_type(self, code: str) -> bool:
        """True for an FDA product code that names a classified device type (not class N / U / f)."""
        entry = self.fda.get(code)
        return bool(entry) and not entry.get("not_device_type")


def decode(data: bytes) -> Catalogue:
    """A Catalogue from the gzip'd JSON bytes."""
    raw = json.loads(gzip.decompress(data).decode("utf-8"))
    return Catalogue(raw.get("sources", {}), raw.get("fda", {}), raw.get("regulations", {}),
                     raw.get("mfds", {}), raw.get("emdn", {}), raw.get("links", {}))


def load_catalogue() -> Catalogue:
    """The shipped catalogue, or an empty one when the package data is missing."""
    path = resources.files("medreg.knowledge") / "data" / CATALOGUE_FILE
    if not path.is_file():
        return Catalogue()
    return decode(path.read_bytes())
