"""The conversation in Debian's chromium, in both languages (issue 16): questions answered as choices,
every market's class as decided, the language switch re-rendering results on screen, the whole plan
set refined in one request with changes in words and an undo. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import re

import pytest

from medreg.language import has_hangul

pytestmark = [pytest.mark.browser, pytest.mark.server]

CYCLE_APP = {"en": ("en-US", "Contraceptive fertility-awareness software (cycle app)",
                    "It informs decisions that could cause death"),
             "ko": ("ko-KR", "피임용 가임기 예측 소프트웨어 앱",
                    "결과에 따른 결정이 사망이나 비가역적 건강 악화")}
PUMP = {"en": ("en-US", "smart insulin pump", "we sell in Korea only"),
        "ko": ("ko-KR", "스마트 인슐린 펌프", "한국에서만 판매합니다")}
REFINE_COUNTER = """() => { window.refines = 0; const f = window.fetch;
  window.fetch = (u, o) => { if (String(u).includes('stream/refine')) window.refines++; return f(u, o); }; }"""


def _idle(page) -> None:
    page.wait_for_function("() => !document.getElementById('start').disabled && document.getElementById('stop').disabled"
                           " && !document.body.classList.contains('busy')")


def _classes(page) -> dict[str, str]:
    heads = [h.split(" ")[0] for h in page.locator("#classification .market h4").all_inner_texts()]
    return dict(zip(heads, page.locator("#classification .class-value").all_inner_texts()))


def _ask(page, concept: str, selector: str = "", function: str = "") -> None:
    """Type a concept, start, wait for what the test needs on screen, then for the page to go idle."""
    page.fill("#concept", concept)
    page.click("#start")
    if function:
        page.wait_for_function(function)
    else:
        page.wait_for_selector(selector)
    _idle(page)


def _dossier(page) -> dict:
    return page.evaluate("() => window.medreg.dossier()")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_questions_are_answered_in_the_page(live_server, open_page, artifacts, language) -> None:
    """The questions are choices; choosing one classifies again (Rule 11: III) and plans wait for a request."""
    locale, concept, option = CYCLE_APP[language]
    page = open_page(live_server, locale=locale)
    _ask(page, concept, "#timeline:not([hidden]) svg.gantt")
    assert _classes(page)["EU"] == "IIb"
    question = page.locator("fieldset.question[data-question=software_decision]")
    assert question.count() == 1
    question.locator("button.option", has_text=option).click()
    page.wait_for_selector("#classification .answers li[data-answer=software_decision]")
    _idle(page)
    assert _classes(page)["EU"] == "III"
    d = _dossier(page)
    assert d["classification"]["answers"] == {"software_decision": "death_or_irreversible"}
    assert d["classification"]["attribute_sources"]["software_decision"] == "answer"
    assert page.locator("fieldset.question[data-question=software_decision]").count() == 0
    assert page.is_visible("#plans-outdated")            # plans are re-made only on request
    page.screenshot(path=str(artifacts / f"questions-answered-{language}.png"), full_page=True)
    page.locator("#classification").screenshot(path=str(artifacts / f"questions-answered-{language}-section.png"))
    page.click("#update-plans")
    page.wait_for_selector("#plans-outdated[hidden]", state="attached")
    _idle(page)
    assert page.locator("#plan-cards .plan").count() == len(_dossier(page)["plans"]) > 0
    attrs = page.inner_text("#classification details .attrs")
    assert "software_decision" not in attrs and "home_use" not in attrs


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_market_shows_its_class_as_decided(live_server, open_page, artifacts, language) -> None:
    """A derived KR grade and an EU Is (sterile, under an hour) are shown, flagged, never "—"."""
    locale, concept, _ = CYCLE_APP[language]
    page = open_page(live_server, locale=locale)
    _ask(page, concept, "#classification:not([hidden]) .market")
    classes = _classes(page)
    assert "—" not in classes.values() and classes["KR"] == "1", classes   # grade 1 derived from 별표 1
    kr = page.inner_text("#classification .market:has(#market-KR)")
    assert ("derived from the criteria" if language == "en" else "기준으로 추정한 등급") in kr
    # EU Is (sterile, class I) and Im (measuring function): shown as such.
    for concept, eu in (("Aneroid sphygmomanometer (manual blood pressure gauge)", "Im"), ("주사기(바늘 미포함)", "Is")):
        _ask(page, concept, function=f"() => window.medreg.dossier()?.classification?.concept === {concept!r}")
        assert _classes(page)["EU"] == eu
    page.screenshot(path=str(artifacts / f"classes-as-decided-{language}.png"), full_page=True)


@pytest.mark.parametrize("first,second", [("ko", "en"), ("en", "ko")])
def test_language_switch_rerenders_results_on_screen(live_server, open_page, artifacts, first, second) -> None:
    """After the switch every result on screen is in the new language, plans and refinement included."""
    locale, concept, feedback = PUMP[first]
    page = open_page(live_server, locale=locale)
    _ask(page, concept, "#timeline:not([hidden]) svg.gantt")
    page.fill("#refine-all-feedback", feedback)
    page.click("#refine-all-submit")
    page.wait_for_selector("#refinement-summary .refinement")
    _idle(page)
    page.click(f".lang-btn[data-lang={second}]")
    page.wait_for_function(f"() => window.medreg.dossier().language === '{second}' && "
                           f"window.medreg.dossier().classification.language === '{second}'")
    _idle(page)
    d = _dossier(page)
    assert d["purpose"]["engine"] and d["plans"] and len(d["refinements"]) == 1
    plan_titles = page.locator("#plan-cards .plan h4").all_inner_texts()
    summary = page.inner_text("#refinement-summary")
    questions = page.locator("#classification .questions").all_inner_texts()
    if second == "en":
        assert not any(has_hangul(t) for t in plan_titles), plan_titles
        assert page.inner_text("#classification-heading") == "Classification"
        assert "markets: US, EU, KR → KR" in summary
        assert not any(has_hangul(q) for q in questions)
    else:
        assert all(has_hangul(t) for t in plan_titles), plan_titles
        assert "시장: US, EU, KR → KR" in summary
    page.screenshot(path=str(artifacts / f"language-{first}-to-{second}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_whole_plan_set_is_refined_in_one_request_and_undone(live_server, open_page, artifacts, language) -> None:
    """One feedback, one request, every plan it touches changes; the changes in words under each plan; undo."""
    locale, concept, feedback = PUMP[language]
    page = open_page(live_server, locale=locale)
    _ask(page, concept, "#timeline:not([hidden]) svg.gantt")
    before = _dossier(page)["plans"]
    page.evaluate(REFINE_COUNTER)
    page.fill("#refine-all-feedback", feedback)
    page.click("#refine-all-submit")
    page.wait_for_selector("#refinement-summary .refinement")
    _idle(page)
    assert page.evaluate("() => window.refines") == 1
    after = _dossier(page)["plans"]
    assert after and all(p["markets"] == ["KR"] for p in after)
    touched = page.locator("#refinement-summary .by-plan > li").count()
    assert touched >= len(after) - 1 >= 2
    text = page.inner_text("#refinement-summary")
    assert "plans[" not in text and "activities[" not in text
    assert ("removed" if language == "en" else "삭제") in text
    page.screenshot(path=str(artifacts / f"refine-all-{language}.png"), full_page=True)
    page.locator("#refinement-summary").screenshot(path=str(artifacts / f"refine-all-{language}-summary.png"))
    page.click("#undo-refine")
    _idle(page)
    assert _dossier(page)["plans"] == before and _dossier(page)["refinements"] == []
    assert page.locator("#refinement-summary .refinement").count() == 0
    assert re.search(r"US", page.inner_text("#plan-cards"))


@pytest.mark.parametrize("language,locale,concept,badge", [("en", "en-US", "a yoga app that tracks mood", "Medical device"),
                                                           ("ko", "ko-KR", "기분을 기록하는 요가 앱", "의료기기")])
def test_the_qualification_question_is_answered_in_the_page(live_server, open_page, artifacts, language, locale,
                                                            concept, badge) -> None:
    """Not a device, no plans; answering that it claims a medical purpose makes it one, plans on request."""
    page = open_page(live_server, locale=locale)
    _ask(page, concept, "fieldset.question[data-question=medical_claim]")
    assert page.is_hidden("#plans")
    page.locator("fieldset.question[data-question=medical_claim] button.option[data-value=yes]").click()
    page.wait_for_function("() => window.medreg.dossier().classification.qualification.status === 'device'")
    _idle(page)
    assert page.inner_text("#classification .qualification h4 .badge") == badge
    assert page.is_visible("#plans-outdated")
    page.screenshot(path=str(artifacts / f"qualification-answered-{language}.png"), full_page=True)
