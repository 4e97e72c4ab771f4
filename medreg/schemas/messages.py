"""Field error messages in the user's language: marshmallow's and ours are written in English, and
translated here at the edge, so every 422 reads in Korean when the request is Korean.

Each English message is matched by a pattern (the values it names are kept as they were sent);
a message no pattern knows is kept in English rather than guessed at.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Union

_Ko = Union[str, Callable[[re.Match], str]]


def _oneof(m: re.Match) -> str:
    return f"다음 중 하나여야 합니다: {m.group(1)}."


def _range(m: re.Match) -> str:
    low, high = m.group(2), m.group(4)
    low_word = "이상" if m.group(1) == "greater than or equal to" else "초과"
    high_word = "이하" if m.group(3) == "less than or equal to" else "미만"
    return f"{low} {low_word} {high} {high_word}이어야 합니다."


# (English pattern, Korean text or builder). Patterns are anchored: a message either matches whole or not at all.
_TABLE: list[tuple[str, _Ko]] = [
    # marshmallow's own (3.x defaults)
    (r"Missing data for required field\.", "필수 항목이 없습니다."),
    (r"Field may not be null\.", "null일 수 없습니다."),
    (r"Invalid value\.", "올바르지 않은 값입니다."),
    (r"Not a valid string\.", "문자열이 아닙니다."),
    (r"Not a valid utf-8 string\.", "올바른 UTF-8 문자열이 아닙니다."),
    (r"Not a valid number\.", "숫자가 아닙니다."),
    (r"Number too large\.", "숫자가 너무 큽니다."),
    (r"Not a valid integer\.", "정수가 아닙니다."),
    (r"Not a valid boolean\.", "true 또는 false가 아닙니다."),
    (r"Not a valid list\.", "목록(배열)이 아닙니다."),
    (r"Not a valid mapping type\.", "객체(JSON object)가 아닙니다."),
    (r"Invalid type\.", "형식이 올바르지 않습니다."),
    (r"Invalid input type\.", "입력 형식이 올바르지 않습니다."),
    (r"Unknown field\.", "알 수 없는 항목입니다."),
    (r"Special numeric values \(nan or infinity\) are not permitted\.", "NaN이나 무한대 값은 허용되지 않습니다."),
    (r"Length must be between (\S+) and (\S+)\.", lambda m: f"길이는 {m.group(1)}~{m.group(2)}이어야 합니다."),
    (r"Length must be (\S+)\.", lambda m: f"길이는 {m.group(1)}이어야 합니다."),
    (r"Shorter than minimum length (\S+)\.", lambda m: f"최소 길이 {m.group(1)}보다 짧습니다."),
    (r"Longer than maximum length (\S+)\.", lambda m: f"최대 길이 {m.group(1)}보다 깁니다."),
    (r"Must be (greater than or equal to|greater than) (\S+) and (less than or equal to|less than) (\S+)\.", _range),
    (r"Must be greater than or equal to (\S+)\.", lambda m: f"{m.group(1)} 이상이어야 합니다."),
    (r"Must be greater than (\S+)\.", lambda m: f"{m.group(1)}보다 커야 합니다."),
    (r"Must be less than or equal to (\S+)\.", lambda m: f"{m.group(1)} 이하여야 합니다."),
    (r"Must be less than (\S+)\.", lambda m: f"{m.group(1)}보다 작아야 합니다."),
    (r"Must be one of: (.*)\.", _oneof),
    # medreg's own (schemas/requests.py, http/bodies.py, knowledge/classification/answers.py)
    (r"The body must be a JSON object\.", "본문은 JSON 객체여야 합니다."),
    (r"Values must be strings, numbers, booleans or null: (.*)", lambda m: f"값은 문자열, 숫자, 불리언 또는 null이어야 합니다: {m.group(1)}"),
    (r"Expected a category object \{code, label\} or a category code\.", "범주 객체 {code, label} 또는 범주 코드가 필요합니다."),
    (r"Send either `plan` or `plans`\.", "`plan`과 `plans` 중 하나만 보내세요."),
    (r"Nothing to export: give at least a concept or a classification\.", "내보낼 내용이 없습니다. 최소한 개념이나 분류 결과를 보내세요."),
    (r"Unknown question id: (.*)\.", lambda m: f"알 수 없는 질문 id입니다: {m.group(1)}."),
    (r"Unknown time zone: (.*)\.", lambda m: f"알 수 없는 시간대입니다: {m.group(1)}."),
    (r"Unknown device type id: (.*)\.", lambda m: f"알 수 없는 기기 유형 id입니다: {m.group(1)}."),
    (r"Not an option of (\S+): (.*)\. Options: (.*)\.",
     lambda m: f"질문 {m.group(1)}의 선택지가 아닙니다: {m.group(2)}. 선택지: {m.group(3)}."),
]
_COMPILED = [(re.compile(en + r"\Z", re.S), ko) for en, ko in _TABLE]


def korean(message: str) -> str:
    """One English field message in Korean (unchanged if no pattern knows it)."""
    for pattern, ko in _COMPILED:
        m = pattern.match(message)
        if m:
            return ko(m) if callable(ko) else ko
    return message


def localise(messages: Any, language: str) -> Any:
    """marshmallow's `normalized_messages()` (nested dicts and lists of strings) in `language`."""
    if language != "ko":
        return messages
    if isinstance(messages, str):
        return korean(messages)
    if isinstance(messages, dict):
        return {key: localise(value, language) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [localise(item, language) for item in messages]
    return messages
