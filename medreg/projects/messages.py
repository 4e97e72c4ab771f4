"""The words of the projects feature, in both languages: run errors and diff sentences."""
from __future__ import annotations

from medreg.errors import message_for

RUN_ERRORS: dict[str, dict[str, str]] = {
    "run_cancelled": {"en": "The run was cancelled: nobody was reading it. Start it again.",
                      "ko": "아무도 결과를 받지 않아 실행이 취소되었습니다. 다시 시작하세요."},
    "run_lost": {"en": "The server process running this step stopped. Start it again.",
                 "ko": "이 단계를 실행하던 서버 프로세스가 중지되었습니다. 다시 시작하세요."},
    "project_not_found": {"en": "No such project.", "ko": "프로젝트를 찾을 수 없습니다."},
    "no_concept": {"en": "This project has no concept yet: send `concept`.",
                   "ko": "이 프로젝트에는 아직 개념이 없습니다. `concept`를 보내세요."},
    "needs_step": {"en": "Run the earlier step first: {missing}.",
                   "ko": "먼저 이전 단계를 실행하세요: {missing}."},
}


def run_message(code: str, language: str) -> str:
    """The message for a projects code, else medreg's own message for it."""
    words = RUN_ERRORS.get(code)
    if words is None:
        return message_for(code, language)
    return words.get(language) or words["en"]


def failure_payload(code: str, language: str) -> dict:
    """An `error` event's payload for a run that could not finish."""
    return {"type": "error", "code": code, "message": run_message(code, language),
            "retryable": code in ("run_cancelled", "run_lost", "internal")}
