"""`medreg kb build`: derives the shipped catalogue from the official files (FDA foiclass.txt,
21 CFR parts, MFDS item lists, EMDN), recording each source's file name, version and sha256.

The output is deterministic (sorted keys, gzip without a timestamp) so that a rebuild from the
same files gives the same bytes; tests/catalogue checks this against MEDREG_SHARED_DATA.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Optional

from medreg.knowledge.catalogue.cfr import parse_parts
from medreg.knowledge.catalogue.importers import FDA_REQUIRED, ImportFormatError
from medreg.knowledge.catalogue.link import build_links
from medreg.knowledge.catalogue.mfds_annex import read_annex
from medreg.knowledge.catalogue.terms import parse_terms, terms_path

FORMAT = 1
# submission_type_id per openFDA's field docs (fda/fields.yaml); 6, 7, 8 are not documented there
SUBMISSION = {"1": "510(k)", "2": "PMA", "3": "Contact ODE", "4": "510(k) exempt"}
# classes that are not a device type to match: not classified, unclassified, HDE-only ('f')
NOT_DEVICE_TYPE = {"N", "U", "F"}
MOVED = re.compile(r"품목번호\s*변경\s*,\s*([A-Z]\d{5}\.\d{2})")


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _source(path: Path, version: str) -> dict:
    return {"file": Path(path).name, "version": version, "sha256": sha256_of(path)}


def _yes(value: Optional[str]) -> bool:
    return (value or "").strip().upper() == "Y"


def build_fda(path: Path) -> dict[str, dict]:
    """Every product code of a foiclass.txt (latin-1, pipe-delimited) with its flags."""
    reader = csv.DictReader(io.StringIO(Path(path).read_text(encoding="latin-1")), delimiter="|", quoting=csv.QUOTE_NONE)
    missing = [c for c in FDA_REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFormatError(f"not a foiclass.txt file: missing columns {', '.join(missing)}")
    out: dict[str, dict] = {}
    for row in reader:
        code = (row.get("PRODUCTCODE") or "").strip().upper()
        name = (row.get("DEVICENAME") or "").strip()
        if not code or not name:
            continue
        device_class = (row.get("DEVICECLASS") or "").strip()
        submission = (row.get("SUBMISSION_TYPE_ID") or "").strip()
        entry = {"name": name, "class": device_class, "regulation": (row.get("REGULATIONNUMBER") or "").strip(),
                 "submission_type_id": submission, "submission": SUBMISSION.get(submission, "unknown"),
                 "panel": (row.get("REVIEW_PANEL") or "").strip(),
                 "specialty": (row.get("MEDICALSPECIALTY") or "").strip()}
        for key, column in (("gmp_exempt", "GMPEXEMPTFLAG"), ("third_party", "THIRDPARTYFLAG"),
                            ("implant", "Implant_Flag"), ("life_sustaining", "Life_Sustain_support_flag")):
            if _yes(row.get(column)):
                entry[key] = True
        if device_class.upper() in NOT_DEVICE_TYPE:
            entry["not_device_type"] = True
            reason = (row.get("UNCLASSIFIED_REASON") or "").strip()
            if reason:
                entry["unclassified_reason"] = reason
        out[code] = entry
    return out


def build_mfds(path: Path, ivd: bool) -> dict[str, dict]:
    """Every row of an MFDS item list: code, name, grade, groups and status (deleted/moved kept)."""
    reader = csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig")))
    if not {"item_code", "grade", "name_ko"} <= set(reader.fieldnames or []):
        raise ImportFormatError("not an MFDS item list: needs item_code, grade, name_ko")
    out: dict[str, dict] = {}
    for row in reader:
        code = (row.get("item_code") or "").strip()
        name = (row.get("name_ko") or "").strip()
        status = (row.get("status") or "active").strip() or "active"
        if not code:
            continue
        if status == "deleted_or_moved":
            # kept so that an old code is recognised and, where the notice says so, points to its new one
            note = (row.get("parse_note") or "").strip()
            moved = MOVED.search(note)
            out[code] = {"status": "moved" if moved else "deleted", "note": note, **({"moved_to": moved.group(1)} if moved else {})}
            continue
        if not name:
            out[code] = {"status": status}  # the notice's row could not be read; the code is still known
            continue
        grade_text = (row.get("grade") or "").strip()
        entry = {"name_ko": name, "grade": int(grade_text) if grade_text in ("1", "2", "3", "4") else None,
                 "group": (row.get("major_group") or "").strip(), "mid_group": (row.get("mid_group") or "").strip(),
                 "status": status}
        if ivd:
            entry["ivd"] = True
        if (row.get("parse_confidence") or "").strip() == "low":
            entry["low_confidence"] = True
        out[code] = entry
    return out


def build_emdn(path: Path) -> dict[str, dict]:
    """Every EMDN term: code, term, parent code, level."""
    reader = csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig")))
    out: dict[str, dict] = {}
    for row in reader:
        code = (row.get("code") or "").strip()
        if code:
            out[code] = {"term": (row.get("term") or "").strip(), "parent": (row.get("parent") or "").strip(),
                         "level": int(row["level"]) if (row.get("level") or "").isdigit() else None}
    return out


def add_annex(items: dict[str, dict], annex: Path) -> None:
    """Each item's English name and Korean description from the notice's annex text, where read with certainty."""
    for code, cells in read_annex(annex, items).items():
        if cells["name_en"]:
            items[code]["name_en"] = cells["name_en"]
        if cells["description_ko"]:
            items[code]["description_ko"] = cells["description_ko"]


def build_catalogue(fda: Path, mfds: Path, mfds_ivd: Path, emdn: Path, cfr: Path,
                    versions: Optional[dict[str, str]] = None, annexes: Optional[dict[str, Path]] = None) -> dict:
    """The whole catalogue as one dict, ready for `write_catalogue`; `annexes` ({"mfds_annex": ..,
    "mfds_ivd_annex": ..}) are the MFDS notices' annex texts, read for English names and descriptions."""
    versions, annexes = versions or {}, annexes or {}
    regulations, cfr_files = parse_parts(cfr)
    kr = build_mfds(mfds, ivd=False)
    if annexes.get("mfds_annex"):
        add_annex(kr, annexes["mfds_annex"])
    kr_ivd = build_mfds(mfds_ivd, ivd=True)
    if annexes.get("mfds_ivd_annex"):
        add_annex(kr_ivd, annexes["mfds_ivd_annex"])
    kr.update(kr_ivd)
    us, eu = build_fda(fda), build_emdn(emdn)
    # The cross-market link reads the project's own term map (package data), recorded like a source.
    terms_file = terms_path()
    terms_bytes = terms_file.read_bytes()
    links = build_links(parse_terms(json.loads(terms_bytes.decode("utf-8"))), us, kr, eu)
    return {
        "format": FORMAT,
        "sources": {
            "fda": _source(fda, versions.get("fda", "unknown")),
            "cfr": {"files": [_source(p, versions.get("cfr", "unknown")) for p in cfr_files]},
            "mfds": _source(mfds, versions.get("mfds", "unknown")),
            "mfds_ivd": _source(mfds_ivd, versions.get("mfds_ivd", "unknown")),
            "emdn": _source(emdn, versions.get("emdn", "unknown")),
            **{key: _source(path, versions.get(key, "unknown")) for key, path in sorted(annexes.items()) if path},
            "terms": {"file": terms_file.name, "version": "medreg's own term map (derived links, not official)",
                      "sha256": hashlib.sha256(terms_bytes).hexdigest()},
        },
        "fda": us,
        "regulations": regulations,
        "mfds": kr,
        "emdn": eu,
        "links": links,
    }


def encode(catalogue: dict) -> bytes:
    """The catalogue's canonical JSON bytes (sorted keys, no spaces)."""
    return json.dumps(catalogue, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_catalogue(catalogue: dict, path: Path) -> int:
    """Write gzip'd canonical JSON (no timestamp, so the bytes are reproducible); return its size."""
    data = gzip.compress(encode(catalogue), compresslevel=9, mtime=0)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data)
    return len(data)
