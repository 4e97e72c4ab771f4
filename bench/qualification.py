"""Qualification accuracy of the offline engine on a labelled set (JSON lines).

    python bench/qualification.py bench/data/qualification_dev.jsonl [more files]

Each line: {"concept", "language", "expected": {"status", "markets": {"US"|"EU"|"KR": status}},
"acceptable": [other statuses accepted], "category", "note"}. A prediction is correct when it equals
expected.status or is in `acceptable`. Prints status accuracy, devices called not_device (the costly
error), per-market accuracy, per-category accuracy, and every miss.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402

from medreg.knowledge import Knowledge  # noqa: E402
from medreg.knowledge.catalogue.loader import load_data  # noqa: E402

MARKETS = ("US", "EU", "KR")


@dataclass
class QualReport:
    """What one run measured."""

    rows: int = 0
    correct: int = 0
    device_missed: list = field(default_factory=list)
    market_ok: dict = field(default_factory=lambda: {m: 0 for m in MARKETS})
    market_n: dict = field(default_factory=lambda: {m: 0 for m in MARKETS})
    categories: dict = field(default_factory=dict)
    misses: list = field(default_factory=list)


def is_qualification_file(rows: list[dict]) -> bool:
    """Whether rows are qualification rows (expected.status) rather than class rows."""
    return bool(rows) and all(isinstance(r.get("expected"), dict) and "status" in r["expected"] for r in rows)


def evaluate(kb: Knowledge, rows: list[dict]) -> QualReport:
    """Classify every row and compare its qualification with the label."""
    report = QualReport(rows=len(rows))
    for row in rows:
        language = row.get("language") or "en"
        result = kb.classify(row["concept"], row.get("context"), MARKETS, language)
        q = result.get("qualification") or {}
        got = q.get("status")
        want = row["expected"]["status"]
        accepted = {want, *(row.get("acceptable") or [])}
        ok = got in accepted
        report.correct += ok
        cat = report.categories.setdefault(row.get("category", "?"), [0, 0])
        cat[0] += ok
        cat[1] += 1
        if want == "device" and got == "not_device":
            report.device_missed.append(row["concept"])
        wrong_markets = []
        for market, status in (row["expected"].get("markets") or {}).items():
            mine = ((q.get("markets") or {}).get(market) or {}).get("status")
            report.market_n[market] += 1
            if mine == status or mine in (row.get("acceptable") or []):
                report.market_ok[market] += 1
            else:
                wrong_markets.append(f"{market} {mine} != {status}")
        if not ok or wrong_markets:
            report.misses.append((row["concept"], got, want, q.get("basis"), q.get("cues"), wrong_markets, ok))
    return report


def print_report(path: Path, report: QualReport, elapsed: float) -> None:
    """A human-readable summary, every miss included."""
    pct = 100.0 * report.correct / report.rows if report.rows else 0.0
    print(f"{path} — {report.rows} concepts (qualification), {elapsed:.2f} s")
    print(f"  status accuracy: {pct:.1f}% ({report.correct}/{report.rows})")
    print(f"  device called not_device: {len(report.device_missed)}")
    for concept in report.device_missed:
        print(f"    {concept}")
    for market in MARKETS:
        n = report.market_n[market]
        if n:
            print(f"  {market}: {100.0 * report.market_ok[market] / n:5.1f}% ({report.market_ok[market]}/{n})")
    for cat, (ok, n) in sorted(report.categories.items()):
        print(f"  {cat:<15} {ok}/{n}")
    for concept, got, want, basis, cues, markets, ok in report.misses:
        kind = "MISS" if not ok else "market"
        print(f"  {kind} {concept!r}: got {got} (want {want}; {basis} {cues}) {'; '.join(markets)}")


def main(argv: list[str] | None = None) -> int:
    """Score each file given."""
    files = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [
        Path(__file__).resolve().parent / "data" / "qualification_dev.jsonl"]
    kb = Knowledge(load_data())
    for path in files:
        start = time.perf_counter()
        report = evaluate(kb, load_rows(path))
        print_report(path, report, time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
