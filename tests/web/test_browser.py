"""The web app in Debian's chromium: the whole flow, the progress bar, the timeline, refining,
export, the stop button (ending the server's work too), languages and errors."""
from __future__ import annotations

import functools
import http.server
import math
import threading
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

CONCEPT = "스마트 인슐린 펌프"

# Records every value the plan progress bar takes (the attribute reflects `.value`). Observer
# callbacks are batched, so each record's old value is kept: old values + the current one.
WATCH_PROGRESS = """() => {
  window.progressOld = [];
  const bar = document.getElementById('plan-progress');
  new MutationObserver((records) => records.forEach((r) => window.progressOld.push(Number(r.oldValue))))
    .observe(bar, { attributes: true, attributeFilter: ['value'], attributeOldValue: true });
}"""
PROGRESS_SEEN = "() => [...window.progressOld.slice(1), Number(document.getElementById('plan-progress').value)]"


def _start(page, concept: str = CONCEPT) -> None:
    page.fill("#concept", concept)
    page.click("#start")


def _wait_until_idle(page) -> None:
    page.wait_for_function("() => !document.getElementById('start').disabled && document.getElementById('stop').disabled")


def _bars(page) -> dict[str, tuple[float, float]]:
    """Each Gantt row as (start week, end week) by plan id, checked against the drawn bar."""
    rows = page.evaluate("""() => [...document.querySelectorAll('#timeline .gantt-row')].map((g) => {
        const r = g.querySelector('rect');
        return [g.dataset.planId, Number(g.dataset.start), Number(g.dataset.end), Number(r.getAttribute('x')), Number(r.getAttribute('width'))];
    })""")
    # The drawing is linear in weeks: x = left + start × scale, width = (end − start) × scale.
    scales = [width / (end - start) for _, start, end, _, width in rows if end > start]
    assert max(scales) - min(scales) < 1e-3, rows
    lefts = [x - start * scales[0] for _, start, _, x, _ in rows]
    assert max(lefts) - min(lefts) < 1e-2, rows
    return {plan_id: (start, end) for plan_id, start, end, _, _ in rows}


def test_whole_flow_from_concept_to_refined_plan(live_server, open_page, artifacts, tmp_path):
    page = open_page(live_server)
    page.evaluate(WATCH_PROGRESS)
    _start(page)
    page.wait_for_selector("#classification:not([hidden]) .market")
    markets = page.locator("#classification .market h4").all_inner_texts()
    assert sorted(m.split(" ")[0] for m in markets) == ["EU", "KR", "US"]
    assert page.locator("#classification .class-value").count() == 3
    page.wait_for_selector("#purpose:not([hidden]) dd")
    page.wait_for_selector("#timeline:not([hidden]) svg.gantt")
    _wait_until_idle(page)
    dossier = page.evaluate("() => window.medreg.dossier()")
    plans = dossier["plans"]
    assert plans and page.locator("#plan-cards .plan").count() == len(plans)

    # The bar went 1/N … N/N and ends full.
    seen = [v for v in page.evaluate(PROGRESS_SEEN) if v > 0]
    distinct = [v for i, v in enumerate(seen) if i == 0 or v != seen[i - 1]]
    # Math.round in the page rounds halves up; Python's round() would round them to even.
    assert distinct == [math.floor(i / len(plans) * 100 + 0.5) for i in range(1, len(plans) + 1)]
    assert page.eval_on_selector("#plan-progress", "e => e.value") == 100
    assert "100%" in page.inner_text("#plan-progress-text")

    # The timeline has one bar per plan, and no plan starts before the plans it depends on end.
    bars = _bars(page)
    assert set(bars) == {p["id"] for p in plans}
    for plan in plans:
        for dep in plan["depends_on"]:
            if dep in bars:
                assert bars[plan["id"]][0] >= bars[dep][1], (plan["id"], dep)

    page.screenshot(path=str(artifacts / "web-plans.png"), full_page=True)

    # Refine the first plan; the changes are listed and highlighted on the card.
    first = plans[0]["id"]
    page.locator(f"#plan-{first} .refine-btn").click()
    page.fill("#feedback", "한국에서만 판매합니다")
    page.click("#refine-submit")
    page.wait_for_function("() => document.querySelector('.plan.refined .changes') || !document.getElementById('error').hidden",
                           timeout=30000)
    assert page.is_hidden("#error"), page.inner_text("#error")
    _wait_until_idle(page)
    refined = page.evaluate("() => window.medreg.dossier()")
    assert refined["refinements"][0]["feedback"] == "한국에서만 판매합니다"
    changes = refined["refinements"][0]["changes"]
    assert page.locator(".plan.refined .changes li").count() == len(changes) >= 1
    assert page.locator(".plan.refined .changed").count() >= 1
    page.screenshot(path=str(artifacts / "web-flow.png"), full_page=True)

    # Both downloads hold the whole dossier, refinement included.
    for button, suffix in (("#export-md", ".md"), ("#export-html", ".html")):
        with page.expect_download() as info:
            page.click(button)
        path = tmp_path / f"dossier{suffix}"
        info.value.save_as(path)
        text = path.read_text(encoding="utf-8")
        assert CONCEPT in text and "한국에서만 판매합니다" in text and plans[-1]["title"] in text


