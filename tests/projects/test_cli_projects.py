"""`medreg db upgrade` and `medreg projects list|show|diff|export` on a database a server wrote."""
from __future__ import annotations

import json

from click.testing import CliRunner

from medreg import create_app
from medreg.cli import main


def test_db_upgrade_creates_the_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'medreg.db'}"
    result = CliRunner().invoke(main, ["db", "upgrade", "--database", url])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("revision 0002")
    assert (tmp_path / "new" / "medreg.db").exists()


def test_projects_commands_read_what_the_server_wrote(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'medreg.db'}"
    client = create_app({"ENGINE": "offline", "TESTING": True, "DATABASE_URL": url}).test_client()
    pid = client.post("/api/projects", json={"name": "펌프", "concept": "이식형 심장 박동기"}).get_json()["id"]
    assert client.post(f"/api/projects/{pid}/runs", json={"step": "classify"}).status_code == 200
    assert client.post(f"/api/projects/{pid}/runs", json={"step": "classify", "concept": "수동 휠체어"}).status_code == 200
    runner = CliRunner()
    listed = runner.invoke(main, ["projects", "list", "--database", url])
    assert listed.exit_code == 0 and listed.output.strip() == f"{pid}  v3  펌프"
    shown = runner.invoke(main, ["projects", "show", pid, "--version", "2", "--database", url])
    version = json.loads(shown.stdout)
    assert version["number"] == 2 and version["concept"] == "이식형 심장 박동기"
    assert version["classification"]["markets"]["US"]["class"] == "III"
    diff = runner.invoke(main, ["projects", "diff", pid, "--lang", "ko", "--database", url])
    assert diff.exit_code == 0
    assert diff.output.splitlines()[0].startswith("v2 → v3: 변경 ")
    assert "  - 미국 FDA 등급: III → I" in diff.output.splitlines()
    memo = runner.invoke(main, ["projects", "export", pid, "--database", url])
    assert memo.exit_code == 0
    assert f"**펌프 — 버전 3 — {version['created_at'][:10]} — local**" in memo.output and "수동 휠체어" in memo.output
    other = runner.invoke(main, ["projects", "show", pid, "--owner", "someone", "--database", url])
    assert other.exit_code != 0 and "no project" in other.output
