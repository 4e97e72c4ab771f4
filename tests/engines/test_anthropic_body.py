"""The pre-encoded request body and the lean SSE reader: same bytes in meaning as the plain dicts, any split."""
from __future__ import annotations

import json

import pytest

from medreg.engines.claude import prompts
from medreg.engines.claude.body import BodyBuilder, findings_block
from medreg.engines.claude.schemas import PLAN_FORMAT, classify_format
from medreg.engines.claude.sse import iter_events

CONTEXT = {"kb_classification": {"device": {"id": "insulin-pump-external", "name": "인슐린 펌프"}, "markets": ["US"]}}
DETAILS = {"concept": "smart insulin pump", "context": None, "markets": ["US", "KR"]}


@pytest.mark.parametrize("structured", ["output_config", "tool"])
@pytest.mark.parametrize("answer", [classify_format(("US", "KR")), PLAN_FORMAT])
def test_body_is_the_request_the_dicts_describe(structured, answer) -> None:
    raw = BodyBuilder("claude-sonnet-4-5", 2048, structured).body(findings_block(CONTEXT), "Do it.", "ko", DETAILS,
                                                                     answer)
    body = json.loads(raw)
    expected = {"model": "claude-sonnet-4-5", "max_tokens": 2048, "stream": True,
                "system": prompts.system_blocks(CONTEXT), "messages": prompts.user_message("Do it.", "ko", DETAILS)}
    if structured == "tool":
        expected["tools"] = [{"name": "answer", "description": "Give the answer.", "input_schema": answer.schema}]
        expected["tool_choice"] = {"type": "tool", "name": "answer"}
    else:
        expected["output_config"] = {"format": {"type": "json_schema", "schema": answer.schema}}
    assert body == expected
    assert "인슐린".encode() in raw  # Korean is sent as UTF-8, not escaped


def test_formats_are_encoded_once() -> None:
    assert classify_format(("US", "EU")) is classify_format(("US", "EU"))
    assert classify_format(("US", "EU")).fragment("tool") is classify_format(("US", "EU")).fragment("tool")
    assert list(classify_format(("EU", "US")).schema["properties"]["markets"]["properties"]) == ["EU", "US"]


FRAMES = [("message_start", '{"type":"message_start"}'), ("ping", '{"type":"ping"}'),
          ("content_block_delta", '{"delta":{"text":"a\\nb"}}'), ("message_stop", '{"type":"message_stop"}')]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_sse_frames_survive_every_split(newline) -> None:
    wire = b"".join(f"event: {event}".encode() + newline + f"data: {data}".encode() + newline + newline
                    for event, data in FRAMES)
    wire = b": keep-alive" + newline + newline + wire
    assert list(iter_events([wire])) == FRAMES
    for cut in range(1, len(wire)):
        assert list(iter_events([wire[:cut], wire[cut:]])) == FRAMES, cut
    assert list(iter_events([bytes([b]) for b in wire])) == FRAMES


def test_sse_multiline_data_and_unterminated_tail() -> None:
    wire = b"event: x\ndata: one\ndata: two\n\nevent: y\ndata: cut off"
    assert list(iter_events([wire])) == [("x", "one\ntwo")]
