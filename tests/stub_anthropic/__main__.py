"""Run the stub: python -m tests.stub_anthropic --port 8900 [--first-token-s 0.5 --tokens-per-s 50]."""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from gevent.pywsgi import WSGIHandler, WSGIServer  # noqa: E402

from tests.stub_anthropic.server import Stub  # noqa: E402
from tests.stub_anthropic.stats import Counters  # noqa: E402


class _QuietLog:
    def write(self, *_args) -> None:
        pass


class _Handler(WSGIHandler):
    """Puts the client socket into the environ: the stub drops it and watches it for EOF."""

    def get_environ(self) -> dict:
        environ = super().get_environ()
        environ["stub.socket"] = self.socket
        return environ


def main(argv: list[str] | None = None) -> None:
    """Bind, fork `--processes` workers sharing the socket and counters, and serve."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--first-token-s", type=float, default=0.0)
    parser.add_argument("--tokens-per-s", type=float, default=0.0)
    parser.add_argument("--words", type=int, default=8, help="words per generated string")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args(argv)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    listener.listen(4096)
    counters = Counters(args.processes)
    row = 0
    for row in range(1, args.processes):
        if os.fork() == 0:
            break
    else:
        row = 0
    counters.claim_row(row)
    stub = Stub(first_token_s=args.first_token_s, tokens_per_s=args.tokens_per_s, words=args.words,
                counters=counters)
    print(f"stub listening on {args.host}:{args.port} (process {row})", file=sys.stderr, flush=True)
    WSGIServer(listener, stub, log=_QuietLog(), spawn=10000, handler_class=_Handler).serve_forever()


if __name__ == "__main__":
    main()
