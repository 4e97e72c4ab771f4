"""Accuracy of the offline classifier on a labelled set (JSON lines).

    python bench/accuracy.py                       # bench/data/dev_set.jsonl
    python bench/accuracy.py bench/data/holdout.jsonl --show-misses
    python bench/accuracy.py bench/data/holdout.jsonl --with-imports ../shared/data

Per market: correct / labelled, wrong (a class given that differs), review (no class given);
wrong answers given with confidence >= 0.8; and, when medreg.knowledge.plans.build exists, the recall
of the must-apply standards over the plans built from each classification.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402
sys.path.insert(0, str(Path(__file__).resolve().parent))

import qualification  # noqa: E402  (bench/qualification.py, beside this file)
from medreg.knowledge import Knowledge  # noqa: E402
from medreg.knowledge.catalogue.importers import import_fda, import_mfds  # noqa: E402
from medreg.knowledge.catalogue.loader import load_data  # noqa: E402
from medreg.markets import MARKETS  # noqa: E402

HERE = Path(__file__).resolve().parent
KEYS = {"US": "us_class", "EU": "eu_class", "KR": "kr_grade"}
HIGH = 0.8


@dataclass
class Tally:
    """Counts for one market."""

    labelled: int = 0
    correct: int = 0
    wrong: int = 0
    review: int = 0

    def pct(self) -> str:
        return f"{100.0 * self.correct / self.labelled:5.1f}%" if self.labelled else "   n/a"


@dataclass
class Report:
    """Everything the run measured."""

    rows: int = 0
    tallies: dict = field(default_factory=lambda: {m: Tally() for m in MARKETS})
    confident_wrong: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    std_expected: int = 0
    std_found: int = 0
    std_missing: dict = field(default_factory=dict)
    product_code_hits: int = 0
    product_code_labelled: int = 0


def _got(market: str, block: dict):
    value = block.get("class")
    if value is None:
        return None
    return int(value) if market == "KR" else value


def _standards(kb: Knowledge, classification: dict, language: str) -> set[str] | None:
    try:
        plans = kb.plans(classification, classification.get("category"), None, MARKETS, language)
    except Exception as exc:  # a broken plans module must not hide the class figures
        print(f"plans failed: {exc!r}", file=sys.stderr)
        return set()
    return {s["id"] for plan in plans for s in plan.get("standards", [])}


def evaluate(kb: Knowledge, rows: list[dict]) -> Report:
    """Classify every row and tally the outcome per market."""
    report = Report(rows=len(rows))
    for row in rows:
        language = row.get("language") or "en"
        result = kb.classify(row["concept"], row.get("context"), MARKETS, language)
        expected = row.get("expected") or {}
        problems = []
        for market in MARKETS:
            want = expected.get(KEYS[market])
            if want is None:
                continue
            tally = report.tallies[market]
            tally.labelled += 1
            got = _got(market, result["markets"][market])
            want = int(want) if market == "KR" else want
            if got == want:
                tally.correct += 1
            elif got is None:
                tally.review += 1
                problems.append(f"{market} review (want {want})")
            else:
                tally.wrong += 1
                problems.append(f"{market} {got} != {want}")
                if result["confidence"] >= HIGH:
                    report.confident_wrong.append((row["concept"], market, got, want, result["confidence"]))
        code = expected.get("us_product_code")
        if code:
            report.product_code_labelled += 1
            report.product_code_hits += code in (result["markets"]["US"].get("product_codes") or [])
        must = row.get("must_standards") or []
        if must:
            found = _standards(kb, result, language)
            if found is not None:
                report.std_expected += len(must)
                hits = [s for s in must if s in found]
                report.std_found += len(hits)
                for s in must:
                    if s not in found:
                        report.std_missing[s] = report.std_missing.get(s, 0) + 1
        if problems:
            device = result["device"]["id"] if result["device"] else None
            report.misses.append((row["concept"], device, result["confidence"], problems))
    return report


def print_report(path: Path, report: Report, elapsed: float, show_misses: bool) -> None:
    """A human-readable summary."""
    print(f"{path} — {report.rows} concepts, {elapsed:.2f} s")
    for market in MARKETS:
        t = report.tallies[market]
        print(f"  {market}: {t.pct()}  correct {t.correct}/{t.labelled}, wrong {t.wrong}, needs review {t.review}")
    if report.product_code_labelled:
        print(f"  US product code found: {report.product_code_hits}/{report.product_code_labelled}")
    print(f"  wrong answers with confidence >= {HIGH}: {len(report.confident_wrong)}")
    for concept, market, got, want, confidence in report.confident_wrong:
        print(f"    {market} {got} != {want} at {confidence}: {concept}")
    if report.std_expected:
        print(f"  must-apply standards recall: {100.0 * report.std_found / report.std_expected:.1f}% "
              f"({report.std_found}/{report.std_expected})")
        for sid, count in sorted(report.std_missing.items(), key=lambda kv: -kv[1])[:8]:
            print(f"    missing {sid}: {count}")
    else:
        print("  must-apply standards recall: n/a (medreg.knowledge.plans.build not available)")
    if show_misses:
        for concept, device, confidence, problems in report.misses:
            print(f"  MISS {concept!r} → {device} ({confidence}): {'; '.join(problems)}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on one or more labelled files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[HERE / "data" / "dev_set.jsonl"])
    parser.add_argument("--show-misses", action="store_true", help="list every concept with a miss")
    parser.add_argument("--with-imports", type=Path, metavar="SHARED_DATA",
                        help="also import foiclass.txt and the MFDS lists from this folder (a temporary store)")
    args = parser.parse_args(argv)
    kb = Knowledge(load_data())
    tmp = tempfile.TemporaryDirectory()
    kb.kb_store_dir = Path(tmp.name) / "store"   # never the user's own store: results must be reproducible
    if args.with_imports:
        import_fda(args.with_imports / "fda" / "foiclass.txt", kb.kb_store_dir)
        for name in ("mfds-items.csv", "mfds-ivd-items.csv"):
            import_mfds(args.with_imports / "kr" / name, kb.kb_store_dir)
        print(f"(with every FDA product code and MFDS item from {args.with_imports} imported)")
    for path in args.files:
        start = time.perf_counter()
        rows = load_rows(path)
        if qualification.is_qualification_file(rows):   # qualification rows: is it a device at all
            qualification.print_report(path, qualification.evaluate(kb, rows), time.perf_counter() - start)
            continue
        report = evaluate(kb, rows)
        print_report(path, report, time.perf_counter() - start, args.show_misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
