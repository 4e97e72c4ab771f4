"""Fixtures for the round-trip tests: a real gunicorn without a rate limit, and every bench concept
taken through the web app's flow over it (JSON and streams), with the engine's in-process answers."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from medreg.engines.offline import OfflineEngine
from tests.engines.conftest import SECRET_KEY
from tests.http.roundtrip import Flow, Served, bench_concepts, expected, run_flow
from tests.servers import Gunicorn
from tests.stub_anthropic.process import StubProcess

# A thousand concepts, four steps each, twice: no rate limit, and no access log line per request.
ROUNDTRIP_ENV = {"MEDREG_ENGINE": "offline", "MEDREG_RATE_LIMIT": "off", "MEDREG_LOG_LEVEL": "WARNING",
                 "MEDREG_MAX_STREAMS_PER_CLIENT": "100"}
KINDS = ("json", "stream")
ANTHROPIC_CONCEPTS = (("implantable cardiac pacemaker", "en"), ("이식형 심장 박동기", "ko"))


@pytest.fixture(scope="session")
def roundtrip_url(server_logs):
    """A session-wide real gunicorn (gevent worker, offline engine) for thousands of requests."""
    server = Gunicorn(env=ROUNDTRIP_ENV, workers=1).start(server_logs)
    yield server.url
    server.stop(graceful=False)


@pytest.fixture(scope="session")
def offline_engine() -> OfflineEngine:
    """The offline engine, in this process."""
    return OfflineEngine()


@pytest.fixture(scope="session")
def bench_flows(roundtrip_url, offline_engine) -> dict[str, list[tuple[Flow, dict]]]:
    """By kind (json, stream): every bench concept's flow over HTTP, with the engine's answers in process."""
    served, concepts = Served(roundtrip_url), bench_concepts()
    flows: dict[str, list[tuple[Flow, dict]]] = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = {kind: [pool.submit(run_flow, served, kind, concept, language, index)
                       for index, (concept, language) in enumerate(concepts)] for kind in KINDS}
        flows["json"] = [(flow, expected(offline_engine, flow)) for flow in (job.result() for job in jobs["json"])]
        flows["stream"] = []
        for (by_json, answers), job in zip(flows["json"], jobs["stream"]):
            flow = job.result()
            # The engine's answers depend only on what was sent: the same inputs, the same answers.
            same = (flow.classification, flow.purpose, flow.plans) == (by_json.classification, by_json.purpose,
                                                                      by_json.plans)
            flows["stream"].append((flow, answers if same else expected(offline_engine, flow)))
    return flows


@pytest.fixture(scope="session")
def anthropic_server(server_logs, tmp_path_factory):
    """medreg under gunicorn (gevent) with the Anthropic engine pointed at the local stub: (url, stub)."""
    stub = StubProcess().start(tmp_path_factory.mktemp("stub") / "stub.log")
    server = Gunicorn(env={"MEDREG_ENGINE": "anthropic", "ANTHROPIC_API_KEY": SECRET_KEY,
                           "ANTHROPIC_BASE_URL": stub.url, "MEDREG_FALLBACK_OFFLINE": "0",
                           "MEDREG_RATE_LIMIT": "off"}).start(server_logs)
    yield server.url, stub
    server.stop(graceful=False)
    stub.stop()


@pytest.fixture(scope="session")
def anthropic_flows(anthropic_server) -> dict[str, list[Flow]]:
    """By kind: two concepts' whole flows through the Anthropic engine (stub) over HTTP."""
    served = Served(anthropic_server[0])
    return {kind: [run_flow(served, kind, concept, language, index)
                   for index, (concept, language) in enumerate(ANTHROPIC_CONCEPTS)] for kind in KINDS}
