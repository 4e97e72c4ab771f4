"""The web app's whole flow in Debian's chromium for class III implants: the plans on the page are the
engine's plans for the classification the page was served, with the activities that class calls for."""
from __future__ import annotations

import pytest

from medreg.engines.base import MARKETS, RefineInput, StandardsInput
from medreg.engines.offline import OfflineEngine
from tests.http.roundtrip import UNDETERMINED, in_process

pytestmark = [pytest.mark.browser, pytest.mark.server]

# (concept, page locale, language, the activities the plan cards must show, the refine feedback)
IMPLANTS = [
    ("implantable cardiac pacemaker", "en-US", "en",
     ("Notified-body conformity assessment (QMS and technical documentation audit)",
      "Clinical investigation (generally required for implantable and class III devices",
      "Clinical study under an IDE (21 CFR Part 812) where significant risk; a PMA normally needs clinical data"),
     "we sell in the EU only"),
    ("이식형 심장 박동기", "ko-KR", "ko",
     ("인증기관(NB) 적합성 평가(QMS 및 기술문서 심사)", "임상시험(이식형·3등급 기기는 예외가 없는 한 일반적으로 요구",
      "유의한 위험 기기는 IDE(21 CFR Part 812)에 따른 임상시험; PMA는 통상 임상 자료가 필요"),
     "유럽에서만 판매합니다"),
]


def _wait_until_idle(page) -> None:
    page.wait_for_function("() => !document.getElementById('start').disabled && document.getElementById('stop').disabled")


def _card_activities(page, plan_id: str) -> list[str]:
    return page.locator(f"#plan-{plan_id} table.activities tbody tr td:first-child").all_inner_texts()


@pytest.mark.parametrize(("concept", "locale", "language", "activities", "feedback"), IMPLANTS,
                         ids=["pacemaker-en", "pacemaker-ko"])
def test_class_iii_implant_plans_on_the_page(live_server, open_page, artifacts, concept, locale, language,
                                             activities, feedback) -> None:
    """Classify → purpose → standards in the page, then refine one plan: notified body, clinical
    investigation and PMA are planned, nothing says the class is not determined, and each card is
    what the engine in process plans for the classification the page received."""
    page = open_page(live_server, locale=locale)
    page.fill("#concept", concept)
    page.click("#start")
    page.wait_for_selector("#timeline:not([hidden]) svg.gantt")
    _wait_until_idle(page)
    assert page.locator("#classification .class-value").all_inner_texts() == ["III", "III", "4"]

    dossier = page.evaluate("() => window.medreg.dossier()")
    classification, purpose, plans = dossier["classification"], dossier["purpose"], dossier["plans"]
    page.screenshot(path=str(artifacts / f"flow-{language}-class-iii.png"), full_page=True)
    shown = [name for plan in plans for name in _card_activities(page, plan["id"])]
    assert shown == [a["name"] for plan in plans for a in plan["activities"]]
    for activity in activities:
        assert any(name.startswith(activity) for name in shown), (activity, shown)
    page_text = page.inner_text("#plans")
    assert not any(pattern.search(page_text) for pattern in UNDETERMINED.values())
    engine = OfflineEngine()
    wanted = in_process(engine, "standards", StandardsInput(classification, language, classification["category"],
                                                            purpose, MARKETS))
    assert plans == wanted["plans"]

    # Refine the clinical plan for the EU only: the page sends the served plan and classification back.
    clinical = next(plan for plan in plans if plan["id"] == "plan-clinical-evaluation")
    page.locator("#plan-plan-clinical-evaluation .refine-btn").click()
    page.fill("#feedback", feedback)
    page.click("#refine-submit")
    page.wait_for_function("() => window.medreg.dossier().refinements.length === 1")
    _wait_until_idle(page)
    refined = page.evaluate("() => window.medreg.dossier()")
    wanted = in_process(engine, "refine", RefineInput([clinical], feedback, language, True, classification, purpose))
    assert refined["refinements"][0]["changes"] == wanted["changes"] != []
    shown_plan = next(plan for plan in refined["plans"] if plan["id"] == "plan-clinical-evaluation")
    assert shown_plan == wanted["plan"] and shown_plan["markets"] == ["EU"]
    card = _card_activities(page, "plan-clinical-evaluation")
    assert card == [a["name"] for a in shown_plan["activities"]]
    assert any(name.startswith(activities[1]) for name in card) and not any(name.startswith(activities[2]) for name in card)
