"""Worker RSS with the shipped catalogue: one gunicorn gevent worker, measured from /proc after a few
classifies and after every catalogue holdout concept once and twice (the catalogue's caches grow
with use, so the second pass shows whether they level off). Issue 14's target: <= 150 MiB.

  python bench/worker_rss.py            # each concept of bench/data/catalogue/*.jsonl, twice
  python bench/worker_rss.py --passes 3
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import Gunicorn  # noqa: E402

SETS = Path(__file__).resolve().parent / "data" / "catalogue"
LIMIT_MIB = 150.0


def worker_rss_mib(server: Gunicorn) -> float:
    """The one worker's resident set size, MiB (VmRSS)."""
    (pid,) = server.worker_pids()
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def concepts() -> list[str]:
    """Every catalogue holdout concept, in file order."""
    return [json.loads(line)["concept"] for path in sorted(SETS.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    """Print the worker's RSS as it classifies; exit 1 past the limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()
    texts = concepts()
    server = Gunicorn(env={"MEDREG_ENGINE": "offline", "MEDREG_RATE_LIMIT": "off", "MEDREG_LOG_LEVEL": "WARNING"})
    server.start(Path(tempfile.mkdtemp(prefix="worker-rss-")))
    try:
        session = requests.Session()
        print(f"idle: {worker_rss_mib(server):.1f} MiB")
        for text in texts[:3]:
            session.post(f"{server.url}/api/classify", json={"concept": text}, timeout=30).raise_for_status()
        print(f"after 3 classifies: {worker_rss_mib(server):.1f} MiB")
        rss = 0.0
        for n in range(1, args.passes + 1):
            for text in texts:
                session.post(f"{server.url}/api/classify", json={"concept": text}, timeout=30).raise_for_status()
            rss = worker_rss_mib(server)
            print(f"after {n} x {len(texts)} more: {rss:.1f} MiB")
    finally:
        server.stop(graceful=False)
    print(f"limit {LIMIT_MIB:.0f} MiB: {'met' if rss <= LIMIT_MIB else 'NOT met'}")
    return 0 if rss <= LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
