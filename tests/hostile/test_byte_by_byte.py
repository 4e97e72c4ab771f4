"""A request sent one byte at a time over a raw socket to real gunicorn still gets a whole, right answer."""
from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlparse

import pytest

from tests.hostile.checks import check_json_answer, check_stream_answer

pytestmark = pytest.mark.server


def dechunk(body: bytes) -> bytes:
    """The payload of a `Transfer-Encoding: chunked` body."""
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out


def trickle(url: str, path: str, body: bytes, pause_s: float = 0.002) -> tuple[int, dict, bytes]:
    """POST `body`, headers included, one byte per send; read the answer to the end."""
    parsed = urlparse(url)
    head = (f"POST {path} HTTP/1.1\r\nHost: {parsed.netloc}\r\nContent-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((parsed.hostname, parsed.port), timeout=20) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in head + body:
            sock.sendall(bytes([byte]))
            time.sleep(pause_s)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head_bytes, _, payload = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    if headers.get("transfer-encoding") == "chunked":
        payload = dechunk(payload)
    return int(status_line.split()[1]), headers, payload


@pytest.mark.parametrize("path", ["/api/classify", "/api/stream/classify"])
def test_a_body_sent_byte_by_byte(live_server, path: str) -> None:
    """Headers and a Korean body (multi-byte characters split across sends) arrive a byte at a time."""
    body = json.dumps({"concept": "스마트폰 앱으로 제어하는 무선 인슐린 펌프"}, ensure_ascii=False).encode()
    status, headers, payload = trickle(live_server, path, body)  # offline, no rate limit
    assert status == 200
    step = "classify"
    if "/stream/" in path:
        events = check_stream_answer(step, status, headers["content-type"], payload)
        assert events[-1]["event"] == "done"
        result = next(e["data"]["data"] for e in events if e["event"] == "result")
    else:
        check_json_answer(step, status, headers["content-type"], payload)
        result = json.loads(payload)
    assert result["concept"] == "스마트폰 앱으로 제어하는 무선 인슐린 펌프" and result["language"] == "ko"
