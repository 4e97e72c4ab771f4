"""Two commands on a fresh clone with only Python 3.11+: `python3 dev.py serve` and `python3 dev.py test`.

Each makes `.venv` (once), installs what it needs, then serves on port 8000 or runs the whole suite.
"""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(requirements: str) -> None:
    """Create .venv if needed and install `requirements` into it (quietly; pip skips what is there)."""
    if sys.version_info < (3, 11):
        sys.exit("medreg needs Python 3.11 or newer")
    if not PYTHON.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{requirements}"
    source = ROOT / requirements
    if stamp.exists() and stamp.stat().st_mtime >= max(source.stat().st_mtime, (ROOT / "requirements.txt").stat().st_mtime):
        return
    print(f"installing {requirements} …", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-r", str(source)], cwd=ROOT, check=True)
    stamp.touch()


def serve(args: list[str]) -> int:
    """Serve medreg on 0.0.0.0:8000 with gunicorn's gevent workers (offline engine unless a key is set)."""
    ensure_venv("requirements.txt")
    return subprocess.call([str(PYTHON), "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app", *args], cwd=ROOT)


# Two pytest-xdist workers: much of the suite waits on servers, streams and browsers, so two halves
# overlap (each file, and files that share a server, in one worker: tests/xdist_groups.py).
# Arguments given after `test` come later and win: `-n 0` runs it in one process.
PARALLEL = ["-n", "2", "--dist", "loadfile"]


def test(args: list[str]) -> int:
    """Run the whole test suite on two workers (pytest, which also drives the Node and browser tests)."""
    ensure_venv("requirements-dev.txt")
    return subprocess.call([str(PYTHON), "-m", "pytest", *PARALLEL, *args], cwd=ROOT)


def main() -> int:
    """Dispatch `serve` or `test`; extra arguments go to gunicorn or pytest."""
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__.strip())
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
