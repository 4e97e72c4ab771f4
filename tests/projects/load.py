"""Many runs at once into a few projects over real HTTP, and the check that nothing was lost:
every streamed event stored once and in order, one terminal each, one version per finished run.
Used by the CI test (a few dozen runs) and by bench/project_runs.py (200)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from tests.projects.conftest import headers, read_events

PUMP = "external insulin infusion pump for people with diabetes, worn on the body"


@dataclass
class LoadReport:
    """What happened to the runs, and what was lost (the lists must be empty)."""

    runs: int
    events: int
    problems: list[str]


def _one_run(url: str, pid: str) -> tuple[str, list]:
    with requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "standards", "stream": True},
                       headers=headers(), stream=True, timeout=300) as response:
        response.raise_for_status()
        return response.headers["X-Run-Id"], read_events(response)


def concurrent_runs(url: str, runs: int, projects: int) -> LoadReport:
    """Start `runs` standards runs at once spread over `projects` new projects; check every one."""
    pids = []
    for n in range(projects):
        pid = requests.post(f"{url}/api/projects", json={"name": f"load {n}", "concept": PUMP}, headers=headers(),
                            timeout=30).json()["id"]
        requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "classify"}, headers=headers(),
                      timeout=60).raise_for_status()
        pids.append(pid)
    with ThreadPoolExecutor(max_workers=runs) as pool:
        results = list(pool.map(lambda n: (pids[n % projects], *_one_run(url, pids[n % projects])), range(runs)))
    problems: list[str] = []
    total = 0
    for pid, run_id, events in results:
        total += len(events)
        ids = [int(event.id) for event in events]
        if ids != list(range(1, len(ids) + 1)):
            problems.append(f"{run_id}: ids {ids}")
        kinds = [event.event for event in events]
        if kinds.count("done") + kinds.count("error") != 1 or kinds[-1] != "done":
            problems.append(f"{run_id}: ended {kinds[-3:]}")
        with requests.get(f"{url}/api/runs/{run_id}/events", headers=headers(), stream=True, timeout=60) as response:
            stored = read_events(response)
        if [(e.id, e.data) for e in stored] != [(e.id, e.data) for e in events]:
            problems.append(f"{run_id}: stored events differ from the streamed ones")
    for pid in pids:
        project = requests.get(f"{url}/api/projects/{pid}", headers=headers(), timeout=30).json()
        numbers = [version["number"] for version in project["versions"]]
        expected = 2 + sum(1 for p, _, _ in results if p == pid)
        if numbers != list(range(1, expected + 1)):
            problems.append(f"{pid}: versions {numbers}, expected 1..{expected}")
    return LoadReport(runs=len(results), events=total, problems=problems)
