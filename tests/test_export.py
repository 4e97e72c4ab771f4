"""Dossier export: Markdown and printable HTML as pure functions, and through POST /api/export."""
from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest

from medreg.export import LABELS, dossier_language, standard_label, to_html, to_markdown, weeks_text
from tests.web.sample import CLASSIFICATION, PLANS, PURPOSE


@pytest.fixture
def dossier() -> dict:
    """A whole dossier as the web page sends it: every step plus one refinement."""
    return copy.deepcopy({
        "concept": "스마트 인슐린 펌프", "language": "ko", "classification": CLASSIFICATION,
        "purpose": PURPOSE, "plans": PLANS,
        "refinements": [{"plan_id": "software", "feedback": "한국에서만 판매합니다",
                         "changes": [{"path": "markets", "before": ["US", "KR"], "after": ["KR"], "reason": "한국 전용"}],
                         "not_applied": [{"text": "무선 제거", "reason": "범위 밖"}]}],
    })


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("render", [to_markdown, to_html])
def test_every_part_of_the_dossier_is_in_the_report(render, dossier):
    text = render(dossier)
    for needle in ["스마트 인슐린 펌프", "체외용 인슐린 주입기", "LZG", "21 CFR 880.5725", "510(k)", "A79050.01",
                   "휴대폰 앱으로 제어합니까?", PURPOSE["intended_purpose"], PURPOSE["mechanism_of_action"],
                   "ISO 14971:2019", "IEC 62304:2006+A1:2015", "위험 분석", "시험 보고서", "한국에서만 판매합니다",
                   "한국 전용", "무선 제거"]:
        assert needle in text, needle
    for plan in PLANS:
        assert plan["title"] in text


@pytest.mark.parametrize("language, heading", [("ko", "규격 계획"), ("en", "Standards plans")])
@pytest.mark.parametrize("render", [to_markdown, to_html])
def test_labels_follow_the_language(render, dossier, language, heading):
    other = "Standards plans" if language == "ko" else "규격 계획"
    text = render(dossier, language)
    assert heading in text and other not in text


@pytest.mark.parametrize("asked, dossier_lang, classification_lang, expected", [
    ("en", "ko", "ko", "en"), (None, "ko", "en", "ko"), (None, None, "ko", "ko"), (None, None, None, "en"), ("fr", None, None, "en"),
])
def test_report_language_precedence(asked, dossier_lang, classification_lang, expected):
    dossier = {"language": dossier_lang, "classification": {"language": classification_lang}}
    assert dossier_language(dossier, asked) == expected


def test_markdown_tables_stay_tables_when_cells_hold_pipes_and_newlines(dossier):
    dossier["plans"][0]["activities"][0]["name"] = "a | b\nc"
    md = to_markdown(dossier)
    row = next(line for line in md.splitlines() if "a \\| b c" in line)
    assert row.startswith("|") and row.count(" | ") == 2


def test_markdown_market_rows_carry_class_and_review_flags(dossier):
    dossier["classification"]["markets"]["KR"].update({"class": None, "needs_review": True, "verified": False, "derived": True})
    md = to_markdown(dossier, "en")
    kr = md.split("### KR")[1].split("###")[0]
    # The grade as derived is shown (issue 16: every market's class as decided), flagged as such.
    assert "| Class | 4 (Needs review, unverified, derived from the criteria) |" in kr
    assert "| Class | II |" in md.split("### US")[1]


def test_html_escapes_everything_the_user_typed(dossier):
    dossier["concept"] = '<script>alert("x")</script>'
    dossier["refinements"][0]["feedback"] = "<img src=x onerror=alert(1)>"
    html = to_html(dossier)
    tags = _parse(html).tags
    assert "script" not in tags and "img" not in tags
    assert "&lt;script&gt;" in html


def test_html_is_a_printable_standalone_page(dossier):
    html = to_html(dossier)
    assert html.startswith("<!doctype html>") and '<html lang="ko">' in html
    assert "@media print" in html
    assert not re.search(r"(src|href)=\"?https?:", html), "no external assets"
    parsed = _parse(html)
    assert parsed.tags.count("section") == len(PLANS)
    # Changes in words under their plan (issue 16), the timeline as inline SVG.
    assert "시장: US, KR → KR — 한국 전용" in html
    assert parsed.tags.count("svg") == 1 and parsed.tags.count("rect") == len(PLANS)


def test_plans_may_be_sent_as_the_standards_result(dossier):
    dossier["plans"] = {"plans": PLANS, "total_plans": len(PLANS), "engine": "sample"}
    assert all(p["title"] in to_markdown(dossier) for p in PLANS)


def test_a_partial_dossier_exports_what_it_has():
    md = to_markdown({"concept": "pulse oximeter", "language": "en"})
    assert md.startswith("# Regulatory dossier: pulse oximeter") and "## Classification" not in md


@pytest.mark.parametrize("fmt, mimetype, ext, marker", [
    ("markdown", "text/markdown", "md", "# 규제 검토 보고서"),
    ("html", "text/html", "html", "<!doctype html>"),
])
def test_api_export(client, dossier, fmt, mimetype, ext, marker):
    response = client.post("/api/export", json={"format": fmt, "dossier": dossier})
    assert response.status_code == 200
    assert response.mimetype == mimetype and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="medreg-dossier.{ext}"'
    assert response.get_data(as_text=True).startswith(marker)


