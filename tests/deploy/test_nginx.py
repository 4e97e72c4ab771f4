"""deploy/nginx.conf, run by real nginx in front of real gunicorn: what only the real proxy shows."""
from __future__ import annotations

import gzip
import json
import re
import time

import pytest
import requests

from tests.sse_parse import events_of

pytestmark = pytest.mark.server

SLOW = "tests.fakes:SlowEngine"


def read_lines(url: str, body: dict, timeout: float = 30) -> tuple[list[tuple[float, bytes]], bool]:
    """POST a stream; (seconds since send, line) for each line as it arrives, and whether it ended cleanly."""
    started = time.monotonic()
    lines: list[tuple[float, bytes]] = []
    try:
        with requests.post(url, json=body, stream=True, timeout=timeout) as response:
            assert response.status_code == 200, response.text
            assert response.headers["Content-Type"].startswith("text/event-stream")
            for line in response.iter_lines(chunk_size=1):
                lines.append((time.monotonic() - started, line))
    except requests.exceptions.ChunkedEncodingError:
        return lines, False  # the proxy cut the stream mid-body
    return lines, True


def event_names(lines: list[tuple[float, bytes]]) -> list[str]:
    """The `event:` names among the lines, in order."""
    return [line[len(b"event: "):].decode() for _, line in lines if line.startswith(b"event: ")]


def test_events_arrive_one_by_one_through_nginx(proxied) -> None:
    """The first status comes at once and the halfway status before the 2 s step ends: nothing buffered."""
    proxy, _ = proxied({"MEDREG_ENGINE": SLOW, "MEDREG_TEST_STEP_S": "2", "MEDREG_HEARTBEAT_S": "0.3"})
    lines, clean = read_lines(f"{proxy.url}/api/stream/classify", {"concept": "slow pump"})
    assert clean
    data_times = [t for t, line in lines if line.startswith(b"data:")]
    halfway = next(t for t, line in lines if b'"halfway"' in line)
    assert data_times[0] < 0.5
    assert 0.8 < halfway < 1.6
    assert data_times[-1] > 1.8
    assert sum(1 for _, line in lines if line == b": keep-alive") >= 3
    raw = b"".join(line + b"\n" for _, line in lines)
    events = events_of(raw if raw.endswith(b"\n\n") else raw + b"\n")
    assert [e["event"] for e in events] == ["status", "status", "result", "done"]
    assert [int(e["id"]) for e in events] == [1, 2, 3, 4]


@pytest.mark.parametrize("heartbeat_s, survives", [
    ("0.5", True),   # heartbeats every 0.5 s keep a 2.5 s silence under a 2 s proxy_read_timeout
    ("10", False),   # control: without them nginx cuts the stream, so the test above can fail
])
def test_heartbeats_keep_an_idle_stream_open(proxied, heartbeat_s: str, survives: bool) -> None:
    """A 5 s step that is silent for 2.5 s at a time, behind proxy_read_timeout 2s."""
    proxy, _ = proxied({"MEDREG_ENGINE": SLOW, "MEDREG_TEST_STEP_S": "5", "MEDREG_HEARTBEAT_S": heartbeat_s},
                       stream_read_timeout="2s")
    lines, clean = read_lines(f"{proxy.url}/api/stream/classify", {"concept": "idle pump"})
    names = event_names(lines)
    if survives:
        assert clean and names[-1] == "done" and names.count("done") == 1
        assert lines[-1][0] > 4.5
    else:
        assert "done" not in names and "error" not in names
        assert lines[-1][0] < 3.0
        assert "upstream timed out" in proxy.error_log()


