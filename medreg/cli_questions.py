"""The classification's questions in the terminal: asked one by one on a TTY, else taken from --answer id=value."""
from __future__ import annotations

import select
import sys
from typing import Callable, Optional, TextIO

import click

PROMPT = {"ko": "번호를 고르세요 (Enter: 건너뛰기)", "en": "Choose a number (Enter to skip)"}
NOT_A_CHOICE = {"ko": "1부터 {n} 사이의 번호를 입력하세요.", "en": "Type a number from 1 to {n}."}
ROUNDS = 3   # an answer may open a new question (a chosen device type asks its own); never loop for ever


def parse_answers(ctx, param, values: tuple) -> dict:
    """`--answer duration=long_term` (repeatable) as `{"duration": "long_term"}`; a malformed one is a usage error."""
    answers: dict = {}
    for item in values:
        qid, sep, value = item.partition("=")
        if not sep or not qid.strip() or not value.strip():
            raise click.BadParameter(f"{item!r}: expected ID=VALUE, e.g. duration=long_term")
        answers[qid.strip()] = value.strip()
    return answers


answer_option = click.option(
    "--answer", "answers", multiple=True, callback=parse_answers, metavar="ID=VALUE",
    help="Answer a classification question, e.g. --answer duration=long_term (repeatable; "
         "ids and values are listed under the questions). On a terminal the questions are asked instead.")


def interactive(stdin: TextIO, stdout: TextIO) -> bool:
    """Whether to ask: both ends are a terminal."""
    return bool(getattr(stdin, "isatty", lambda: False)() and getattr(stdout, "isatty", lambda: False)())


def terminal_line(stdin: TextIO) -> Callable[[], str]:
    """A line reader for a terminal that Ctrl-C always interrupts.

    A SIGINT that lands after the interpreter last checked for signals and before `read()` blocks
    is only noted, and the read waits for the next key: Ctrl-C pressed as the prompt appears did
    nothing (seen once in a full test run on 2 busy cores). Waiting in short `select` calls
    returns to the interpreter, which raises KeyboardInterrupt within a tenth of a second. A
    terminal in canonical mode hands over one line per read, so nothing waits in Python's buffer.
    """
    def read() -> str:
        while not select.select([stdin], [], [], 0.1)[0]:
            pass
        return stdin.readline()

    return read


def open_questions(classification: dict, answers: dict) -> list[dict]:
    """The questions that can be answered by a choice and have not been answered yet."""
    return [d for d in classification.get("question_details") or []
            if isinstance(d, dict) and d.get("options") and d.get("id") not in answers]


def ask(detail: dict, lang: str, read: Callable[[], str], write: Callable[[str], None]) -> Optional[str]:
    """Ask one question; the chosen option's value, or None when skipped (Enter or end of input)."""
    options = detail["options"]
    write(f"\n? {detail['text']}\n")
    for n, option in enumerate(options, start=1):
        write(f"  {n}) {option['label']}\n")
    while True:
        write(f"{PROMPT[lang]}: ")
        line = read()
        if not line or not line.strip():
            if not line:
                write("\n")
            return None
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(options):
            return options[int(choice) - 1]["value"]
        write(NOT_A_CHOICE[lang].format(n=len(options)) + "\n")


def settle(classify: Callable[[dict], dict], first: dict, answers: dict, lang: str,
           stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> tuple[dict, list[dict]]:
    """Ask the open questions on a terminal and classify again with the answers, until none is left;
    returns the last classification and what was answered (`[{id, text, label}]`, for the memo)."""
    classification, answers, answered = first, dict(answers), []

    def write(text: str) -> None:
        stdout.write(text)
        stdout.flush()

    read = terminal_line(stdin) if getattr(stdin, "isatty", lambda: False)() else stdin.readline
    skipped: set = set()
    for _ in range(ROUNDS):
        new = {}
        for detail in open_questions(classification, answers):
            if detail["id"] in skipped:
                continue
            value = ask(detail, lang, read, write)
            if value is None:
                skipped.add(detail["id"])
            else:
                new[detail["id"]] = value
                label = next(o["label"] for o in detail["options"] if o["value"] == value)
                answered.append({"id": detail["id"], "text": detail["text"], "label": label})
        if not new:
            break
        answers.update(new)
        classification = classify(answers)
    return classification, answered

