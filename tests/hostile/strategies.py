"""Hypothesis strategies for hostile request bodies: wrong types, huge and odd strings, broken bytes, nesting."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

ENDPOINTS = [f"/api{kind}/{step}" for kind in ("", "/stream") for step in ("classify", "purpose", "standards", "refine")]
FIELDS = ("concept", "context", "markets", "language", "classification", "category", "purposeMechanism",
          "plan", "plans", "feedback")

# Text a person (or an attacker) might type: control characters, NUL, RTL marks, Hangul, emoji, long runs.
odd_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from("\x00\x01\x1b\r\n\t\u200f\u202e\ufeff\ufffd한글😀<>&\"'\\/ "), max_size=60),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "가", "😀", "\x00", " ", "\n"]),
              st.sampled_from([3999, 4000, 4001, 8000, 8001, 20000])),
    st.sampled_from(["", " ", "   \t\n", "null", "{}", "[]", "US", "EU", "KR", "ko", "en", "fr",
                     "insulin pump", "스마트 인슐린 펌프", "<script>alert(1)</script>", "'; DROP TABLE x; --",
                     "${jndi:ldap://x}", "{{7*7}}", "../../etc/passwd"]),
)

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                      st.floats(allow_nan=False, allow_infinity=False), odd_text)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12) | st.sampled_from(FIELDS),
                                                               inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(value, dict):
        for key in sorted(value):
            paths.extend(_paths(value[key], prefix + (key,)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(_paths(item, prefix + (index,)))
    return paths


def mutate(base: dict, edits: list[tuple[int, bool, Any]]) -> dict:
    """A deep copy of `base` with, for each edit, one node replaced by `value` or removed."""
    document = json.loads(json.dumps(base))
    for index, remove, value in edits:
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = paths[index % len(paths)]
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if remove and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    return document


def mutated(base: dict) -> st.SearchStrategy[dict]:
    """`base` (a real request body) with up to three nodes replaced or removed."""
    edit = st.tuples(st.integers(min_value=0, max_value=10**6), st.booleans(), json_value)
    return st.builds(mutate, st.just(base), st.lists(edit, min_size=1, max_size=3))


def field_bodies(valid: dict) -> st.SearchStrategy[dict]:
    """Bodies with the request fields present or absent and each of any JSON type."""
    anything = st.fixed_dictionaries({}, optional={name: json_value for name in FIELDS})
    return st.one_of(anything, mutated(valid))


def _nest(depth: int, opener: str, closer: str, core: str) -> str:
    return opener * depth + core + closer * depth


def _with_bytes(text: str, junk: bytes, at: int) -> bytes:
    raw = text.encode("utf-8")
    at = at % (len(raw) + 1)
    return raw[:at] + junk + raw[at:]


ESCAPES = ["\\ud800", "\\udfff", "\\ud83d", "\\ude00x", "\\u0000", "\\ud83d\\ude00", "\\uFFFF", "\\u202e"]


def _escape_into(text: str, escape: str, at: int) -> bytes:
    # Put a JSON escape inside one of the body's strings (just after an opening quote of a value).
    quotes = [i for i in range(len(text)) if text.startswith(': "', i)]
    if not quotes:
        return text.encode()
    index = quotes[at % len(quotes)] + 3
    return (text[:index] + escape + text[index:]).encode("utf-8")


def raw_bodies(valid: dict) -> st.SearchStrategy[bytes]:
    """Request bytes that are broken JSON, non-UTF-8, deeply nested, duplicated or oversized."""
    text = json.dumps(valid, ensure_ascii=False)
    first_key = next(iter(valid))
    nested = st.builds(
        lambda depth, kind, where: (_nest(depth, "[", "]", "1") if kind == "list" else
                                    _nest(depth, '{"a":', "}", "1")) if where == "body" else
        ('{"%s":' % first_key + (_nest(depth, "[", "]", "1") if kind == "list" else _nest(depth, '{"a":', "}", "1")) + "}"),
        st.sampled_from([1, 50, 500, 990, 1000, 5000, 30000]), st.sampled_from(["list", "dict"]),
        st.sampled_from(["body", "field"]))
    return st.one_of(
        st.binary(max_size=300),
        st.builds(_with_bytes, st.just(text), st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                                                               b"\x00", b"\xef\xbb\xbf", b"\xc0\xaf"]), st.integers(min_value=0)),
        st.builds(_escape_into, st.just(text), st.sampled_from(ESCAPES), st.integers(min_value=0)),
        st.builds(lambda cut: text.encode()[:cut], st.integers(min_value=0, max_value=len(text.encode()))),
        nested.map(str.encode),
        st.builds(lambda key, a, b: ('{"%s":%s,"%s":%s,%s' % (key, json.dumps(a), key, json.dumps(b), text[1:])).encode(),
                  st.sampled_from(list(valid) + ["language"]), json_value, json_value),
        st.builds(lambda n: json.dumps({**valid, "context": "y" * n}).encode(),
                  st.sampled_from([60 * 1024, 64 * 1024, 65 * 1024, 200 * 1024])),
        st.sampled_from([b"", b"null", b"[]", b"\"concept\"", b"1e999999", b"-", b"{", b"}", b"NaN",
                         b'{"concept":"pump",}', b"{'concept':'pump'}", b'{"concept":"pump"}{"concept":"x"}',
                         b'\xef\xbb\xbf{"concept":"pump"}', b'{"concept":"\\ud83d\\ude00 pump"}']),
    )


content_types = st.one_of(
    st.sampled_from(["application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
                     "application/problem+json", "APPLICATION/JSON", "text/plain", "text/event-stream",
                     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
                     "", "application/json;;", "*/*", "application/jsonx"]),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=40),
)