def test_refine_highlights_exactly_what_changed_and_redraws_the_timeline(sample_url, open_page):
    page = open_page(sample_url)
    _start(page)
    page.wait_for_selector("#timeline:not([hidden]) svg.gantt")
    _wait_until_idle(page)
    assert page.is_visible("#model-text")  # delta events: the model text, shown as it comes
    assert page.text_content("#model-text-body") == "Three plans: risk, software, usability."
    before = _bars(page)["software"]
    page.locator("#plan-software .refine-btn").click()
    page.fill("#feedback", "no wireless")
    page.keyboard.press("Control+Enter")  # the dialog's form submits from the keyboard
    page.wait_for_selector("#plan-software.refined")
    changed = page.eval_on_selector_all("#plan-software .changed", "els => els.map((e) => e.dataset.path)")
    assert changed == ["activities.0"]
    assert page.locator("#plan-risk .changed, #plan-usability .changed").count() == 0
    # The change in words (issue 16), not a raw path: the activity, its weeks before and after.
    assert "소프트웨어 개발 계획: 3주 → 2주" in page.inner_text("#plan-software .changes")
    after = _bars(page)["software"]
    assert before == (4, 12) and after == (4, 11)  # after "risk" (4 weeks), 8 weeks became 7


def test_stop_button_ends_the_stream_and_the_servers_work(gunicorn_server, open_page, tmp_path):
    record = tmp_path / "engine.log"
    url = gunicorn_server({"MEDREG_ENGINE": "tests.fakes:SlowEngine", "MEDREG_TEST_STEP_S": "8",
                           "MEDREG_TEST_RECORD": str(record), "MEDREG_HEARTBEAT_S": "0.2"})
    page = open_page(url)
    _start(page)
    page.wait_for_function("() => document.getElementById('status-progress').value >= 0 && "
                           "document.getElementById('status-text').textContent.length > 0 && !document.getElementById('stop').disabled")
    deadline = time.monotonic() + 5
    while "start" not in (record.read_text() if record.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.05)
    stopped_at = time.time()
    page.click("#stop")
    page.wait_for_function("() => document.getElementById('status-text').textContent === '중지했습니다.'")
    _wait_until_idle(page)
    assert page.is_hidden("#classification")
    deadline = time.monotonic() + 5
    while "cleanup" not in record.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = record.read_text().splitlines()
    assert any(" cleanup " in f"{line} " for line in lines), lines
    assert not any(" finish " in f"{line} " for line in lines), "the work ran to its end after the stop"
    cleanup_at = float(next(line for line in lines if " cleanup " in f"{line} ").split()[0])
    assert cleanup_at - stopped_at < 3, "the server noticed the stop promptly"
    assert page.is_hidden("#error"), "a stop is not an error"


