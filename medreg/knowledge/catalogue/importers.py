"""Readers for the official files a user downloads: FDA foiclass.txt and MFDS item lists."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from medreg.knowledge.catalogue.store import FDA_FILE, MFDS_FILE, read_entries, write_entries

FDA_REQUIRED = ("PRODUCTCODE", "DEVICENAME", "DEVICECLASS", "REGULATIONNUMBER", "SUBMISSION_TYPE_ID")
MFDS_REQUIRED = ("item_code", "grade", "name_ko")


class ImportFormatError(ValueError):
    """The file is not in the expected official format."""


@dataclass
class ImportReport:
    """What an import did."""

    read: int = 0
    imported: int = 0
    skipped: int = 0
    total_in_store: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    path: str = ""

    def skip(self, reason: str) -> None:
        """Count a skipped row and why."""
        self.skipped += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def _flag(value: str) -> bool:
    return (value or "").strip().upper() == "Y"


def parse_fda(text: str, report: ImportReport) -> dict[str, dict]:
    """Rows of a foiclass.txt (pipe-delimited, header row) by product code."""
    reader = csv.DictReader(io.StringIO(text), delimiter="|", quoting=csv.QUOTE_NONE)
    missing = [c for c in FDA_REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFormatError(f"not a foiclass.txt file: missing columns {', '.join(missing)}")
    out: dict[str, dict] = {}
    for row in reader:
        report.read += 1
        code = (row.get("PRODUCTCODE") or "").strip().upper()
        name = (row.get("DEVICENAME") or "").strip()
        if not code or not name:
            report.skip("no product code or name")
            continue
        out[code] = {
            "code": code, "name": name, "class": (row.get("DEVICECLASS") or "").strip(),
            "regulation": (row.get("REGULATIONNUMBER") or "").strip(),
            "submission_type": (row.get("SUBMISSION_TYPE_ID") or "").strip(),
            "panel": (row.get("REVIEW_PANEL") or "").strip(),
            "implant": _flag(row.get("Implant_Flag", "")), "life_sustaining": _flag(row.get("Life_Sustain_support_flag", "")),
        }
    return out


def parse_mfds(text: str, report: ImportReport) -> dict[str, dict]:
    """Rows of an MFDS item list (CSV: item_code, grade, name_ko, optional status) by item code."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in MFDS_REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFormatError(f"not an MFDS item list: missing columns {', '.join(missing)}")
    out: dict[str, dict] = {}
    for row in reader:
        report.read += 1
        code = (row.get("item_code") or "").strip()
        name = (row.get("name_ko") or "").strip()
        status = (row.get("status") or "active").strip() or "active"
        if status != "active":
            report.skip(f"status {status}")
            continue
        try:
            grade = int((row.get("grade") or "").strip())
        except ValueError:
            report.skip("no grade")
            continue
        if not code or not name or grade not in (1, 2, 3, 4):
            report.skip("no item code, name or valid grade")
            continue
        out[code] = {"code": code, "grade": grade, "name_ko": name,
                     "ivd": (row.get("category") or "") == "ivd" or code.startswith("I")}
    return out


def _merge(directory: Path, name: str, rows: dict[str, dict], report: ImportReport) -> ImportReport:
    entries = read_entries(directory, name)
    entries.update(rows)
    report.imported = len(rows)
    report.total_in_store = len(entries)
    report.path = str(write_entries(directory, name, entries))
    return report


def import_fda(path: Path, directory: Path) -> ImportReport:
    """Import a foiclass.txt (latin-1) into the store, replacing entries with the same code."""
    report = ImportReport()
    rows = parse_fda(Path(path).read_text(encoding="latin-1"), report)
    return _merge(directory, FDA_FILE, rows, report)


def import_mfds(path: Path, directory: Path) -> ImportReport:
    """Import an MFDS item CSV (UTF-8, BOM tolerated) into the store, merging by item code."""
    report = ImportReport()
    rows = parse_mfds(Path(path).read_text(encoding="utf-8-sig"), report)
    return _merge(directory, MFDS_FILE, rows, report)
