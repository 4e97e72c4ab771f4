"""How one `medreg` command runs: where steps run, progress, colour, errors, Ctrl-C and exit codes.

Exit codes: 0 answered; 1 an error (the server's, or the server unreachable); 2 a usage error (click's);
3 answered, but the answer needs review or the product is not a medical device; 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any, Callable, Optional

import click

from medreg.cli_output import Progress
from medreg.client import InProcess, Remote, TransportError
from medreg.pipeline import request_language

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REVIEW, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
STOPPED = {"ko": "중단했습니다 (Ctrl-C).", "en": "stopped (Ctrl-C)."}
STEP_TITLES = {
    "classify": {"ko": "분류", "en": "Classify"},
    "purpose": {"ko": "사용 목적", "en": "Intended purpose"},
    "standards": {"ko": "규격 계획", "en": "Standards plans"},
    "refine": {"ko": "계획 수정", "en": "Refine"},
}


def colour_wanted(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


class StepFailed(Exception):
    """A step ended with an `error` event (or without any terminal event)."""

    def __init__(self, error: dict) -> None:
        super().__init__(error.get("message") or error.get("code"))
        self.error = error


class Session:
    """One command's settings: where steps run, how progress and results are shown."""

    def __init__(self, url: Optional[str], api_key: Optional[str], as_json: bool,
                 lang: Optional[str], quiet: bool) -> None:
        self.transport = Remote(url, api_key) if url else InProcess()
        self.as_json = as_json
        self.lang = lang
        self.seen_lang = lang or "en"    # the language of what the user wrote, once known (for Ctrl-C)
        self.colour = not as_json and colour_wanted(click.get_text_stream("stdout"))
        self.progress = Progress(click.get_text_stream("stderr"), enabled=not quiet)

    def language(self, body: dict) -> str:
        """The language headings are written in: --lang, else the user's text, else the classification's."""
        self.seen_lang = self.lang or request_language(body)
        return self.seen_lang

    def run_step(self, step: str, body: dict) -> dict:
        """Stream one step, showing its progress; return its result or raise StepFailed."""
        if self.lang:
            body = {**body, "language": self.lang}
        self.progress.step(STEP_TITLES[step][self.language(body)])
        result: Optional[dict] = None
        error: Optional[dict] = None
        try:
            for event in self.transport.stream(step, body):
                data = event.data if isinstance(event.data, dict) else {}
                if event.event == "status":
                    self.progress.status(data.get("message", ""), data.get("progress"))
                elif event.event == "plan":
                    self.progress.plan(data.get("index", 0), data.get("total", 0), (data.get("data") or {}).get("title", ""))
                elif event.event == "result":
                    result = data.get("data")
                elif event.event == "error":
                    error = data
        finally:
            self.progress.finish()
        if error is not None:
            raise StepFailed(error)
        if result is None:
            raise StepFailed({"code": "incomplete", "message": "The stream ended before its result.", "retryable": True})
        return result

    def emit(self, data: Any, text: str) -> None:
        """Print the result: JSON for machines, or the readable text."""
        if self.as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            click.echo(text, color=self.colour)


def interrupted(lang: str) -> None:
    """Ctrl-C: one line on stderr, exit 130, no traceback."""
    stderr = click.get_text_stream("stderr")
    # A terminal has just echoed "^C" where the cursor was: start the line after it.
    lead = "\n" if getattr(stderr, "isatty", lambda: False)() else ""
    click.echo(lead + STOPPED["ko" if lang == "ko" else "en"], err=True)
    sys.exit(EXIT_INTERRUPTED)


def common(func: Callable) -> Callable:
    """Options every command takes; the wrapped command receives a Session first."""

    @click.option("--url", envvar="MEDREG_URL", help="Base URL of a medreg server (default: run in-process).")
    @click.option("--api-key", envvar="MEDREG_API_KEY", help="Bearer key for a server that requires one.")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (machine output).")
    @click.option("--lang", type=click.Choice(["ko", "en"]), help="Language of the answers (default: from the text).")
    @click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
    @functools.wraps(func)
    def wrapper(url, api_key, as_json, lang, quiet, **kwargs):
        session = None
        try:
            session = Session(url, api_key, as_json, lang, quiet)
            return func(session, **kwargs)
        except StepFailed as exc:
            _fail(session, exc.error)
        except TransportError as exc:
            _fail(session, {"code": "unreachable", "message": str(exc), "retryable": True})
        except (KeyboardInterrupt, click.Abort):
            # Leaving the stream's loop closed it, which stops the work behind it.
            if session is not None:
                session.progress.finish()
            interrupted(session.seen_lang if session else (lang or "en"))

    return wrapper


def _fail(session: Session, error: dict) -> None:
    if session.as_json:
        click.echo(json.dumps({"error": error}, ensure_ascii=False, indent=2))
    message = f"error ({error.get('code')}): {error.get('message')}"
    if error.get("fields"):
        message += f"\n  {json.dumps(error['fields'], ensure_ascii=False)}"
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


def review_exit(classification: dict) -> int:
    """3 when the answer needs review or the product is not a medical device, else 0."""
    qualification = classification.get("qualification") or {}
    if classification.get("needs_review") or qualification.get("status", "device") != "device":
        return EXIT_REVIEW
    return EXIT_OK
