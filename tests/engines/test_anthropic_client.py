"""The SDK client's transport: limits split between shards, calls on the least busy one, sent bodies let go."""
from __future__ import annotations

import httpx2
import pytest

from medreg.engines.anthropic.client import ClientSettings, ShardedTransport, make_client


class FakeShard:
    """A shard's transport that answers 200 (or `status`) with a body, recording what it was sent."""

    def __init__(self, number: int, sent: list, status: int = 200) -> None:
        self.number, self.sent, self.status = number, sent, status

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(self.number)
        headers = {"location": "http://stub/elsewhere"} if 300 <= self.status < 400 else {}
        return httpx2.Response(self.status, headers=headers, stream=httpx2.ByteStream(b"data: {}\n\n"))

    def close(self) -> None:
        pass


def fake_transport(count: int, status: int = 200) -> tuple[ShardedTransport, list[int]]:
    transport = ShardedTransport(count, httpx2.Limits(max_connections=30, max_keepalive_connections=6))
    sent: list[int] = []
    for shard in transport.shards:
        shard.close()
    transport.shards = [FakeShard(number, sent, status) for number in range(count)]
    return transport, sent


def test_limits_are_split_between_shards_and_close_closes_all() -> None:
    transport = ShardedTransport(3, httpx2.Limits(max_connections=30, max_keepalive_connections=6))
    assert [shard._pool._max_connections for shard in transport.shards] == [10] * 3
    assert [shard._pool._max_keepalive_connections for shard in transport.shards] == [2] * 3
    transport.close()
    assert all(shard._pool._connections == [] for shard in transport.shards)


def test_open_calls_spread_over_the_shards_and_calls_one_after_another_share_one() -> None:
    """Each call takes the shard with the fewest open; a closed body frees its place (once)."""
    transport, sent = fake_transport(3)
    open_calls = [transport.handle_request(httpx2.Request("POST", "http://stub/v1/messages")) for _ in range(7)]
    assert sent == [0, 1, 2, 0, 1, 2, 0]
    assert transport.busy == [3, 2, 2]
    for response in open_calls:
        assert response.read() == b"data: {}\n\n"
        response.close()
        response.close()
    assert transport.busy == [0, 0, 0]
    sent.clear()
    for _ in range(4):
        transport.handle_request(httpx2.Request("POST", "http://stub/v1/messages")).close()
    assert sent == [0, 0, 0, 0]


def test_a_sent_body_is_forgotten_unless_the_answer_is_a_redirect() -> None:
    body = b'{"prompt": "' + b"x" * 12000 + b'"}'
    transport, _ = fake_transport(1)
    request = httpx2.Request("POST", "http://stub/v1/messages", content=body)
    sent_stream = request.stream  # the HTTP core's own request keeps this very object
    transport.handle_request(request).close()
    assert request.content == b"" and b"".join(request.stream) == b"" and b"".join(sent_stream) == b""
    transport, _ = fake_transport(1, status=307)
    request = httpx2.Request("POST", "http://stub/v1/messages", content=body)
    transport.handle_request(request).close()
    assert request.content == body and b"".join(request.stream) == body


def test_the_engine_reuses_its_connection_for_calls_one_after_another(make_engine) -> None:
    """Through the real SDK and the stub: the model check and three classify calls, one connection."""
    from medreg.engines.base import ClassifyInput

    engine = make_engine()
    for _ in range(3):
        assert any(event.type == "result" for event in engine.classify(ClassifyInput("insulin pump", "en")))
    transport = engine.client._client._transport
    assert sum(len(shard._pool.connections) for shard in transport.shards) == 1
    assert transport.busy == [0] * len(transport.shards)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_the_literal_resolver_answers_ip_literals_as_getaddrinfo_does(host) -> None:
    import socket

    from gevent import get_hub

    from medreg.engines.anthropic.transport import literal_resolver

    resolver = literal_resolver(get_hub())
    expected = socket.getaddrinfo(host, 443, 0, socket.SOCK_STREAM)
    assert resolver.getaddrinfo(host, 443, 0, socket.SOCK_STREAM) == expected
    assert resolver.getaddrinfo("localhost", "443", 0, socket.SOCK_STREAM)  # a name: the thread pool answers


SHARDS = [(4000, 16, 16), (100, 16, 1), (640, 16, 10), (4000, 1, 1)]


@pytest.mark.parametrize("max_connections, shards, expected", SHARDS)
def test_shard_count_keeps_pools_large_enough(max_connections, shards, expected) -> None:
    settings = ClientSettings(api_key="sk-test", base_url="http://127.0.0.1:9", max_connections=max_connections,
                              pool_shards=shards)
    client = make_client(settings)
    try:
        transport = client._client._transport
        assert len(transport.shards) == expected
        per_shard = transport.shards[0]._pool._max_connections
        assert per_shard * expected >= max_connections
    finally:
        client.close()


RETRY_AFTER = [({"retry-after": "7"}, 7.0), ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
               ({"retry-after": "soon"}, None), ({}, None), ({"retry-after": "-3"}, 0.0)]


@pytest.mark.parametrize("headers, expected", RETRY_AFTER)
def test_retry_after_is_read_as_the_sdk_reads_it(headers, expected) -> None:
    from medreg.engines.anthropic.client import retry_after_s

    assert retry_after_s(httpx2.Headers(headers)) == expected
