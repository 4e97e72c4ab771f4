"""Where the official reference data lives (one setting), and readers for it."""
from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """`MEDREG_SHARED_DATA`, default `../shared/data` beside the repository."""
    return Path(os.environ.get("MEDREG_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


def require_shared_data(relative: str) -> Path:
    """The path of one official file, or skip the test saying why it is absent."""
    path = shared_data_dir() / relative
    if not path.exists():
        pytest.skip(f"official data {path} is absent (set MEDREG_SHARED_DATA to the shared/data folder)")
    return path


@lru_cache(maxsize=1)
def fda_product_codes() -> dict[str, dict]:
    """FDA foiclass.txt rows by product code (pipe-delimited, latin-1)."""
    path = require_shared_data("fda/foiclass.txt")
    with path.open("r", encoding="latin-1", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="|", quoting=csv.QUOTE_NONE)
        return {row["PRODUCTCODE"]: row for row in reader}


@lru_cache(maxsize=1)
def mfds_items() -> dict[str, dict]:
    """MFDS item rows (medical devices and IVDs) by item code."""
    items: dict[str, dict] = {}
    for name in ("kr/mfds-items.csv", "kr/mfds-ivd-items.csv"):
        with require_shared_data(name).open("r", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                items[row["item_code"]] = row
    return items
