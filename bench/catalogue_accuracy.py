"""Accuracy of the offline classifier on concepts from the official catalogues (JSON lines).

    python bench/catalogue_accuracy.py bench/data/catalogue/catalogue_holdout1.jsonl [--show-misses]

Rows as bench/data/holdout8.jsonl: expected us_class, us_product_code, eu_class, kr_grade,
kr_item_code; rows whose status (top level or in expected) is `not_device` are right when the
answer says not_device or gives no class anywhere. Prints per-market class accuracy, exact code
accuracy, wrong answers at confidence >= 0.8, fabricated codes (given but not in the shipped
catalogue) and a reliability table: confidence bucket -> share of rows whose given answers are right.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import KEYS, MARKETS, load_rows  # noqa: E402
from medreg.knowledge import get_knowledge  # noqa: E402
from medreg.knowledge.qualification.apply import is_not_a_device  # noqa: E402

HIGH = 0.8
BUCKETS = ((0.0, 0.4), (0.4, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))


def _class(market: str, block: dict):
    value = block.get("class")
    return None if value is None else (int(value) if market == "KR" else str(value))


def _status(row: dict) -> str:
    return row.get("status") or (row.get("expected") or {}).get("status") or "device"


def main(argv: list[str] | None = None) -> int:
    """Run one file and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    kb = get_knowledge()
    rows = load_rows(args.path)
    started = time.perf_counter()
    tally = {m: [0, 0, 0, 0] for m in MARKETS}      # labelled, right, wrong, no class
    codes = {"us": [0, 0], "kr": [0, 0]}             # labelled, exact
    fabricated, confident_wrong, misses = [], [], []
    buckets = defaultdict(lambda: [0, 0])
    not_device = [0, 0]
    for row in rows:
        language = row.get("language") or "en"
        result = kb.classify(row["concept"], row.get("context"), MARKETS, language)
        conf = result["confidence"]
        us, kr = result["markets"]["US"], result["markets"]["KR"]
        for code in us.get("product_codes") or []:
            if code not in kb.catalogue.fda:
                fabricated.append(("US", code, row["concept"]))
        for code in kr.get("item_codes") or []:
            if code not in kb.catalogue.mfds:
                fabricated.append(("KR", code, row["concept"]))
        expected = row.get("expected") or {}
        ok = True
        if _status(row) == "not_device":
            not_device[0] += 1
            right = is_not_a_device(result) or all(_class(m, result["markets"][m]) is None for m in MARKETS)
            not_device[1] += right
            ok = right
            if not right and conf >= HIGH:
                confident_wrong.append((row["concept"], "status", "device", "not_device", conf))
        else:
            for market in MARKETS:
                want = expected.get(KEYS[market])
                if want is None:
                    continue
                want = int(want) if market == "KR" else str(want)
                got = _class(market, result["markets"][market])
                if market == "EU" and want == "I" and got in ("Is", "Im", "Ir"):
                    got = "I"   # a label of plain class I does not say sterile, measuring or reusable
                t = tally[market]
                t[0] += 1
                if got == want:
                    t[1] += 1
                elif got is None:
                    t[3] += 1
                else:
                    t[2] += 1
                    ok = False
                    if conf >= HIGH:
                        confident_wrong.append((row["concept"], market, got, want, conf))
            for key, got in (("us", us.get("product_codes") or []), ("kr", kr.get("item_codes") or [])):
                want = expected.get("us_product_code" if key == "us" else "kr_item_code")
                if want:
                    codes[key][0] += 1
                    codes[key][1] += bool(got) and got[0] == want
        bucket = next(b for b in BUCKETS if b[0] <= conf < b[1])
        buckets[bucket][0] += 1
        buckets[bucket][1] += ok
        if not ok:
            misses.append((row["concept"], (result.get("device") or {}).get("id"), conf))
    elapsed = time.perf_counter() - started
    print(f"{args.path} — {len(rows)} concepts, {elapsed:.2f} s")
    for market in MARKETS:
        n, right, wrong, none = tally[market]
        pct = f"{100.0 * right / n:5.1f}%" if n else "  n/a"
        print(f"  {market} class: {pct}  right {right}/{n}, wrong {wrong}, no class {none}")
    for key, label in (("us", "US product code exact"), ("kr", "KR item code exact")):
        n, hit = codes[key]
        print(f"  {label}: {hit}/{n}" + (f" ({100.0 * hit / n:.1f}%)" if n else ""))
    if not_device[0]:
        print(f"  not_device rows right: {not_device[1]}/{not_device[0]}")
    print(f"  wrong answers at confidence >= {HIGH}: {len(confident_wrong)}")
    for item in confident_wrong:
        print(f"    {item}")
    print(f"  fabricated codes (not in the catalogue): {len(fabricated)}")
    print("  reliability (confidence bucket: rows, share with no wrong class given):")
    for low, high in BUCKETS:
        n, ok = buckets[(low, high)]
        if n:
            print(f"    [{low:.1f}, {min(high, 1.0):.1f}): {n:4d}  {100.0 * ok / n:5.1f}%")
    if args.show_misses:
        for concept, device, conf in misses:
            print(f"  miss: {conf:.2f} {device} :: {concept[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
