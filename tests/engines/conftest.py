"""Fixtures for the Anthropic engine: one stub process per module, reset before each test."""
from __future__ import annotations

import pytest

from medreg.engines.anthropic.engine import AnthropicEngine
from tests.stub_anthropic.process import StubProcess

SECRET_KEY = "sk-ant-test-secret-0123456789"


@pytest.fixture(scope="module")
def stub_server(tmp_path_factory):
    """A running stub (its own process, gevent-patched) for the whole module."""
    server = StubProcess().start(tmp_path_factory.mktemp("stub") / "stub.log")
    yield server
    server.stop()


@pytest.fixture
def stub(stub_server):
    """The stub with counters, script and latency reset."""
    stub_server.control(reset=True, first_token_s=0.0, tokens_per_s=0.0, words=8, api_key=None)
    return stub_server


@pytest.fixture
def make_engine(stub):
    """Factory: an AnthropicEngine pointed at the stub, with config overrides."""
    engines: list[AnthropicEngine] = []

    def make(**overrides) -> AnthropicEngine:
        config = {"ANTHROPIC_API_KEY": SECRET_KEY, "ANTHROPIC_BASE_URL": stub.url, "FALLBACK_OFFLINE": False,
                  "STEP_DEADLINE_S": 20.0, "ANTHROPIC_READ_TIMEOUT_S": 5.0, **overrides}
        engine = AnthropicEngine.from_config(config)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.close()
