"""The SDK client's sharded connection pool: limits split between shards, requests spread over them."""
from __future__ import annotations

import httpx2
import pytest

from medreg.engines.anthropic.client import ClientSettings, ShardedTransport, make_client


def test_requests_take_the_shards_in_turn_and_close_closes_all() -> None:
    transport = ShardedTransport(3, httpx2.Limits(max_connections=30, max_keepalive_connections=6))
    assert [shard._pool._max_connections for shard in transport.shards] == [10] * 3
    assert [shard._pool._max_keepalive_connections for shard in transport.shards] == [2] * 3
    sent: list[int] = []
    for number, shard in enumerate(transport.shards):
        shard.handle_request = lambda request, number=number: sent.append(number) or httpx2.Response(200)
    for _ in range(7):
        transport.handle_request(httpx2.Request("POST", "http://stub/v1/messages"))
    assert sent == [0, 1, 2, 0, 1, 2, 0]
    transport.close()
    assert all(shard._pool._connections == [] for shard in transport.shards)


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
