"""medreg's app with parts stubbed, for measuring what they cost under gunicorn (benchmarks only).

    MEDREG_BENCH_STUB=body,runner,hooks,log gunicorn -c gunicorn.conf.py bench.stubbed_app:app
    python bench/streams.py throughput --stub body,runner,hooks,log
"""
from __future__ import annotations

import os

from bench.stream_cost import stubs
from wsgi import app

_wanted = {name.strip() for name in os.environ.get("MEDREG_BENCH_STUB", "").split(",") if name.strip()}
for _name, _label, _stub in stubs(app):
    if _name in _wanted:
        _stub()
