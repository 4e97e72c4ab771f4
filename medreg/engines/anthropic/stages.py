"""What the Anthropic engine tells the user while it works (status events), and how a fallback is named."""
from __future__ import annotations

from medreg.language import Text

STAGES: dict[str, Text] = {
    "grounding": {"en": "Checking the knowledge base…", "ko": "지식 베이스를 확인하는 중..."},
    "model": {"en": "Claude is writing the answer…", "ko": "Claude가 답변을 작성하는 중..."},
    "plans": {"en": "Claude is writing the plans in parallel…", "ko": "Claude가 계획을 병렬로 작성하는 중..."},
    "fallback": {"en": "The language model is unavailable ({reason}); answering from the knowledge base.",
                 "ko": "언어 모델을 사용할 수 없어({reason}) 지식 베이스로 답변합니다."},
}


def fallback_name(reason: str) -> str:
    """The `engine` of an answer the offline engine gave in Claude's place."""
    return f"offline (fallback: {reason})"
