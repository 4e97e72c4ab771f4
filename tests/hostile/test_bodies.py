"""Generated hostile bodies against all eight endpoints, in process: never a 5xx, a hang or a stray shape."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.hostile.strategies import ENDPOINTS, content_types, field_bodies, raw_bodies
from tests.hostile.valid import step_of, valid_bodies

# Fixed seeds (the same requests every run) and no shrinking: a failure reports the request as
# generated, and the suite stays within its time budget even when something breaks.
SETTINGS = dict(deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture, HealthCheck.large_base_example])
languages = st.sampled_from([None, "ko", "en", "ko-KR,ko;q=0.9", "*", "xx", "en;q=abc"])


def _headers(language: str | None) -> dict:
    return {"Accept-Language": language} if language else {}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_wrong_types_and_odd_values(sent, path: str) -> None:
    """Every field absent, of any JSON type, or a real body with a few nodes replaced."""
    @settings(max_examples=300, **SETTINGS)
    @given(body=field_bodies(valid_bodies()[step_of(path)]), language=languages)
    def run(body: dict, language) -> None:
        sent("POST", path, data=json.dumps(body, ensure_ascii=False).encode(), headers=_headers(language),
             content_type="application/json")

    run()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_broken_bytes_and_content_types(sent, path: str) -> None:
    """Non-UTF-8, truncated, nested past the recursion limit, duplicate keys, oversized, any content type."""
    @settings(max_examples=200, **SETTINGS)
    @given(raw=raw_bodies(valid_bodies()[step_of(path)]), content_type=content_types | st.just("application/json"),
           language=languages)
    def run(raw: bytes, content_type: str, language) -> None:
        sent("POST", path, data=raw, headers=_headers(language), content_type=content_type or None)

    run()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_wrong_methods(sent, path: str) -> None:
    """Any other method gets 405 in the error shape (OPTIONS and HEAD aside)."""
    @settings(max_examples=4, **SETTINGS)
    @given(method=st.sampled_from(["GET", "PUT", "PATCH", "DELETE"]))
    def run(method: str) -> None:
        status, _, _ = sent(method, path, data=b"{}", content_type="application/json")
        assert status == 405

    run()
