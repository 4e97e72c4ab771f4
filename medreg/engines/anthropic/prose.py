"""Pulls readable prose out of JSON while the model is still writing it, for `delta` events.

A structured answer arrives as JSON fragments; showing raw JSON to a user is noise, so this
small incremental scanner emits only the decoded characters of string values under chosen
keys (e.g. `rationale`), separating values with a blank line.
"""
from __future__ import annotations

import json
import re

_STRING_STOP = re.compile(r'["\\]')
_STRUCTURE = re.compile(r'["{}\[\],:]')


class ProseExtractor:
    """Feed JSON text in pieces; get back the new prose characters of the watched keys."""

    def __init__(self, keys: frozenset[str]) -> None:
        self.keys = keys
        self.in_string = False
        self.escape = ""          # a pending escape sequence, e.g. "\\u00e" while incomplete
        self.string_is_key = False
        self.expect_key = False   # inside an object, before the ':' of the current member
        self.last_key = ""
        self.capturing = False
        self.key_buffer: list[str] = []
        self.emitted_any = False
        self.stack: list[str] = []

    def feed(self, text: str) -> str:
        """Consume `text`; return the prose it completes (possibly empty)."""
        out: list[str] = []
        position, length = 0, len(text)
        while position < length:
            if self.in_string:
                if self.escape:
                    self._string_char(text[position], out)
                    position += 1
                    continue
                # A run of plain characters up to the next quote or backslash is taken at once.
                stop = _STRING_STOP.search(text, position)
                end = stop.start() if stop else length
                if end > position:
                    self._keep(text[position:end], out)
                if stop is None:
                    break
                self._string_char(text[end], out)
                position = end + 1
                continue
            # Outside strings only structure matters; whitespace, numbers and literals are skipped.
            found = _STRUCTURE.search(text, position)
            if found is None:
                break
            char = found.group()
            position = found.end()
            if char == '"':
                self._open_string(out)
            elif char == "{":
                self.stack.append("{")
                self.expect_key = True
            elif char == "[":
                self.stack.append("[")
            elif char in "}]":
                if self.stack:
                    self.stack.pop()
                self.expect_key = False
            elif char == ",":
                self.expect_key = bool(self.stack) and self.stack[-1] == "{"
            else:  # ":"
                self.expect_key = False
        return "".join(out)

    def _open_string(self, out: list[str]) -> None:
        self.in_string = True
        self.string_is_key = self.expect_key
        self.key_buffer = []
        self.capturing = not self.string_is_key and self.last_key in self.keys
        if self.capturing and self.emitted_any:
            out.append("\n\n")

    def _string_char(self, char: str, out: list[str]) -> None:
        if self.escape:
            self.escape += char
            if self.escape[1] != "u" or len(self.escape) == 6:
                decoded = _decode_escape(self.escape)
                self.escape = ""
                self._keep(decoded, out)
            return
        if char == "\\":
            self.escape = char
        elif char == '"':
            self.in_string = False
            if self.string_is_key:
                self.last_key = "".join(self.key_buffer)
            self.capturing = False
        else:
            self._keep(char, out)

    def _keep(self, chars: str, out: list[str]) -> None:
        if self.string_is_key:
            self.key_buffer.append(chars)
        elif self.capturing:
            out.append(chars)
            self.emitted_any = True


def _decode_escape(sequence: str) -> str:
    try:
        return json.loads(f'"{sequence}"')
    except ValueError:
        return ""  # half of a surrogate pair: dropped from the preview, kept in the JSON
