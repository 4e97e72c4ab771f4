"""The `medreg` command on a real pseudo-terminal: questions asked and answered, colour, NO_COLOR,
Ctrl-C, exit codes; and the same questions answered with --answer when nothing is a terminal."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time


from medreg import __version__
from tests.shared_data import REPO_ROOT

CYCLE_APP = "Contraceptive fertility-awareness software (cycle app)"
ANSI = re.compile(rb"\x1b\[[0-9;]*m")


def _process_state(pid: int) -> str:
    """What a hung child is doing: its state and signal masks, where it sleeps, its process group
    against the terminal's foreground group (a SIGINT goes only to the latter)."""
    try:
        status = open(f"/proc/{pid}/status").read()
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        wchan = open(f"/proc/{pid}/wchan").read()
    except OSError as exc:
        return f"no /proc entry: {exc}"
    wanted = [line for line in status.splitlines() if line.startswith(("State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"))]
    return f"{'; '.join(wanted)}; wchan {wchan}; pgrp {fields[2]}, terminal foreground group {fields[5]}"


class Terminal:
    """`python -m medreg.cli ARGS` with a pty as its controlling terminal (stdin, stdout and stderr)."""

    def __init__(self, args: list[str], env: dict | None = None) -> None:
        environ = {**os.environ, "MEDREG_ENGINE": "offline", "COLUMNS": "200", **(env or {})}
        environ.pop("NO_COLOR", None) if "NO_COLOR" not in (env or {}) else None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: exec at once
            # As a shell starts a foreground job: Ctrl-C's signal neither blocked nor ignored, whatever
            # the test process inherited.
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.chdir(REPO_ROOT)
            os.execvpe(sys.executable, [sys.executable, "-m", "medreg.cli", *args], environ)
        self.output = b""

    def read_until(self, marker: bytes, timeout: float = 30.0) -> bytes:
        """Everything printed until `marker` appears (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            left = deadline - time.monotonic()
            assert left > 0, f"{marker!r} never came; got {self.output[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                assert chunk, f"the program ended before {marker!r}; got {self.output[-2000:]!r}"
                self.output += chunk
        return self.output

    def send(self, text: bytes) -> None:
        """Type on the keyboard."""
        os.write(self.fd, text)

    def wait(self, timeout: float = 30.0) -> int:
        """Read to the end; the exit code (the negative signal number if killed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    self.output += chunk
                    continue
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        state = _process_state(self.pid)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"still running ({state}); got {self.output[-2000:]!r}")


def test_questions_are_asked_on_a_terminal_and_the_answer_changes_the_class() -> None:
    """Rule 11: a cycle app whose wrong output could cause death or irreversible harm is class III."""
    term = Terminal(["classify", CYCLE_APP])
    screen = term.read_until(b"(Enter to skip): ")
    assert b"What decisions does the software inform" in screen
    assert b"1) It informs decisions that could cause death" in screen
    term.send(b"9\n")                               # not a choice: asked again
    term.read_until(b"Type a number from 1 to 5.")
    term.send(b"1\n")
    code = term.wait()
    text = ANSI.sub(b"", term.output).decode()
    assert "Answers given: software_decision=death_or_irreversible" in text
    assert re.search(r"EU\s+EU MDR 2017/745\s+Class III\b", text), text[-1500:]
    assert "Rule 11" in text
    assert code == 3   # derived from a curated type with an answered question: still flagged for review
    assert ANSI.search(term.output), "headings are coloured on a terminal"


def test_korean_concept_gets_korean_questions_and_headings() -> None:
    """Headings, question, choices and prompt in the concept's language; Enter skips."""
    term = Terminal(["classify", "피임용 배란 주기 앱 소프트웨어", "-q"])
    screen = term.read_until("건너뛰기): ".encode())
    question = ANSI.sub(b"", screen).decode().rsplit("\n? ", 1)[-1]
    assert re.match(r"[\uac00-\ud7a3]", question) and "(Enter: 건너뛰기)" in question, question   # asked in Korean
    term.send(b"\n")
    term.read_until("건너뛰기): ".encode())
    term.send(b"\n")
    code = term.wait()
    text = ANSI.sub(b"", term.output).decode()
    assert "분류:" in text and "확인이 필요한 질문" in text and "Classification:" not in text
    assert code == 3


def test_no_color_turns_colour_off() -> None:
    """NO_COLOR set: no escape sequence at all, even on a terminal (progress off with -q)."""
    term = Terminal(["classify", "urinary catheter", "-q"], env={"NO_COLOR": "1"})
    code = term.wait()
    assert code == 0
    assert b"Class IIa" in term.output and b"\x1b[" not in term.output


def test_ctrl_c_at_a_question_is_one_line_and_exit_130() -> None:
    """Ctrl-C ends the command with one line, exit 130 and no traceback."""
    term = Terminal(["classify", CYCLE_APP, "-q"])
    term.read_until(b"(Enter to skip): ")
    before = len(term.output)
    term.send(b"\x03")
    code = term.wait()
    after = ANSI.sub(b"", term.output[before:]).decode().strip()
    assert code == 130
    assert "Traceback" not in term.output.decode(errors="replace")
    lines = [line.strip() for line in after.replace("^C", "").splitlines() if line.strip()]
    assert lines == ["stopped (Ctrl-C)."], after


def _piped(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MEDREG_ENGINE": "offline"}
    return subprocess.run([sys.executable, "-m", "medreg.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env, cwd=REPO_ROOT, timeout=60)


def test_piped_takes_answers_and_documents_exit_codes() -> None:
    """Not a terminal: nothing is asked, --answer answers, no colour; 0 answered, 2 usage, 3 review / not a device."""
    asked = _piped("classify", CYCLE_APP, "-q")
    assert asked.returncode == 3 and "--answer software_decision=" in asked.stdout
    assert "\x1b[" not in asked.stdout and "Enter to skip" not in asked.stdout
    answered = _piped("classify", CYCLE_APP, "-q", "--json", "--answer", "software_decision=death_or_irreversible")
    data = json.loads(answered.stdout)
    assert data["markets"]["EU"]["class"] == "III" and data["attribute_sources"]["software_decision"] == "answer"
    assert _piped("classify", "urinary catheter", "-q").returncode == 0
    assert _piped("classify", "a yoga app that tracks mood", "-q").returncode == 3
    assert _piped("classify", "x", "--answer", "nonsense").returncode == 2
    bad = _piped("classify", "urinary catheter", "-q", "--answer", "duration=forever")
    assert bad.returncode == 1 and "forever" in bad.stderr
    version = _piped("--version")
    assert version.returncode == 0 and __version__ in version.stdout
    helptext = _piped("--help").stdout
    assert "Exit codes" in helptext and "3  answered, but it needs review" in helptext
