"""pytest-xdist scheduling for the suite (`python3 dev.py test`: `-n 2 --dist loadfile`).

Each worker is a pytest session of its own: session fixtures start once per worker, module fixtures
once per file in the worker that runs it. As with loadfile, every file runs whole in one worker; the
files of a group below run in one worker together, because they share something dear or count across
files. (pytest-xdist's own `loadgroup` renames items in a way pytest 9.2 ignores, so it is not used.)
"""
from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# Path prefix (from the rootdir) -> group.
GROUPS: dict[str, str] = {
    "tests/hostile/": "hostile",  # test_total judges every generating test's requests, counted in its process
    "tests/projects/": "projects",  # one PostgreSQL cluster, one redis-server, one `served` gunicorn
    # bench_flows (every bench concept's flow over HTTP, 8,000 requests: ~40 s), roundtrip_url, anthropic_server
    "tests/http/test_roundtrip_": "http-served",
    "tests/http/test_answers.py": "http-served",
    "tests/http/test_anthropic_qualification.py": "http-served",
}


def scope_of(nodeid: str) -> str:
    """The work unit of a test: its group, or its file."""
    path = nodeid.split("::", 1)[0]
    return next((f"group:{name}" for prefix, name in GROUPS.items() if path.startswith(prefix)), path)


class GroupedFileScheduling(LoadFileScheduling):
    """LoadFileScheduling whose work units are the groups of GROUPS, and every other file alone."""

    def _split_scope(self, nodeid: str) -> str:
        """The work unit of `nodeid` (the one method LoadScopeScheduling asks its subclasses for)."""
        return scope_of(nodeid)
