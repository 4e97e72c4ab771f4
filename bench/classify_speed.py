"""Classify latency in process: p50 / p95 with the embedded knowledge base, then with every
FDA product code and MFDS item imported (targets: p50 <= 5 ms and <= 20 ms).

    python bench/classify_speed.py [--shared-data ../shared/data] [--rounds 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rows import load_rows  # noqa: E402

from medreg.knowledge import Knowledge  # noqa: E402
from medreg.knowledge.catalogue.importers import import_fda, import_mfds  # noqa: E402
from medreg.knowledge.catalogue.loader import load_data  # noqa: E402
from medreg.markets import MARKETS  # noqa: E402

HERE = Path(__file__).resolve().parent


def concepts() -> list[tuple[str, str]]:
    """The development set's concepts (both languages), plus a few long founder-style ones."""
    rows = load_rows(HERE / "data" / "dev_set.jsonl")
    out = [(r["concept"], r.get("language", "en")) for r in rows]
    out += [("We are a seed-stage startup building a wearable ECG patch worn for 14 days that streams data over "
             "Bluetooth to a phone app, where a deep-learning model flags atrial fibrillation for cardiologists", "en"),
            ("저희는 가정에서 사용하는 AI 기반 수면무호흡 진단 웨어러블 기기를 개발하고 있으며 스마트폰 앱과 블루투스로 연결됩니다", "ko")]
    return out


def measure(kb: Knowledge, items: list[tuple[str, str]], rounds: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds over `rounds` passes (after one warm-up pass)."""
    for concept, language in items:
        kb.classify(concept, None, MARKETS, language)
    times = []
    for _ in range(rounds):
        for concept, language in items:
            start = time.perf_counter()
            kb.classify(concept, None, MARKETS, language)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main(argv: list[str] | None = None) -> int:
    """Print the latency figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", type=Path,
                        default=Path(os.environ.get("MEDREG_SHARED_DATA", HERE.parent.parent / "shared" / "data")))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    items = concepts()
    with tempfile.TemporaryDirectory() as tmp:
        kb = Knowledge(load_data())
        kb.kb_store_dir = Path(tmp) / "empty"
        p50, p95 = measure(kb, items, args.rounds)
        print(f"embedded ({len(kb.data.devices)} device types + shipped catalogue, {len(kb.catalogue_index())} entries): p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        fda = args.shared_data / "fda" / "foiclass.txt"
        if not fda.is_file():
            print(f"skipped the imported run: {fda} is absent")
            return 0
        store = Path(tmp) / "store"
        import_fda(fda, store)
        for name in ("mfds-items.csv", "mfds-ivd-items.csv"):
            import_mfds(args.shared_data / "kr" / name, store)
        kb = Knowledge(load_data())
        kb.kb_store_dir = store
        start = time.perf_counter()
        kb.classify("warm-up", None, MARKETS, "en")
        print(f"first call with imports (builds the index once): {(time.perf_counter() - start) * 1000:.0f} ms")
        p50, p95 = measure(kb, items, args.rounds)
        print(f"with all FDA codes and MFDS items imported: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
