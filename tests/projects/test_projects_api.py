"""Projects over real gunicorn (two gevent workers) and real HTTP: create, run steps into the
project (JSON and stream), history, a diff after a concept change (en and ko), key isolation,
rename / delete / restore, and a project that survives a server restart."""
from __future__ import annotations

import requests

from tests.projects.conftest import headers, read_events

PUMP = "external insulin infusion pump for people with diabetes, worn on the body"
THERMOMETER = "manual wheelchair, self-propelled, for indoor use"


def _run(url: str, project_id: str, who: str = "alpha", **body) -> dict:
    response = requests.post(f"{url}/api/projects/{project_id}/runs", json=body, headers=headers(who), timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_project_keeps_its_history_and_says_what_changed(served) -> None:
    url = served.url
    created = requests.post(f"{url}/api/projects", json={"name": "Pump", "concept": PUMP},
                            headers=headers(), timeout=10)
    assert created.status_code == 201
    project = created.json()
    assert project["latest"]["concept"] == PUMP and project["latest"]["author"] != "local"
    pid = project["id"]

    classified = _run(url, pid, step="classify")
    assert classified["version"] == 2
    assert classified["result"]["markets"]["US"]["class"] == "II"

    with requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "standards", "stream": True},
                       headers=headers(), stream=True, timeout=60) as response:
        assert response.status_code == 201
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = read_events(response)
    kinds = [event.event for event in events]
    assert kinds[0] == "status" and kinds[-1] == "done" and kinds.count("done") == 1
    assert [int(event.id) for event in events] == list(range(1, len(events) + 1))
    streamed_plans = [event.data["data"]["id"] for event in events if event.event == "plan"]
    assert events[-1].data["version"] == 3

    version = requests.get(f"{url}/api/projects/{pid}/versions/3", headers=headers(), timeout=10).json()
    assert [plan["id"] for plan in version["plans"]] == streamed_plans
    assert version["classification"]["markets"]["US"]["class"] == "II"
    assert version["step"] == "standards" and version["engine"] == "paced-offline"
    assert version["kb_version"].startswith("0.1.0+kb.") and version["run_id"]

    # A concept change: the class and the plans change, and the diff says so in both languages.
    reclassified = _run(url, pid, step="classify", concept=THERMOMETER)
    assert reclassified["result"]["markets"]["US"]["class"] != "II"
    requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "standards"}, headers=headers(),
                  timeout=60).raise_for_status()
    diff = requests.get(f"{url}/api/projects/{pid}/diff", params={"from": 3, "to": 5}, headers=headers(),
                        timeout=10).json()
    by_kind = {}
    for change in diff["changes"]:
        by_kind.setdefault(change["kind"], []).append(change)
    assert by_kind["concept"][0]["to"] == THERMOMETER
    us = next(change for change in by_kind["class"] if change["market"] == "US")
    assert us["from"] == "II" and us["to"] == reclassified["result"]["markets"]["US"]["class"]
    assert us["en"] == f"US FDA class: II → {us['to']}" and us["ko"] == f"미국 FDA 등급: II → {us['to']}"
    assert "weeks" in by_kind and by_kind["weeks"][0]["en"].startswith("Critical path:")
    assert diff["summary"]["ko"] == f"변경 {len(diff['changes'])}건"

    history = requests.get(f"{url}/api/projects/{pid}", headers=headers(), timeout=10).json()
    assert [v["step"] for v in history["versions"]] == [None, "classify", "standards", "classify", "standards"]
    # Versions are immutable: version 3 still holds the pump's plans.
    again = requests.get(f"{url}/api/projects/{pid}/versions/3", headers=headers(), timeout=10).json()
    assert again == version

    # The server restarts: everything is still there.
    served.restart()
    url = served.url
    after = requests.get(f"{url}/api/projects/{pid}", headers=headers(), timeout=10).json()
    assert after["versions"] == history["versions"] and after["latest"] == history["latest"]
    listed = requests.get(f"{url}/api/projects", headers=headers(), timeout=10).json()["projects"]
    assert pid in [p["id"] for p in listed]