@pytest.mark.parametrize("locale, start_label, lang", [("ko-KR", "분석 시작", "ko"), ("en-US", "Analyse", "en"), ("de-DE", "Analyse", "en")])
def test_language_defaults_from_the_browser(live_server, open_page, locale, start_label, lang):
    page = open_page(live_server, locale=locale)
    assert page.inner_text("#start") == start_label
    assert page.get_attribute("html", "lang") == lang


def test_language_switch_relabels_the_page_and_results(live_server, open_page):
    page = open_page(live_server, locale="en-US")
    page.click(".lang-btn[data-lang=ko]")
    assert page.inner_text("#start") == "분석 시작" and page.get_attribute("html", "lang") == "ko"
    assert page.get_attribute(".lang-btn[data-lang=ko]", "aria-pressed") == "true"
    page.fill("#concept", "smart insulin pump")
    page.press("#concept", "Control+Enter")  # keyboard start
    page.wait_for_selector("#classification:not([hidden]) .market")
    page.click(".lang-btn[data-lang=en]")
    assert page.inner_text("#classification-heading") == "Classification"
    assert "Class" in page.inner_text("#classification .market dl")


def test_errors_are_shown_clearly(live_server, open_page):
    page = open_page(live_server)
    page.click("#start")
    assert page.is_visible("#error") and page.inner_text("#error") == "오류: 기기 개념을 입력하세요."
    # Longer than the API allows (set directly: the textarea's maxlength stops typing): the server's error.
    page.eval_on_selector("#concept", "(e) => { e.value = 'x'.repeat(4001); }")
    page.click("#start")
    page.wait_for_selector("#error:not([hidden]) .detail")
    text = page.inner_text("#error")
    assert "일부 필드가 없거나 올바르지 않습니다" in text and "concept" in text
    assert page.get_attribute("#error", "role") == "alert"
    _wait_until_idle(page)


