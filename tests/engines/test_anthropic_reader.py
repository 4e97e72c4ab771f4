"""The raw Messages stream reader: events split anywhere, usage, stop reasons, error events, bad data.

The SDK sends each request through a hand-written transport that answers with fixed SSE bytes cut
into small pieces (mid-line, mid-character), so what the reader sees is what a socket would give.
"""
from __future__ import annotations

import gzip
import json

import anthropic
import httpx2
import pytest

from medreg.engines.anthropic.calls import _answer
from medreg.engines.anthropic.failures import is_overloaded, map_error
from medreg.engines.anthropic.reader import MalformedEvent, Message, StreamReader
from medreg.errors import AnswerCutOff, Refused, UpstreamError, UpstreamUnavailable


def sse(kind: str, data) -> bytes:
    """One SSE frame as the API writes it."""
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def message_events(text: str, stop_reason: str = "end_turn", stop_details=None) -> bytes:
    """A whole streamed message whose text block is `text`, in 3-character deltas."""
    frames = [sse("message_start", {"type": "message_start", "message": {
                  "id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": "m",
                  "stop_reason": None, "usage": {"input_tokens": 11, "output_tokens": 1,
                                                 "cache_read_input_tokens": 7}}}),
              sse("ping", {"type": "ping"}),
              sse("content_block_start", {"type": "content_block_start", "index": 0,
                                          "content_block": {"type": "text", "text": ""}})]
    frames += [sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": text[n:n + 3]}})
               for n in range(0, len(text), 3)]
    frames += [sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
               sse("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": stop_reason, "stop_details": stop_details},
                                     "usage": {"output_tokens": 42, "input_tokens": None}}),
               sse("message_stop", {"type": "message_stop"})]
    return b"".join(frames)


class Pieces(httpx2.SyncByteStream):
    """A response body handed out `size` bytes at a time."""

    def __init__(self, body: bytes, size: int) -> None:
        self.body, self.size = body, size

    def __iter__(self):
        for start in range(0, len(self.body), self.size):
            yield self.body[start:start + self.size]


def client_answering(body: bytes, size: int, encoding: str | None = None) -> anthropic.Anthropic:
    """A real SDK client whose transport answers every request with `body` in `size`-byte pieces."""
    def answer(request: httpx2.Request) -> httpx2.Response:
        headers = {"content-type": "text/event-stream", "request-id": "req_1"}
        if encoding:
            headers["content-encoding"] = encoding
        return httpx2.Response(200, headers=headers, stream=Pieces(body, size))
    return anthropic.Anthropic(api_key="sk-test", base_url="http://upstream.test", max_retries=0,
                               http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))


def read(body: bytes, size: int, encoding: str | None = None) -> tuple[Message, list[str], int]:
    """Read one call; the message, its text deltas and how often `on_first` was called."""
    message, calls = Message(), []
    client = client_answering(body, size, encoding)
    upstream = client.messages.create(model="m", max_tokens=10, stream=True, messages=[{"role": "user", "content": "q"}])
    try:
        reader = StreamReader(upstream.response, message, lambda: calls.append(1))
        deltas = [text for chunk in reader.chunks for text in reader.texts(chunk)]
    finally:
        upstream.response.close()
    return message, deltas, len(calls)


@pytest.mark.parametrize("size", [1, 2, 5, 64, 100_000])
def test_text_usage_and_stop_reason_whatever_the_piece_size(size):
    answer = {"rationale": "체외진단 기기이며 클래스 II입니다", "class": "II"}
    message, deltas, first_calls = read(message_events(json.dumps(answer, ensure_ascii=False)), size)
    assert "".join(deltas) == message.text()
    assert _answer(message) == answer
    assert message.request_id == "req_1"
    # message_delta's counts replace message_start's; a null leaves the earlier value.
    assert message.usage_counts() == {"input_tokens": 11, "output_tokens": 42, "cache_read_input_tokens": 7,
                                      "cache_creation_input_tokens": 0}
    assert first_calls == 1


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_content_encoded_stream_is_decoded_and_an_identity_one_read_as_is(encoding):
    answer = {"rationale": "체외진단 기기", "class": "II"}
    body = message_events(json.dumps(answer, ensure_ascii=False))
    sent = gzip.compress(body) if encoding == "gzip" else body
    message, deltas, _ = read(sent, 5, encoding)
    assert _answer(message) == answer and "".join(deltas) == message.text()


def test_refusal_and_cut_off_are_reported_as_what_they_are():
    refused, _, _ = read(message_events("", "refusal", {"explanation": "medical advice"}), 7)
    with pytest.raises(Refused) as caught:
        _answer(refused)
    assert caught.value.reason == "medical advice"
    cut, _, _ = read(message_events('{"a": "b', "max_tokens"), 7)
    with pytest.raises(AnswerCutOff):
        _answer(cut)


def test_a_stream_that_ends_before_its_stop_reason_is_not_an_answer():
    body = message_events('{"a": 1}')
    message, _, _ = read(body[:body.index(b"event: message_delta")], 9)
    with pytest.raises(Exception) as caught:
        _answer(message)
    assert isinstance(map_error(caught.value, "test"), UpstreamError)
    assert map_error(caught.value, "test").transient


def test_an_overload_event_mid_stream_raises_the_sdks_status_error():
    body = message_events('{"a": 1}')
    cut = body.index(b"event: content_block_stop")
    error = sse("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    with pytest.raises(anthropic.APIStatusError) as caught:
        read(body[:cut] + error, 11)
    assert caught.value.status_code == 200 and is_overloaded(caught.value)
    assert isinstance(map_error(caught.value, "test"), UpstreamUnavailable)


def test_event_data_that_is_not_json_is_an_upstream_error():
    body = message_events('{"a": 1}').replace(b'data: {"type": "content_block_stop"', b"data: {oops", 1)
    with pytest.raises(MalformedEvent) as caught:
        read(body, 13)
    error = map_error(caught.value, "test")
    assert isinstance(error, UpstreamError) and not getattr(error, "transient", False)
