"""Builds a JSON value that is valid for a JSON schema: what the stub answers structured requests with."""
from __future__ import annotations

from typing import Any

WORDS = ("stub", "answer", "for", "the", "device", "under", "review", "with", "grounded", "text")


def _sentence(key: str, words: int) -> str:
    body = " ".join(WORDS[n % len(WORDS)] for n in range(max(words, 1)))
    return f"{key}: {body}" if key else body


def _resolve(schema: dict, root: dict) -> dict:
    ref = schema.get("$ref")
    if not ref or not ref.startswith("#/"):
        return schema
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def fill(schema: dict, *, root: dict | None = None, key: str = "", words: int = 8) -> Any:
    """A value valid for `schema` (the subset structured outputs use: objects, arrays, enums, refs)."""
    root = root if root is not None else schema
    schema = _resolve(schema, root)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), schema["enum"][0])
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            options = [option for option in schema[combinator] if _resolve(option, root).get("type") != "null"]
            return fill((options or schema[combinator])[0], root=root, key=key, words=words)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        required = schema.get("required", list(properties))
        return {name: fill(properties[name], root=root, key=name, words=words)
                for name in properties if name in required}
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        count = min(count, int(schema.get("maxItems", count)))
        return [fill(schema.get("items", {}), root=root, key=key, words=words) for _ in range(count)]
    if kind == "string":
        text = _sentence(key, words)
        if "maxLength" in schema:
            text = text[: schema["maxLength"]]
        return text.ljust(int(schema.get("minLength", 0)), "x")
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        low = schema.get("minimum", 0)
        high = schema.get("maximum", low + 2)
        return round((low + high) / 2, 2) if high >= low else low
    if kind == "boolean":
        return False
    return None
