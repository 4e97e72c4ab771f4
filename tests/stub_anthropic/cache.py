"""Prompt-cache accounting as the real API does it (as far as the stub needs).

- A cacheable prefix is everything up to a block carrying `cache_control` (tools, then system,
  then messages, in that order); at most 4 breakpoints.
- A prefix shorter than the model's minimum cacheable length (1,024 tokens here) is never cached:
  it is billed as plain input.
- A request reads the longest cached prefix among its breakpoints and writes the prefix up to its
  last breakpoint if that is not cached yet (creation is billed for the part not read).
- A write becomes readable once the writing response has begun (its `message_start`): requests
  arriving before then miss and write again, as parallel requests do on the real API.
- Entries live 5 minutes (ephemeral), refreshed on every read.
"""
from __future__ import annotations

import hashlib
import json
import time
from typing import Any

MIN_CACHEABLE_TOKENS = 1024
TTL_S = 300.0


def estimate_tokens(value: Any) -> int:
    """About four characters per token, as a stand-in for the real tokenizer."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def _blocks(body: dict) -> list[Any]:
    blocks: list[Any] = list(body.get("tools") or [])
    system = body.get("system")
    blocks.extend(system if isinstance(system, list) else ([{"type": "text", "text": system}] if system else []))
    for message in body.get("messages", []):
        content = message.get("content")
        blocks.extend(content if isinstance(content, list) else [{"type": "text", "text": content}])
    return blocks


def _tokens(block: Any) -> int:
    if isinstance(block, dict) and "text" in block:
        return estimate_tokens(block["text"])
    return estimate_tokens(block)


class PromptCache:
    """Cached prefixes by digest, with expiry; `account` bills one request, `commit` makes its writes readable."""

    def __init__(self, min_tokens: int = MIN_CACHEABLE_TOKENS, ttl_s: float = TTL_S) -> None:
        self.min_tokens = min_tokens
        self.ttl_s = ttl_s
        self.entries: dict[str, float] = {}  # digest -> expiry (monotonic)

    def clear(self) -> None:
        """Forget every entry."""
        self.entries.clear()

    def _live(self, key: str, now: float) -> bool:
        expiry = self.entries.get(key)
        if expiry is None or expiry < now:
            self.entries.pop(key, None)
            return False
        return True

    def account(self, body: dict) -> tuple[dict, list[str]]:
        """The request's input usage, and the prefixes it writes (to `commit` when its response begins)."""
        now = time.monotonic()
        digest = hashlib.sha256(str(body.get("model")).encode())
        total = prefix = read = 0
        breakpoints: list[tuple[str, int]] = []
        for block in _blocks(body):
            digest.update(json.dumps(block, sort_keys=True, ensure_ascii=False).encode())
            tokens = _tokens(block)
            total += tokens
            prefix += tokens
            if isinstance(block, dict) and block.get("cache_control") and len(breakpoints) < 4:
                breakpoints.append((digest.hexdigest(), prefix))
        cacheable = [(key, length) for key, length in breakpoints if length >= self.min_tokens]
        for key, length in cacheable:
            if self._live(key, now):
                read = max(read, length)
                self.entries[key] = now + self.ttl_s  # a read refreshes the entry
        writes: list[str] = []
        created = 0
        if cacheable and cacheable[-1][1] > read:
            created = cacheable[-1][1] - read
            writes = [key for key, length in cacheable if length > read]
        usage = {"input_tokens": total - read - created, "cache_read_input_tokens": read,
                 "cache_creation_input_tokens": created}
        return usage, writes

    def commit(self, writes: list[str]) -> None:
        """The writing response has begun: its prefixes are readable from now on."""
        expiry = time.monotonic() + self.ttl_s
        for key in writes:
            self.entries[key] = expiry
