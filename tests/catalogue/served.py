"""One classify as the user receives it from a real server, by both endpoints."""
from __future__ import annotations

import requests

from tests.sse_parse import events_of


def classify_both(url: str, body: dict) -> dict:
    """The JSON answer, after checking the stream's one result equals it and the stream ends with done."""
    served = requests.post(f"{url}/api/classify", json=body, timeout=30)
    assert served.status_code == 200
    stream = requests.post(f"{url}/api/stream/classify", json=body, timeout=30)
    events = events_of(stream.content)
    assert [e["event"] for e in events].count("result") == 1 and events[-1]["event"] == "done"
    result = next(e for e in events if e["event"] == "result")["data"]["data"]
    assert result == served.json()
    return result