def test_no_gzip_on_the_stream_even_when_asked(proxied) -> None:
    """Accept-Encoding: gzip compresses JSON (control) but never text/event-stream."""
    proxy, _ = proxied({"MEDREG_ENGINE": "tests.fakes:InstantEngine"})
    headers = {"Accept-Encoding": "gzip"}
    stream = requests.post(f"{proxy.url}/api/stream/classify", json={"concept": "pump"}, headers=headers,
                           stream=True, timeout=10)
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    assert "Content-Encoding" not in stream.headers
    raw = stream.raw.read()  # undecoded bytes: plain SSE, not a gzip member
    assert not raw.startswith(b"\x1f\x8b")
    assert [e["event"] for e in events_of(raw)][-1] == "done"
    spec = requests.get(f"{proxy.url}/openapi.json", headers=headers, stream=True, timeout=10)
    assert spec.headers.get("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(spec.raw.read()))["openapi"].startswith("3.1")


@pytest.mark.parametrize("path, content_type", [
    ("/api/classify", "application/json"),
    ("/api/stream/classify", "text/event-stream"),
])
def test_bodies_over_64_kib_are_refused_by_nginx(proxied, path: str, content_type: str) -> None:
    """413 in the documented shape, answered by nginx without troubling gunicorn; 64 KiB still passes."""
    proxy, server = proxied({"MEDREG_ENGINE": "tests.fakes:InstantEngine"})
    big = json.dumps({"concept": "x" * (65 * 1024)})
    response = requests.post(f"{proxy.url}{path}", data=big, headers={"Content-Type": "application/json"},
                             timeout=10)
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith(content_type)
    if content_type == "application/json":
        assert response.json()["error"] == {"code": "payload_too_large", "retryable": False,
                                            "message": "The request body is larger than 64 KiB."}
    else:
        (event,) = events_of(response.content)
        assert event["data"]["code"] == "payload_too_large"
    assert path not in server.access_path.read_text()
    # Just under the limit reaches the app, which judges the concept too long (422), not too large.
    under = json.dumps({"concept": "x" * (64 * 1024 - 20)})
    assert len(under) <= 64 * 1024
    passed = requests.post(f"{proxy.url}{path}", data=under, headers={"Content-Type": "application/json"},
                           timeout=10)
    assert passed.status_code == 422


def _upstream_saw(server, path: str) -> list[dict]:
    lines = [line for line in server.access_path.read_text().splitlines() if f" {path} " in line]
    return [dict(re.findall(r"(rid|xff)=(\S*)", line)) for line in lines]


def test_request_id_is_passed_or_made_and_forwarded_for_is_not_spoofable(proxied) -> None:
    """gunicorn sees the client's X-Request-ID, a fresh one when absent or malformed, and the real client address."""
    proxy, server = proxied({"MEDREG_ENGINE": "tests.fakes:InstantEngine"})
    for request_id in ("abc-123.DEF", None, "bad id<script>"):
        headers = {"X-Forwarded-For": "6.6.6.6"}
        if request_id:
            headers["X-Request-ID"] = request_id
        assert requests.get(f"{proxy.url}/healthz", headers=headers, timeout=10).status_code == 200
    time.sleep(0.2)
    seen = _upstream_saw(server, "/healthz")[-3:]
    assert seen[0]["rid"] == "abc-123.DEF"
    assert re.fullmatch(r"[0-9a-f]{32}", seen[1]["rid"])
    assert re.fullmatch(r"[0-9a-f]{32}", seen[2]["rid"]) and seen[2]["rid"] != seen[1]["rid"]
    assert all(entry["xff"] == "127.0.0.1" for entry in seen)
    logged = [json.loads(line) for line in proxy.access_log().splitlines()]
    assert [entry["request_id"] for entry in logged[-3:]] == [s["rid"] for s in seen]


@pytest.mark.parametrize("request_id", ["client-chosen-42", None])
def test_the_stream_echoes_the_request_id_nginx_passed(proxied, request_id) -> None:
    """The id in the stream's events is the one nginx logged: the client's, or the one nginx made."""
    proxy, _ = proxied({"MEDREG_ENGINE": "tests.fakes:InstantEngine"})
    headers = {"X-Request-ID": request_id} if request_id else {}
    response = requests.post(f"{proxy.url}/api/stream/classify", json={"concept": "pump"}, headers=headers,
                             timeout=10)
    echoed = {e["data"].get("request_id") for e in events_of(response.content)} - {None}
    time.sleep(0.2)
    logged = json.loads(proxy.access_log().splitlines()[-1])["request_id"]
    assert echoed == {logged}
    assert logged == request_id if request_id else re.fullmatch(r"[0-9a-f]{32}", logged)


@pytest.mark.parametrize("path, content_type", [
    ("/api/classify", "application/json"),
    ("/api/stream/classify", "text/event-stream"),
])
def test_upstream_down_answers_in_the_error_shape(proxied, path: str, content_type: str) -> None:
    """With gunicorn gone, nginx answers 503 `upstream_unavailable` (retryable), not an HTML page."""
    proxy, server = proxied({"MEDREG_ENGINE": "tests.fakes:InstantEngine"})
    server.stop()
    response = requests.post(f"{proxy.url}{path}", json={"concept": "pump"}, timeout=10)
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.headers["Retry-After"] == "5"
    error = response.json()["error"] if content_type == "application/json" else events_of(response.content)[0]["data"]
    assert error["code"] == "upstream_unavailable" and error["retryable"] is True


def test_a_spoofed_forwarded_for_does_not_escape_the_rate_limit(proxied) -> None:
    """With MEDREG_PROXY_HOPS=1 the app counts the address nginx saw, not the one a client claims."""
    proxy, _ = proxied({"MEDREG_ENGINE": "tests.fakes:InstantEngine", "MEDREG_RATE_LIMIT": "3/minute",
                        "MEDREG_PROXY_HOPS": "1"})
    statuses = [requests.post(f"{proxy.url}/api/classify", json={"concept": "pump"}, timeout=10,
                              headers={"X-Forwarded-For": f"10.0.0.{n}"})
                for n in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert statuses[-1].json()["error"]["code"] == "rate_limited"
    assert int(statuses[-1].headers["Retry-After"]) >= 1


def test_export_takes_a_whole_session_through_nginx(proxied) -> None:
    """/api/export has its own limit in nginx too (256 KiB, as the app's): 100 KiB passes, 257 KiB is refused."""
    proxy, server = proxied({"MEDREG_ENGINE": "offline"})
    dossier = {"concept": "urinary catheter", "language": "en", "context": "x" * (100 * 1024)}
    ok = requests.post(f"{proxy.url}/api/export", json={"format": "markdown", "dossier": dossier}, timeout=10)
    assert ok.status_code == 200 and "# Regulatory dossier: urinary catheter" in ok.text
    dossier["context"] = "x" * (257 * 1024)
    refused = requests.post(f"{proxy.url}/api/export", json={"format": "markdown", "dossier": dossier}, timeout=10)
    assert refused.status_code == 413
    assert refused.json()["error"]["message"] == "The request body is larger than 256 KiB."
    assert server.access_path.read_text().count("/api/export") == 1   # nginx refused it: gunicorn saw one