def test_controls_are_labelled(live_server, open_page):
    page = open_page(live_server)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('textarea, input, select, progress')]
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
        .map((e) => e.id || e.name)""")
    assert unlabelled == []
    nameless = page.evaluate("() => [...document.querySelectorAll('button')].filter((b) => !b.textContent.trim()).length")
    assert nameless == 0


def test_a_server_with_api_keys_asks_for_one(gunicorn_server, open_page):
    url = gunicorn_server({"MEDREG_ENGINE": "tests.web.sample:SampleEngine", "MEDREG_API_KEYS": "k-123"})
    page = open_page(url)
    _start(page)
    page.wait_for_selector("#error:not([hidden])")
    assert "API 키" in page.inner_text("#error")
    assert page.evaluate("() => document.getElementById('server-settings').open")
    assert page.evaluate("() => document.activeElement.id") == "api-key"
    page.fill("#api-key", "k-123")
    page.click("#start")
    page.wait_for_selector("#timeline:not([hidden]) svg.gantt")
    _wait_until_idle(page)
    assert page.eval_on_selector_all("#steps li.done", "els => els.map((e) => e.dataset.step)") == ["classify", "purpose", "standards"]
    with page.expect_download() as info:
        page.click("#export-md")
    assert info.value.failure() is None


def test_phone_width_has_no_sideways_scrolling(sample_url, open_page, artifacts):
    page = open_page(sample_url, locale="en-US", width=390)
    _start(page, "smart insulin pump")
    page.wait_for_selector("#timeline:not([hidden]) svg.gantt")
    _wait_until_idle(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # The chart keeps a readable size and scrolls inside its own panel instead.
    assert page.evaluate("() => document.querySelector('svg.gantt').getBoundingClientRect().width") >= 640
    page.screenshot(path=str(artifacts / "web-phone.png"), full_page=True)


# WCAG 2 contrast of every visible element that holds text, against its first opaque background.
CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || el.closest('[hidden], :disabled, svg')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const [l1, l2] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


def test_text_contrast_meets_wcag_aa(sample_url, open_page):
    page = open_page(sample_url)
    _start(page)
    page.wait_for_selector("#timeline:not([hidden]) svg.gantt")
    _wait_until_idle(page)
    page.locator("#plan-software .refine-btn").click()
    page.fill("#feedback", "no wireless")
    page.click("#refine-submit")
    page.wait_for_selector("#plan-software.refined")
    page.fill("#concept", "")
    page.click("#start")  # the error box too, over the results
    page.wait_for_selector("#error:not([hidden])")
    assert page.evaluate(CONTRAST) == []


def test_keyboard_only_use(live_server, open_page):
    page = open_page(live_server, locale="en-US")
    page.focus("#concept")
    page.keyboard.type("pulse oximeter")
    for _ in range(12):  # tab forward through the form to the start button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "start":
            break
    assert page.evaluate("() => document.activeElement.id") == "start"
    page.keyboard.press("Enter")
    page.wait_for_selector("#plan-cards .refine-btn")
    _wait_until_idle(page)
    page.focus("#plan-cards .refine-btn")
    page.keyboard.press("Enter")
    assert page.is_visible("#refine-dialog") and page.evaluate("() => document.activeElement.id") == "feedback"
    page.keyboard.press("Escape")
    assert page.is_hidden("#refine-dialog")


OTHER_ORIGIN_PAGE = """<!doctype html><meta charset="utf-8"><title>another app</title><script type="module">
import { streamSSE } from '%(base)s/static/sse-client.js';
const events = [];
window.outcome = streamSSE('%(base)s/api/stream/classify', {
  body: { concept: '스마트 인슐린 펌프' }, onEvent: (e) => events.push(e.event),
}).then((last) => ({ last: last.event, events }), (err) => ({ error: String(err) }));
</script>"""


def test_another_origin_imports_the_client_and_streams(live_server, browser, tmp_path):
    """What a React app on its own dev server does: import the module, stream across origins (CORS)."""
    (tmp_path / "index.html").write_text(OTHER_ORIGIN_PAGE % {"base": live_server}, encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://localhost:{server.server_address[1]}/")  # localhost ≠ 127.0.0.1: another origin
        outcome = page.evaluate("() => window.outcome")
    finally:
        context.close()
        server.shutdown()
    assert outcome is not None, "the module did not load from the other origin (CORS on /static/sse-client.js?)"
    assert outcome.get("last") == "done", outcome
    assert outcome["events"][0] == "status" and outcome["events"][-2:] == ["result", "done"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the other origin's page without logging every request to stderr."""

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("locale, concept, shown, notice", [
    ("ko-KR", "명상 음악을 틀어주고 스트레스 관리 팁을 알려주는 웰니스 앱", "의료기기 아님", "규격 계획을 만들지 않았습니다"),
    ("en-US", "meditation app for stress relief and better mood, no medical claims", "Not a medical device",
     "no standards plan"),
])
def test_a_non_device_shows_its_qualification_and_no_plans(live_server, open_page, locale, concept, shown, notice):
    """A wellness app: the qualification is shown (both languages), and no plans, Gantt chart or 'done'."""
    page = open_page(live_server, locale=locale)
    _start(page, concept)
    page.wait_for_selector("#classification:not([hidden]) .qualification")
    _wait_until_idle(page)
    assert shown in page.locator("#classification .qualification").inner_text()
    assert notice in page.locator("#status-text").inner_text()
    assert page.locator("#plans").is_hidden() and page.locator("#timeline").is_hidden()
    assert page.locator("#classification .class-value").all_inner_texts() == ["—", "—", "—"]
