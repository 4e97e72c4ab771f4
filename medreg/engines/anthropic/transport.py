"""The upstream transport under the SDK: sharded connection pools, sent bodies let go, IP literals resolved inline.

Measured on 2 shared cores (issue 15):
- least-busy shards, replacing shards taken in turn: 40 classify streams one after another
  opened 40 connections (no keep-alive reuse at all: each call found its shard's pool empty),
  now 0 (the model check's connection serves them all);
- forgetting the sent body, with the literal resolver: RSS per silent open stream 113-115 -> 105-106
  KiB (`python bench/peers.py open --medreg-only --open 1000 --open-first-token-s 150 --rate 50`);
- the literal resolver: 54 -> 5 us a lookup of 127.0.0.1; 500 streams opened at once in process
  held 85.5 KiB traced memory each (many still queued for the thread pool), 58.6 KiB with it.
"""
from __future__ import annotations

import socket
from _socket import getaddrinfo as _c_getaddrinfo  # the C function, which gevent never patches
from typing import Callable, Iterator

import httpx2

# Connections per pool shard, at least (see `ShardedTransport`).
CONNECTIONS_PER_SHARD = 64

# TCP keep-alive as the SDK sets it on its own transport (idle 60 s, probes every 60 s, 5 tries).
KEEPALIVE_OPTIONS = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, True)] + [
    (socket.IPPROTO_TCP, option, value)
    for option, value in ((getattr(socket, "TCP_KEEPINTVL", None), 60), (getattr(socket, "TCP_KEEPCNT", None), 5),
                          (getattr(socket, "TCP_KEEPIDLE", None), 60)) if option is not None]

_SENT = b""


def forget_body(request: httpx2.Request) -> None:
    """Drop a sent request's body (about 12 KiB a Messages call), which the response keeps until it closes.

    The HTTP library sends the whole body before it reads the answer's head, and the SDK builds a
    new request for every retry; only a redirect (307/308) would send this one again. The body is
    kept twice, as the content and as the stream that sent it, and the stream object is shared
    with the HTTP core's own request (which the open response body keeps): it is emptied in place.
    Replacing only `request.stream` left the bytes held there: `python bench/stream_memory.py
    --open 300 --trace 15` still traced 12.9 KiB per silent open stream to the SDK's JSON encoder.
    """
    stream = request.stream
    if isinstance(stream, httpx2.ByteStream):
        stream._stream = _SENT  # its one attribute: ByteStream yields exactly this
    else:
        request.stream = httpx2.ByteStream(_SENT)
    if "_content" in vars(request):
        vars(request)["_content"] = _SENT


class _Released(httpx2.SyncByteStream):
    """A response body that tells its shard when it is closed (the call no longer holds a connection)."""

    def __init__(self, stream: httpx2.SyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)  # the inner iterator itself: no extra layer per chunk

    def close(self) -> None:
        """Close the body, then release the shard once."""
        try:
            self._stream.close()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


class ShardedTransport(httpx2.BaseTransport):
    """Several connection pools behind one client; each call goes to the pool with the fewest calls open.

    The HTTP library's pool re-scans every connection it holds whenever a request starts or
    ends (and probes each idle one's socket); with a thousand streams open on one pool that
    bookkeeping cost more CPU than reading the streams. Each shard holds a slice of them. Taking
    the least busy shard (the first of equals) keeps calls made one after another on one pool,
    where the last call's connection waits: taken in turn, every call found its shard's pool empty.
    """

    def __init__(self, shards: int, limits: httpx2.Limits) -> None:
        count = max(1, shards)
        per_shard = httpx2.Limits(
            max_connections=None if limits.max_connections is None else max(1, -(-limits.max_connections // count)),
            max_keepalive_connections=(None if limits.max_keepalive_connections is None
                                       else max(1, -(-limits.max_keepalive_connections // count))),
            keepalive_expiry=limits.keepalive_expiry)
        self.shards = [httpx2.HTTPTransport(limits=per_shard, socket_options=KEEPALIVE_OPTIONS) for _ in range(count)]
        self.busy = [0] * count  # calls open on each shard: sent, their body not yet closed

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send on the least busy shard; once the answer is not a redirect, forget the sent body."""
        busy = self.busy
        index = busy.index(min(busy))
        busy[index] += 1
        try:
            response = self.shards[index].handle_request(request)
        except BaseException:
            busy[index] -= 1
            raise

        def release() -> None:
            busy[index] -= 1

        response.stream = _Released(response.stream, release)
        if not response.is_redirect:
            forget_body(request)
        return response

    def close(self) -> None:
        """Close every pool."""
        for shard in self.shards:
            shard.close()


def _numeric_host(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return True
        except (OSError, ValueError):
            continue
    return False


def literal_resolver(hub):
    """gevent's thread-pool resolver, except that an IP literal with a numeric port is answered inline.

    Every new upstream connection resolves its host, and gevent sends each lookup to its thread
    pool, even 127.0.0.1, which a numeric-only getaddrinfo answers without blocking. Names
    (api.anthropic.com) still go to the pool, so a slow DNS server never blocks the hub.
    gunicorn.conf.py installs it in each worker.
    """
    from gevent.resolver.thread import Resolver

    class LiteralResolver(Resolver):
        def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
            if _numeric_host(host) and (port is None or isinstance(port, int) or str(port).isdigit()):
                return _c_getaddrinfo(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
            return super().getaddrinfo(host, port, family, type, proto, flags)

    return LiteralResolver(hub)
