"""Guard: the qualification status of every row of the device sets (and the device rows of the
qualification sets), written to a JSON file so two runs can be compared row by row.

    python bench/qualification_guard.py out.json [compare_with.json]

A device set's rows are all devices; any row whose status is not "device" is listed. With a second
file, every row whose status changed is printed (a cue batch must change no device row).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medreg.knowledge import Knowledge  # noqa: E402
from medreg.knowledge.catalogue.loader import load_data  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
MARKETS = ("US", "EU", "KR")


def rows() -> list[tuple[str, dict]]:
    """(set name, row) for every labelled row: device sets, catalogue sets, qualification sets."""
    out = []
    for path in sorted(DATA.glob("*.jsonl")) + sorted((DATA / "catalogue").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                out.append((path.name, json.loads(line)))
    return out


def main() -> None:
    """Classify every row, save statuses, list non-device device rows and changes against a baseline."""
    kb = Knowledge(load_data())
    result = {}
    for name, row in rows():
        q = kb.classify(row["concept"], row.get("context"), MARKETS, row.get("language") or "en")["qualification"]
        exp = row.get("expected") or {}
        device_row = "status" not in exp or exp["status"] == "device"
        result[f"{name}|{row['concept']}"] = {"status": q["status"], "device_row": device_row}
    Path(sys.argv[1]).write_text(json.dumps(result, ensure_ascii=False, indent=0), "utf-8")
    counts: dict = {}
    for key, v in result.items():
        if v["device_row"]:
            counts[v["status"]] = counts.get(v["status"], 0) + 1
    print("device rows by status:", counts)
    if len(sys.argv) > 2:
        base = json.loads(Path(sys.argv[2]).read_text("utf-8"))
        changed = [(k, base[k]["status"], v["status"], v["device_row"]) for k, v in result.items()
                   if k in base and base[k]["status"] != v["status"]]
        lost = [c for c in changed if c[3] and c[1] == "device"]
        print(f"changed rows: {len(changed)}; device rows that left 'device': {len(lost)}")
        for k, a, b, dev in changed:
            print(("LOST " if dev and a == "device" else "     ") + f"{a} -> {b}: {k[:160]}")


if __name__ == "__main__":
    main()
