"""Notices a client hanging up while its step is still working, without waiting for the next write.

WSGI has no disconnect signal and gunicorn's gevent worker gives none: a departed client is
otherwise seen only when a write fails, and a standards fan-out writes nothing until a plan is
done (a 429 back-off writes nothing at all). `ClientWatch` puts a libev read watcher on the
client's socket (`environ["gunicorn.socket"]`); readable plus a zero-byte `MSG_PEEK` means the
client closed. If the request's greenlet is then waiting for the step's next event, `ClientGone`
is thrown into it there: the relay ends, its producer is cancelled, and every upstream stream,
retry wait and fan-out child of the step is closed at once.
"""
from __future__ import annotations

import _socket
import os
import socket
from typing import Iterable, Iterator, Optional, TypeVar

from gevent import get_hub
from greenlet import getcurrent

T = TypeVar("T")


class ClientGone(Exception):
    """The client closed its connection while the step was still working."""


class Gone:
    """The marker `ClientWatch.next_item` returns when the items ended or the client left."""


GONE = Gone()


class ClientWatch:
    """Watches one client socket for EOF for as long as a response is being produced."""

    def __init__(self, environ: dict) -> None:
        self.target = getcurrent()
        self.armed = False   # the request's greenlet is waiting for the next event (safe to interrupt)
        self.gone = False
        self._watcher = None
        self._probe: Optional[_socket.socket] = None
        sock = environ.get("gunicorn.socket")
        if sock is None:
            return
        try:
            fd = sock.fileno()
            # A duplicate descriptor, used only to peek: gevent's socket object is the request's own.
            self._probe = _socket.socket(fileno=os.dup(fd))
            self._watcher = get_hub().loop.io(fd, 1)
            self._watcher.start(self._readable)
        except (OSError, ValueError):
            self.stop()

    def _readable(self) -> None:
        try:
            data = self._probe.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) if self._probe else b"x"
        except BlockingIOError:
            return
        except OSError:
            data = b""  # reset by the peer
        self.stop()
        if data:  # the client sent more (a pipelined request): not a hang-up, stop watching
            return
        self.gone = True
        if self.armed and not self.target.dead:
            self.target.throw(ClientGone())

    def next_item(self, iterator: Iterator[T]) -> T | Gone:
        """The iterator's next item, waited for with the watch armed; `GONE` at its end or once the client left.

        A plain method, not a generator around the items: a stream's greenlet then keeps one
        generator layer fewer on its C stack while it waits (about 0.4 KiB saved per open stream).
        """
        if self.gone:
            return GONE
        self.armed = True
        try:
            return next(iterator)
        except (StopIteration, ClientGone):
            return GONE
        finally:
            self.armed = False

    def relay(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, each waited for with the watch armed; ends (quietly) when the client has gone."""
        iterator = iter(items)
        try:
            while (item := self.next_item(iterator)) is not GONE:
                yield item
        finally:
            self.stop()
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    def stop(self) -> None:
        """Stop watching and release the duplicate descriptor."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()
            watcher.close()
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.close()
