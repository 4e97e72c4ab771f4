"""The `medreg` command: readable and --json output, progress on stderr, errors, files, --url."""
from __future__ import annotations

import configparser
import functools
import importlib
import io
import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from medreg import create_app
from medreg.cli import main
from medreg.cli_output import Progress
from medreg.client import InProcess, Remote, SSEParser
from tests.shared_data import REPO_ROOT
from tests.web.sample import PLANS

SAMPLE = "tests.web.sample:SampleEngine"


@pytest.fixture
def runner(monkeypatch):
    """A CLI runner whose in-process app uses the fixed sample engine."""
    monkeypatch.setenv("MEDREG_ENGINE", SAMPLE)
    monkeypatch.delenv("MEDREG_URL", raising=False)
    return CliRunner()


def test_classify_readable_output_shows_each_market(runner):
    result = runner.invoke(main, ["classify", "스마트 인슐린 펌프"])
    assert result.exit_code == 0, result.output
    assert "등급 II" in result.stdout and "LZG · 21 CFR 880.5725" in result.stdout
    assert "A79050.01" in result.stdout
    assert "▶ 분류" in result.stderr  # progress goes to stderr, not into the result


def test_classify_json_is_the_api_result(runner):
    result = runner.invoke(main, ["classify", "smart insulin pump", "--json", "-m", "US"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["concept"] == "smart insulin pump" and data["language"] == "en"
    assert list(data["markets"]) == ["US"]


def test_quiet_prints_no_progress(runner):
    result = runner.invoke(main, ["classify", "pump", "-q"])
    assert result.exit_code == 0 and result.stderr == ""


def test_standards_shows_plans_live_then_all_plans(runner):
    result = runner.invoke(main, ["standards", "스마트 인슐린 펌프"])
    assert result.exit_code == 0, result.output
    progress = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("✓")]
    assert progress == [f"✓ [{i}/{len(PLANS)}] {p['title']}" for i, p in enumerate(PLANS, 1)]
    for plan in PLANS:
        assert plan["title"] in result.stdout


def test_run_json_is_a_full_dossier_and_refine_reads_it(runner, tmp_path):
    run = runner.invoke(main, ["run", "스마트 인슐린 펌프", "--json", "--feedback", "한국에서만 판매"])
    assert run.exit_code == 0, run.output
    dossier = json.loads(run.stdout)
    assert dossier["classification"]["device"]["id"] == "insulin-pump-external"
    assert dossier["purpose"]["intended_purpose"]
    assert [p["id"] for p in dossier["plans"]] == [p["id"] for p in PLANS]
    assert dossier["refinements"][0]["changes"][0]["after"] == ["KR"]
    assert dossier["plans"][0]["markets"] == ["KR"]
    path = tmp_path / "dossier.json"
    path.write_text(run.stdout, encoding="utf-8")
    refined = runner.invoke(main, ["refine", "no wireless", "--plans", str(path), "--plan-id", "software", "--json"])
    assert refined.exit_code == 0, refined.output
    change = json.loads(refined.stdout)["changes"][0]
    assert change["path"] == "activities[0].weeks" and change["after"] == change["before"] - 1


@pytest.mark.parametrize("suffix, marker", [(".md", "# 규제 검토 보고서"), (".html", "<!doctype html>")])
def test_run_exports_the_dossier(runner, tmp_path, suffix, marker):
    out = tmp_path / f"report{suffix}"
    result = runner.invoke(main, ["run", "스마트 인슐린 펌프", "-q", "--export", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(marker) and "IEC 62304" in text


def test_invalid_request_exits_1_with_the_servers_message(runner):
    result = runner.invoke(main, ["classify", "   ", "--json", "-q"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "invalid_request"
    assert "invalid_request" in result.stderr


def test_refine_without_plans_is_a_usage_error(runner, tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["refine", "x", "--plans", str(path)])
    assert result.exit_code == 2 and "no plans found" in result.output


def test_export_command_renders_a_dossier_file(runner, tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"concept": "pump", "language": "en", "plans": PLANS}), encoding="utf-8")
    result = runner.invoke(main, ["export", str(path), "--format", "html"])
    assert result.exit_code == 0 and "ISO 14971" in result.stdout and "<table>" in result.stdout


def test_unreachable_server_is_reported(runner, monkeypatch):
    # Remote's back-off is its `sleep` argument (bound when the class was defined: patching time.sleep
    # missed it, and the test slept 6 s); record the waits instead of sleeping them.
    waits: list[float] = []
    monkeypatch.setattr("medreg.cli_session.Remote", functools.partial(Remote, sleep=waits.append))
    result = runner.invoke(main, ["classify", "pump", "--url", "http://127.0.0.1:9", "-q"])
    assert result.exit_code == 1 and "cannot reach" in result.stderr
    assert waits == [1, 2, 3]  # four refused connections, 1 s, 2 s, 3 s apart


@pytest.mark.parametrize("splits", [[1], [7], [3, 5, 11]])
def test_python_parser_survives_any_split(splits):
    wire = "id: 1\nevent: status\ndata: {\"message\":\"분류 중\"}\n\n: keep-alive\n\nid: 2\r\nevent: done\r\ndata: a\r\ndata: b\r\n\r\n".encode()
    chunks, at = [], 0
    while at < len(wire):
        step = splits[len(chunks) % len(splits)]
        chunks.append(wire[at:at + step])
        at += step
    parser = SSEParser()
    events = [e for chunk in chunks for e in parser.feed(chunk)]
    assert [(e.event, e.id) for e in events] == [("status", "1"), ("done", "2")]
    assert events[0].data == {"message": "분류 중"} and events[1].data == "a\nb"


@pytest.mark.server
def test_against_a_live_server_with_url(live_server):
    """The real offline engine behind gunicorn, through --url."""
    result = CliRunner().invoke(main, ["classify", "스마트 인슐린 펌프", "--url", live_server, "--json", "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["engine"] == "offline" and set(data["markets"]) == {"US", "EU", "KR"}


def test_console_script_entry_point_resolves():
    """setup.cfg declares `medreg = medreg.cli:main`; that target is this click group."""
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg")
    entries = config["options.entry_points"]["console_scripts"]
    scripts = {name.strip(): target.strip() for name, _, target in (line.partition("=") for line in entries.splitlines()) if target}
    module, _, attr = scripts["medreg"].partition(":")
    target = getattr(importlib.import_module(module), attr)
    result = CliRunner().invoke(target, ["--help"])
    assert result.exit_code == 0 and all(cmd in result.output for cmd in ("classify", "purpose", "standards", "refine", "run"))


def test_module_runs_without_the_console_script():
    out = subprocess.run([sys.executable, "-m", "medreg.cli", "run", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--feedback" in out.stdout


@pytest.mark.server
def test_url_with_api_key(gunicorn_server):
    url = gunicorn_server({"MEDREG_ENGINE": SAMPLE, "MEDREG_API_KEYS": "k-1"})
    denied = CliRunner().invoke(main, ["classify", "pump", "--url", url, "-q"])
    assert denied.exit_code == 1 and "unauthorized" in denied.stderr
    allowed = CliRunner().invoke(main, ["classify", "pump", "--url", url, "--api-key", "k-1", "--json", "-q"])
    assert allowed.exit_code == 0 and json.loads(allowed.stdout)["engine"] == "sample"



def test_in_process_request_logs_stay_out_of_the_progress(monkeypatch):
    monkeypatch.delenv("MEDREG_LOG_LEVEL", raising=False)
    monkeypatch.setenv("MEDREG_ENGINE", SAMPLE)
    out = subprocess.run([sys.executable, "-m", "medreg.cli", "classify", "pump"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert all(not line.startswith("{") for line in out.stderr.splitlines()), out.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty", [True, False])
def test_progress_redraws_on_a_terminal_and_prints_lines_in_a_pipe(tty):
    stream = _Terminal() if tty else io.StringIO()
    progress = Progress(stream)
    progress.step("Classify")
    progress.status("matching", 0.5)
    progress.status("rules", 1.0)
    progress.plan(1, 2, "Risk management")
    progress.finish()
    text = stream.getvalue()
    if tty:
        assert text.count("\r\033[K") >= 3 and "[" + "#" * 5 in text and " 50% matching" in text
        assert text.rstrip().endswith("✓ [1/2] Risk management")
    else:
        assert "\r" not in text
        assert text.splitlines() == ["▶ Classify", "   50% matching", "  100% rules", "  ✓ [1/2] Risk management"]


def _first_event_and_end(events) -> tuple[float, float]:
    started = time.monotonic()
    first = None
    for _ in events:
        first = first if first is not None else time.monotonic() - started
    return first, time.monotonic() - started


def test_in_process_events_arrive_while_the_step_runs(monkeypatch):
    monkeypatch.setenv("MEDREG_TEST_STEP_S", "1.5")
    app = create_app({"ENGINE": "tests.fakes:SlowEngine", "TESTING": True})
    first, end = _first_event_and_end(InProcess(app).stream("classify", {"concept": "pump"}))
    assert first < 0.5 and end >= 1.5


@pytest.mark.server
def test_url_events_arrive_while_the_step_runs(gunicorn_server):
    url = gunicorn_server({"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_TEST_STEP_S": "1.5"})
    first, end = _first_event_and_end(Remote(url).stream("classify", {"concept": "pump"}))
    assert first < 0.5 and end >= 1.5


@pytest.mark.server
def test_run_against_a_live_server(live_server, tmp_path):
    """Every step over HTTP with the real offline engine, refined, exported."""
    out = tmp_path / "dossier.md"
    result = CliRunner().invoke(main, ["run", "스마트 인슐린 펌프", "--url", live_server, "--feedback", "한국에서만 판매합니다",
                                       "--json", "--export", str(out)])
    assert result.exit_code == 0, result.output
    dossier = json.loads(result.stdout)
    assert dossier["classification"]["engine"] == "offline" and dossier["purpose"]["intended_purpose"]
    assert dossier["plans"] and dossier["refinements"][0]["feedback"] == "한국에서만 판매합니다"
    assert [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("▶")] == \
        ["▶ 분류", "▶ 사용 목적", "▶ 규격 계획", "▶ 계획 수정"]
    assert out.read_text(encoding="utf-8").startswith("# 규제 검토 보고서: 스마트 인슐린 펌프")


def test_run_stops_after_classify_for_a_non_device(monkeypatch):
    """`medreg run` on a wellness app prints the qualification and the not_a_device message, and no plans."""
    monkeypatch.setenv("MEDREG_ENGINE", "offline")
    monkeypatch.delenv("MEDREG_URL", raising=False)
    result = CliRunner().invoke(main, ["run", "meditation app for stress relief, no medical claims", "--json", "-q"])
    assert result.exit_code == 3, result.output   # exit 3: not a medical device (issue 16)
    dossier = json.loads(result.stdout)
    assert dossier["classification"]["qualification"]["status"] == "not_device"
    assert dossier["plans"] == [] and dossier["purpose"] is None
    text = CliRunner().invoke(main, ["run", "meditation app for stress relief, no medical claims", "-q"]).stdout
    assert "Is it a medical device?: not a medical device" in text and "no device plan" in text


def test_run_with_answers_writes_them_into_the_memo(monkeypatch, tmp_path):
    """`medreg run --answer` classifies with the answer; the memo lists it in words, dated, with the engine."""
    monkeypatch.setenv("MEDREG_ENGINE", "offline")
    monkeypatch.delenv("MEDREG_URL", raising=False)
    out = tmp_path / "memo.md"
    result = CliRunner().invoke(main, ["run", "urinary catheter", "-q", "--answer", "duration=long_term",
                                       "--feedback", "we sell in Korea only", "--export", str(out)])
    assert result.exit_code == 0, result.output
    memo = out.read_text(encoding="utf-8")
    assert "| Duration of continuous use | More than 30 days |" in memo
    assert "| Class | IIb |" in memo and " UTC (local " in memo and "**Engine:** offline" in memo
    assert "markets: US, EU, KR → KR" in memo and "plans[" not in memo
    assert "Refinements:" in result.stdout and "markets: US, EU, KR → KR" in result.stdout
