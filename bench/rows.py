"""The benches' one reader of JSON-lines sets (bench/data/*.jsonl)."""
from __future__ import annotations

import json
from pathlib import Path


def load_rows(path: Path | str) -> list[dict]:
    """The rows of a JSON-lines file (blank lines and # comments skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in (line.strip() for line in lines) if x and not x.startswith("#")]
