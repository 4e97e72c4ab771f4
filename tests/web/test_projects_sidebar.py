"""The projects sidebar in Debian's chromium over real gunicorn: save a concept as a project, see
its history, run it again with a changed concept and read the diff, rename, delete and restore,
and find it all again after a server restart."""
from __future__ import annotations

import pytest

from tests.projects.conftest import BASE_ENV, KEYS, Served

PUMP = "몸에 부착하는 체외용 인슐린 주입 펌프"
WHEELCHAIR = "실내용 수동 휠체어"


def _ready(page) -> None:
    page.locator("#server-settings summary").click()
    page.fill("#api-key", KEYS["alpha"])
    page.check("#projects-show-deleted")
    page.uncheck("#projects-show-deleted")  # lists again, now with the key


@pytest.fixture(scope="module")
def served(server_logs, tmp_path_factory):
    """Real gunicorn (two gevent workers, offline engine) on a SQLite database of its own."""
    database = f"sqlite:///{tmp_path_factory.mktemp('sidebar') / 'medreg.db'}"
    server = Served(server_logs, {**BASE_ENV, "MEDREG_DATABASE_URL": database, "MEDREG_ENGINE": "offline"})
    yield server
    server.stop(graceful=False)


@pytest.mark.browser
def test_sidebar_keeps_a_project_with_history_and_diff(served, open_page) -> None:
    page = open_page(served.url + "/")
    _ready(page)
    page.fill("#concept", PUMP)
    page.click("#projects-save")
    page.wait_for_selector(".project-history li[data-version='4']", timeout=60000)
    assert page.locator(".project-history li").count() == 4
    page.fill("#concept", WHEELCHAIR)
    page.click(".project-rerun")
    page.wait_for_selector(".project-history li[data-version='7']", timeout=60000)
    changes = page.locator(".project-diff li").all_inner_texts()
    assert page.locator(".project-details h4").first.inner_text().startswith("변경 내용 (v4 → v7)")
    assert f"개념 변경: “{PUMP}” → “{WHEELCHAIR}”" in changes, changes
    assert "미국 FDA 등급: II → I" in changes, changes
    assert any(text.startswith("주요 경로(크리티컬 패스): ") for text in changes), changes
    # The estimate: the wheelchair is US class I; its factors are assumptions the user edits in the page.
    us = page.locator(".project-estimate li[data-market='US']")
    assert us.inner_text().startswith("US · I · ")
    assert "수수료: 알 수 없음" in us.inner_text()
    pessimistic = page.locator(".project-estimate input[data-key='pessimistic_factor']")
    before = us.inner_text().split(":")[1].split("/")
    pessimistic.fill("3")
    pessimistic.dispatch_event("change")
    expected = f"{before[0].strip()} / {before[1].strip()} / {round(float(before[1]) * 3, 1):g}"
    page.wait_for_selector(f".project-estimate li[data-market='US']:has-text('{expected}')")
    page.once("dialog", lambda dialog: dialog.accept("휠체어 프로젝트"))
    page.click("#projects-list .project-rename")
    page.wait_for_selector("#projects-list .project-name:has-text('휠체어 프로젝트 · v7')")

    served.restart()
    page = open_page(served.url + "/")
    _ready(page)
    item = page.locator("#projects-list li:has-text('휠체어 프로젝트 · v7')")
    item.locator(".project-open").click()
    page.wait_for_selector(".project-history li[data-version='7']")
    assert page.locator(".project-details h4").first.inner_text().startswith("변경 내용 (v4 → v7)")
    item.locator(".project-delete").click()
    page.wait_for_selector("#projects-list li:has-text('휠체어 프로젝트')", state="detached")
    page.check("#projects-show-deleted")
    page.locator("#projects-list li:has-text('휠체어 프로젝트') .project-restore").click()
    page.uncheck("#projects-show-deleted")
    page.wait_for_selector("#projects-list li:has-text('휠체어 프로젝트 · v7')")
