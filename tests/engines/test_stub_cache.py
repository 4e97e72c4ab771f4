"""The stub's prompt-cache accounting follows the real API's rules (so the engine's token tests mean something)."""
from __future__ import annotations

import pytest

from tests.stub_anthropic import cache as cache_module
from tests.stub_anthropic.cache import PromptCache

CACHE = {"type": "ephemeral"}
LONG = "x" * 4 * 1200    # 1,200 tokens: above the 1,024 minimum
SHORT = "y" * 4 * 300    # 300 tokens


def body(*system: tuple[str, bool], user: str = "task " * 10) -> dict:
    """A request whose system blocks are (text, breakpoint?) pairs."""
    blocks = [{"type": "text", "text": text, **({"cache_control": CACHE} if mark else {})} for text, mark in system]
    return {"model": "claude-sonnet-5-5", "system": blocks, "messages": [{"role": "user", "content": user}]}


def test_prefix_below_the_minimum_is_never_cached() -> None:
    cache = PromptCache()
    for _ in range(2):
        usage, writes = cache.account(body((SHORT, True)))
        cache.commit(writes)
        assert usage["cache_read_input_tokens"] == usage["cache_creation_input_tokens"] == 0 and writes == []


def test_written_once_then_read_but_only_after_the_writer_began() -> None:
    cache = PromptCache()
    first, writes = cache.account(body((LONG, True)))
    racing, _ = cache.account(body((LONG, True)))      # arrives before the first response began
    cache.commit(writes)
    later, _ = cache.account(body((LONG, True)))
    assert first["cache_creation_input_tokens"] == 1200 and racing["cache_creation_input_tokens"] == 1200
    assert later["cache_read_input_tokens"] == 1200 and later["cache_creation_input_tokens"] == 0
    assert later["input_tokens"] == first["input_tokens"] > 0   # the uncached tail is plain input


def test_longest_cached_breakpoint_is_read_and_the_rest_written() -> None:
    cache = PromptCache()
    _, writes = cache.account(body((LONG, True), ("other " * 10, False)))
    cache.commit(writes)
    usage, _ = cache.account(body((LONG, True), (SHORT, True)))
    assert usage["cache_read_input_tokens"] == 1200 and usage["cache_creation_input_tokens"] == 300


@pytest.mark.parametrize("elapsed_s, read", [(299.0, 1200), (301.0, 0)])
def test_entries_live_five_minutes(monkeypatch, elapsed_s, read) -> None:
    now = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    cache = PromptCache()
    _, writes = cache.account(body((LONG, True)))
    cache.commit(writes)
    now[0] += elapsed_s
    usage, _ = cache.account(body((LONG, True)))
    assert usage["cache_read_input_tokens"] == read
