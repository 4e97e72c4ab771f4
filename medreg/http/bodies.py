"""Reads and validates a request body, raising medreg errors in the user's language."""
from __future__ import annotations

import io
import json
from typing import Any, Optional

from flask import Request, current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from medreg.errors import InvalidJSON, InvalidRequest, MedregError, PayloadTooLarge, UnsupportedMediaType
from medreg.language import has_hangul
from medreg.pipeline import request_language
from medreg.schemas.requests import REQUEST_SCHEMAS


BODY_LANGUAGE = "medreg.body_language"  # environ key: the language a body asked for, once read


class BodyError(Exception):
    """A request that cannot be served, with the language its error must be written in."""

    def __init__(self, error: MedregError, language: Optional[str]) -> None:
        super().__init__(error.code)
        self.error = error
        self.language = language or header_language(request)


def header_language(request: Request) -> str:
    """Korean when the client prefers it (Accept-Language), else English."""
    best = request.accept_languages.best_match(["ko", "en"], default="en")
    return best or "en"


def guess_language(request: Request) -> str:
    """For errors raised before the body was read: Korean if a small JSON body has Hangul, else the header's."""
    known = request.environ.get(BODY_LANGUAGE)
    if known:
        return known
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if _is_json(request) and request.content_length is not None and request.content_length <= limit:
        try:
            language = request_language(json.loads(request.get_data(cache=True)), default="")
        except (ValueError, RecursionError, UnicodeDecodeError, TypeError, AttributeError):
            language = ""
        if language:
            return language
    return header_language(request)


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            # Which of two `concept`s did the user mean? Guessing would lose one of them.
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def _is_json(request: Request) -> bool:
    mimetype = request.environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    return mimetype == "application/json" or mimetype.endswith("+json")


def _declared_length(request: Request) -> Optional[int]:
    length = request.environ.get("CONTENT_LENGTH", "")
    return int(length) if length.isdigit() else None


def _raw_body(request: Request, length: Optional[int], limit: int) -> bytes:
    """The body's bytes; read straight from the WSGI input when its length is declared."""
    environ = request.environ
    if length is None:  # chunked or absent: werkzeug knows how to read those
        return request.get_data(cache=True)
    if length > limit:
        raise RequestEntityTooLarge()
    raw = environ["wsgi.input"].read(length) if length else b""
    # Whoever asks Flask for the body later (an error handler) must still see it.
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


def read_body(request: Request, step: str) -> tuple[dict, Optional[str]]:
    """The validated body of a step request and its language, or raise `BodyError`."""
    language: Optional[str] = None  # the body's language once known; None means Accept-Language
    # Flask's per-request limit (the export endpoint raises it), else MAX_CONTENT_LENGTH.
    limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]
    too_large = PayloadTooLarge(limit_bytes=limit)
    length = _declared_length(request)
    if length is not None and length > limit:
        raise BodyError(too_large, language)
    if not _is_json(request):
        raise BodyError(UnsupportedMediaType(), language)
    try:
        raw = _raw_body(request, length, limit)
    except RequestEntityTooLarge:
        raise BodyError(too_large, language) from None
    if len(raw) > limit:
        raise BodyError(too_large, language)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(InvalidJSON("body is not UTF-8"), language) from None
    try:
        payload = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except (ValueError, RecursionError):
        raise BodyError(InvalidJSON(), "ko" if has_hangul(text) else language) from None
    # "\ud800" is valid JSON but not text: it cannot be written back out as UTF-8.
    if "\\u" in text and _has_lone_surrogate(payload):
        raise BodyError(InvalidJSON("lone surrogate"), language)
    if not isinstance(payload, dict):
        raise BodyError(InvalidRequest(fields={"_schema": ["The body must be a JSON object."]}), language)
    language = request_language(payload, default=language)
    if language:
        request.environ[BODY_LANGUAGE] = language
    try:
        body = REQUEST_SCHEMAS[step].load(payload)
    except ValidationError as exc:
        raise BodyError(InvalidRequest(fields=exc.normalized_messages()), language) from None
    return body, language