def test_another_key_sees_nothing_of_a_project(served) -> None:
    url = served.url
    pid = requests.post(f"{url}/api/projects", json={"name": "Secret", "concept": PUMP}, headers=headers(),
                        timeout=10).json()["id"]
    run = _run(url, pid, step="classify")["run"]
    for path in (f"/api/projects/{pid}", f"/api/projects/{pid}/versions/1", f"/api/projects/{pid}/diff?from=1&to=2",
                 f"/api/runs/{run['id']}", f"/api/runs/{run['id']}/events"):
        response = requests.get(url + path, headers=headers("beta", **{"Accept-Language": "ko"}), timeout=10)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found" and response.json()["error"]["message"] == "찾을 수 없습니다."
    assert requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "classify"}, headers=headers("beta"),
                         timeout=10).status_code == 404
    assert requests.patch(f"{url}/api/projects/{pid}", json={"name": "mine"}, headers=headers("beta"),
                          timeout=10).status_code == 404
    theirs = requests.get(f"{url}/api/projects", headers=headers("beta"), timeout=10).json()["projects"]
    assert pid not in [p["id"] for p in theirs]
    assert requests.get(f"{url}/api/projects", timeout=10).status_code == 401


def test_rename_delete_and_restore(served) -> None:
    url = served.url
    pid = requests.post(f"{url}/api/projects", json={"name": "Draft"}, headers=headers(), timeout=10).json()["id"]
    renamed = requests.patch(f"{url}/api/projects/{pid}", json={"name": "패치형 인슐린 펌프"}, headers=headers(), timeout=10)
    assert renamed.json()["name"] == "패치형 인슐린 펌프"
    assert requests.delete(f"{url}/api/projects/{pid}", headers=headers(), timeout=10).json()["deleted"] is True
    ids = lambda **params: [p["id"] for p in requests.get(f"{url}/api/projects", params=params, headers=headers(),
                                                         timeout=10).json()["projects"]]
    assert pid not in ids() and pid in ids(deleted=1)
    assert requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "classify", "concept": PUMP},
                         headers=headers(), timeout=10).status_code == 404
    restored = requests.post(f"{url}/api/projects/{pid}/restore", headers=headers(), timeout=10).json()
    assert restored["deleted"] is False and restored["name"] == "패치형 인슐린 펌프"
    assert pid in ids() and pid not in ids(deleted=1)


def test_a_step_without_its_inputs_says_which_step_first(served) -> None:
    url = served.url
    pid = requests.post(f"{url}/api/projects", json={"name": "빈 프로젝트"}, headers=headers(), timeout=10).json()["id"]
    response = requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "standards", "language": "ko"},
                             headers=headers(), timeout=10)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["standards"] == ["먼저 이전 단계를 실행하세요: classify."]
    bad = requests.post(f"{url}/api/projects/{pid}/runs", json={"step": "fly"}, headers=headers(), timeout=10)
    assert bad.status_code == 422 and "step" in bad.json()["error"]["fields"]


def test_estimate_cites_the_review_clock_and_never_invents_a_fee(served) -> None:
    url = served.url
    pid = requests.post(f"{url}/api/projects", json={"name": "Pacemaker", "concept": "implantable cardiac pacemaker"},
                        headers=headers(), timeout=10).json()["id"]
    for step in ("classify", "standards"):
        requests.post(f"{url}/api/projects/{pid}/runs", json={"step": step}, headers=headers(),
                      timeout=60).raise_for_status()
    estimate = requests.get(f"{url}/api/projects/{pid}/estimate", headers=headers(), timeout=10).json()
    markets = {entry["market"]: entry for entry in estimate["markets"]}
    us = markets["US"]
    assert us["pathway"] == "PMA" and us["review"]["value"] == 180 and us["review"]["unit"] == "FDA days"
    assert "21 CFR 814.40" in us["review"]["sources"]
    weeks = estimate["plan_weeks"]
    assert us["duration"] == {"optimistic": round(weeks * 0.8, 1), "likely": round(weeks, 1),
                              "pessimistic": round(weeks * 1.5, 1), "unit": "weeks",
                              "basis": us["duration"]["basis"]}
    assert us["total_weeks"]["likely"] == round(round(weeks, 1) + 180 / 7, 1)
    for entry in markets.values():  # no fee or cost figure anyone here could source
        assert entry["fee"]["value"] is None and entry["fee"]["status"] == "unknown"
        assert entry["cost"]["likely"] is None
    assert markets["EU"]["review"]["status"] == "unknown" and markets["KR"]["review"]["status"] == "unknown"
    edited = requests.get(f"{url}/api/projects/{pid}/estimate", params={"pessimistic_factor": 2, "language": "ko"},
                          headers=headers(), timeout=10).json()
    assert {m["market"]: m for m in edited["markets"]}["US"]["duration"]["pessimistic"] == round(weeks * 2, 1)
    assert [a["edited"] for a in edited["assumptions"]] == [False, True]
    assert "알 수 없음" in edited["markets"][0]["fee"]["note"]
