"""Request bodies as JSON bytes, assembled from pieces serialised once.

A Messages request is mostly the same every time: the model, the system prompt, the answer's
JSON schema (or the forced tool that carries it). Those pieces are encoded once per process
(per engine, per schema); a request only encodes what is its own (the knowledge base's findings,
once per step and shared by all of its calls, and the short task message), and the SDK sends the
bytes as they are instead of walking and re-encoding a large nested body on every call.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from medreg.engines.claude import prompts

TOOL_NAME = "answer"


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (the API takes Korean text as it is, unescaped)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


_CACHE = dumps(prompts.CACHE)
# A text block with a cache breakpoint: `{"type":"text","text":<text>,"cache_control":{...}}`.
_BLOCK_OPEN, _BLOCK_CLOSE = b'{"type":"text","text":', b',"cache_control":' + _CACHE + b"}"
SYSTEM_PROMPT_BLOCK = _BLOCK_OPEN + dumps(prompts.SYSTEM_PROMPT) + _BLOCK_CLOSE


@dataclass(frozen=True, eq=False)
class AnswerFormat:
    """The JSON schema one kind of answer must follow, with its encoded request fragments."""

    schema: dict
    _fragments: dict = field(default_factory=dict, compare=False, repr=False)

    def fragment(self, structured: str) -> bytes:
        """`"output_config":{...}` (or the forced tool's `"tools":[...],"tool_choice":{...}`), encoded once."""
        cached = self._fragments.get(structured)
        if cached is None:
            if structured == "tool":
                tool = {"name": TOOL_NAME, "description": "Give the answer.", "input_schema": self.schema}
                cached = b'"tools":' + dumps([tool]) + b',"tool_choice":' + dumps({"type": "tool", "name": TOOL_NAME})
            else:
                cached = b'"output_config":' + dumps({"format": {"type": "json_schema", "schema": self.schema}})
            self._fragments[structured] = cached
        return cached


def findings_block(kb_context: dict[str, Any]) -> bytes:
    """The knowledge base's findings as the second cached system block (encode once per step)."""
    findings = json.dumps(kb_context, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _BLOCK_OPEN + dumps(f"<kb_findings>\n{findings}\n</kb_findings>") + _BLOCK_CLOSE


class BodyBuilder:
    """Builds the bytes of one streamed, structured Messages request for a fixed model and mode."""

    def __init__(self, model: str, max_tokens: int, structured: str) -> None:
        self.structured = structured
        self._head = (b'{"model":' + dumps(model) + b',"max_tokens":' + dumps(int(max_tokens))
                      + b',"stream":true,"system":[' + SYSTEM_PROMPT_BLOCK + b",")

    def body(self, findings: bytes, task: str, language: str, details: Optional[dict[str, Any]],
             answer: AnswerFormat) -> bytes:
        """System prompt and findings (both cached), the task as the user turn, the answer's format."""
        content = prompts.user_text(task, language, details)
        return b"".join((self._head, findings, b'],"messages":[{"role":"user","content":', dumps(content),
                         b"}],", answer.fragment(self.structured), b"}"))
