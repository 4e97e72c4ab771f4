"""Projects under load: N standards runs at once (streamed) into a few projects on one SQLite
database written by two gevent workers; checks that no event and no version was lost.

  python bench/project_runs.py                  # 200 runs, 10 projects, 2 workers, 0.05 s per plan
  python bench/project_runs.py --runs 400 --workers 2 --gap 0.1
  python bench/project_runs.py --database postgresql://...   # the same against PostgreSQL

It starts its own gunicorn (this repo's gunicorn.conf.py) with the offline engine paced between
plans (tests/projects/fakes.py), so the runs overlap as a model's would.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.projects.conftest import BASE_ENV  # noqa: E402
from tests.projects.load import concurrent_runs  # noqa: E402
from tests.servers import Gunicorn  # noqa: E402


def main() -> int:
    """Run the measurement; exit 1 when anything was lost."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gap", type=float, default=0.05, help="seconds before each plan")
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="medreg-bench-"))
    database = args.database or f"sqlite:///{folder / 'medreg.db'}"
    server = Gunicorn(env={**BASE_ENV, "MEDREG_DATABASE_URL": database, "MEDREG_TEST_PLAN_GAP_S": str(args.gap),
                           "MEDREG_ENGINE": "tests.projects.fakes:PacedOffline"}, workers=args.workers).start(folder)
    try:
        started = time.monotonic()
        report = concurrent_runs(server.url, runs=args.runs, projects=args.projects)
        seconds = time.monotonic() - started
    finally:
        server.stop()
    print(f"runs {report.runs}  events {report.events}  seconds {seconds:.1f}  "
          f"database {database.split(':')[0]}  workers {args.workers}  problems {len(report.problems)}")
    for problem in report.problems[:20]:
        print("  ", problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