def test_api_export_language_overrides_the_dossier(client, dossier):
    response = client.post("/api/export", json={"format": "markdown", "language": "en", "dossier": dossier})
    assert response.get_data(as_text=True).startswith("# Regulatory dossier")


@pytest.mark.parametrize("kwargs, status, code", [
    ({"data": "format=markdown", "content_type": "text/plain"}, 415, "unsupported_media_type"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
    ({"json": {"format": "pdf", "dossier": {"concept": "x"}}}, 422, "invalid_request"),
    ({"json": {"format": "html"}}, 422, "invalid_request"),
    ({"json": {"format": "html", "dossier": {}}}, 422, "invalid_request"),
    ({"json": ["markdown"]}, 422, "invalid_request"),
    ({"json": {"format": "html", "dossier": {"concept": "x"}, "language": "de"}}, 422, "invalid_request"),
])
def test_api_export_rejects_bad_requests_in_the_one_error_shape(client, kwargs, status, code):
    response = client.post("/api/export", **kwargs)
    assert response.status_code == status
    assert response.json["error"]["code"] == code and response.json["error"]["retryable"] is False


def test_api_export_of_a_real_classification(client):
    classification = client.post("/api/classify", json={"concept": "smart insulin pump"}).json
    response = client.post("/api/export", json={"format": "markdown", "dossier": {
        "concept": "smart insulin pump", "classification": classification}})
    md = response.get_data(as_text=True)
    for code, market in classification["markets"].items():
        assert f"### {code}" in md and str(market["authority"]) in md
    assert "Classification" in md  # English concept, English report


@pytest.mark.parametrize("standard, label", [
    ({"id": "ISO 14971", "edition": "ISO 14971:2019"}, "ISO 14971:2019"),
    ({"id": "ISO 14971", "edition": "2019"}, "ISO 14971:2019"),
    ({"id": "IEC 62304", "edition": "2006+A1:2015"}, "IEC 62304:2006+A1:2015"),
    ({"id": "IEC 60601-1", "edition": None}, "IEC 60601-1"),
    ({"id": "ASTM F1980", "edition": "current"}, "ASTM F1980 (current)"),
])
def test_standard_label_never_repeats_the_id(standard, label):
    assert standard_label(standard) == label


def test_dependencies_are_named_by_title(dossier):
    md = to_markdown(dossier)
    assert f"{LABELS['depends_on']['ko']}:** {PLANS[0]['title']}" in md


def test_refinement_headings_name_the_plan():
    dossier = {"concept": "pump", "language": "en", "plans": PLANS,
               "refinements": [{"plan_id": "software", "feedback": "no wireless", "changes": []},
                               {"plan_id": None, "feedback": "Korea only", "changes": []}]}
    md = to_markdown(dossier)
    assert f"### 1. {PLANS[1]['title']}" in md and "### 2. Standards plans" in md
    assert f"<h3>1. {PLANS[1]['title']}</h3>" in to_html(dossier)


@pytest.mark.parametrize("weeks, ko, en", [(11.0, "11주", "11 weeks"), (2.5, "2.5주", "2.5 weeks"), (None, "—", "—")])
def test_weeks_read_naturally(weeks, ko, en):
    assert weeks_text(weeks, "ko") == ko and weeks_text(weeks, "en") == en


@pytest.mark.parametrize("concept, language, heading, status", [
    ("meditation app for stress relief, no medical claims", "en", "Is it a medical device?", "not a medical device"),
    ("명상 음악을 틀어주고 스트레스 관리 팁을 알려주는 웰니스 앱", "ko", "의료기기 해당 여부", "의료기기 아님"),
])
def test_the_dossier_shows_the_qualification(concept: str, language: str, heading: str, status: str) -> None:
    """Markdown and HTML both carry the qualification, per market, with its citations."""
    from medreg.knowledge import get_knowledge

    c = get_knowledge().classify(concept, None, ("US", "EU", "KR"), language)
    for render in (to_markdown, to_html):
        text = render({"concept": concept, "classification": c}, language)
        assert heading in text and status in text
        assert "520(o)(1)(B)" in text and "의료기기법 제2조 제1항" in text


@pytest.mark.parametrize("change,en,ko", [
    ({"path": "plans[0]", "before": {"id": "a"}, "after": None, "reason": "moot"}, "plan removed — moot", "계획 삭제 — moot"),
    ({"path": "plans[0].activities[0].weeks", "before": 4, "after": 6}, "CER: 4 weeks → 6 weeks", "CER: 4주 → 6주"),
    ({"path": "plans[0].standards[0]", "before": {"id": "ISO 14155"}, "after": None}, "ISO 14155 removed", "ISO 14155 삭제"),
    ({"path": "plans[0].estimated_weeks", "before": 4, "after": 6}, "estimate: 4 weeks → 6 weeks", "예상 기간: 4주 → 6주"),
    ({"path": "plans[0].markets", "before": ["US", "KR"], "after": []}, "markets: US, KR → none", "시장: US, KR → 없음"),
])
def test_changes_are_said_in_words(change, en, ko):
    """A change path becomes words about the plan's own items, in both languages (never `plans[0]…`)."""
    from medreg.export.changes import change_text
    plans = [{"id": "a", "title": "Clinical", "activities": [{"name": "CER", "weeks": 4}], "standards": [{"id": "ISO 14155"}]}]
    assert change_text(change, plans, "en") == ("a", en)
    assert change_text(change, plans, "ko") == ("a", ko)
