"""The local store of imported official entries (FDA product codes, MFDS items).

Location: `app.config["KB_STORE"]` (env `MEDREG_KB_STORE`), default `<instance>/kb-store`.
Matching reads it through `imported_index(kb)`, which loads it once and re-checks the files'
modification times at most every few seconds, so a request does no file I/O.
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from medreg.knowledge.classification.matching import Candidate, MatchIndex

FDA_FILE = "fda-product-codes.json"
MFDS_FILE = "mfds-items.json"
RECHECK_S = 5.0
_lock = threading.Lock()


def default_instance_path() -> Path:
    """Flask's default instance folder for the `medreg` package (beside the package)."""
    import medreg

    return Path(medreg.__file__).resolve().parent.parent / "instance"


def store_dir(app=None) -> Path:
    """Where imported entries live: app.config KB_STORE, else MEDREG_KB_STORE, else the instance folder."""
    if app is None:
        try:
            from flask import current_app, has_app_context

            app = current_app._get_current_object() if has_app_context() else None
        except ImportError:  # pragma: no cover - flask is a dependency
            app = None
    if app is not None:
        configured = app.config.get("KB_STORE")
        return Path(configured) if configured else Path(app.instance_path) / "kb-store"
    env = os.environ.get("MEDREG_KB_STORE")
    return Path(env) if env else default_instance_path() / "kb-store"


def configure(kb, app) -> Path:
    """Point a knowledge base at an app's store (call from create_app, so that steps running
    outside an app context still read the store the `flask kb` commands write)."""
    kb.kb_store_dir = store_dir(app)
    return kb.kb_store_dir


def read_entries(directory: Path, name: str) -> dict[str, dict]:
    """The entries of one store file by key ({} when absent)."""
    path = directory / name
    if not path.is_file():
        return {}
    with path.open("r", encoding="utf-8") as handle:
        return json.load(handle)


def write_entries(directory: Path, name: str, entries: dict[str, dict]) -> Path:
    """Write one store file atomically (a reader never sees half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(entries, handle, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)
    return path


def build_imported_index(fda: dict[str, dict], mfds: dict[str, dict]) -> MatchIndex:
    """One index over imported FDA product codes and MFDS items."""
    items = []
    for code, row in sorted(fda.items()):
        items.append((Candidate(f"fda:{code}", row.get("name", code), "", "fda", row), [(row.get("name", ""), 1.0, False)]))
    for code, row in sorted(mfds.items()):
        name_ko = row.get("name_ko", code)
        items.append((Candidate(f"mfds:{code}", name_ko, name_ko, "mfds", row), [(name_ko, 1.0, False)]))
    return MatchIndex(items)


@dataclass
class _Cached:
    directory: Path
    stamp: tuple
    checked: float
    index: Optional[MatchIndex]


def _stamp(directory: Path) -> tuple:
    out = []
    for name in (FDA_FILE, MFDS_FILE):
        try:
            st = (directory / name).stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def imported_index(kb, directory: Optional[Path] = None) -> Optional[MatchIndex]:
    """The index over imported entries for this knowledge base, or None when nothing is imported."""
    directory = directory or kb.kb_store_dir or store_dir()
    cached: Optional[_Cached] = kb.imported_cache
    now = time.monotonic()
    if cached and cached.directory == directory and now - cached.checked < RECHECK_S:
        return cached.index
    stamp = _stamp(directory)
    if cached and cached.directory == directory and cached.stamp == stamp:
        cached.checked = now
        return cached.index
    with _lock:
        fda, mfds = read_entries(directory, FDA_FILE), read_entries(directory, MFDS_FILE)
        index = build_imported_index(fda, mfds) if (fda or mfds) else None
        kb.imported_cache = _Cached(directory, stamp, now, index)
    return index
