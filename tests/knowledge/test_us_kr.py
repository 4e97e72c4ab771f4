"""US class / pathway from the product code; KR grade / route from the item or 별표 1 criteria."""
from __future__ import annotations

import pytest

from medreg.knowledge.classification.rules_kr import derive_grade, kr_block, pathway
from medreg.knowledge.classification.us import us_block, us_block_from_fda_row
from tests.knowledge.classify_fixtures import DEVICES

BY_ID = {d["id"]: d for d in DEVICES}


@pytest.mark.parametrize("device_id, cls, path, code, reg", [
    ("insulin-pump", "II", "510(k)", "LZG", "21 CFR 880.5725"),
    ("pacemaker", "III", "PMA", "DXY", "21 CFR 870.3610"),
    ("tongue-depressor", "I", "510(k) exempt", "FMA", "21 CFR 880.6230"),
])
def test_us_block_from_the_device_type(device_id: str, cls: str, path: str, code: str, reg: str) -> None:
    block = us_block(BY_ID[device_id], "en")
    assert (block["class"], block["pathway"], block["product_code"], block["regulation"]) == (cls, path, code, reg)
    assert reg in block["citations"] and f"FDA product code {code}" in block["citations"]
    assert block["needs_review"] is False


@pytest.mark.parametrize("language, word", [("en", "513(g)"), ("ko", "513(g)")])
def test_no_match_points_to_de_novo_or_513g(language: str, word: str) -> None:
    block = us_block(None, language)
    assert block["class"] is None and block["needs_review"] is True
    assert "De Novo" in block["rationale"] and word in block["rationale"]


def test_unverified_block_is_not_answered() -> None:
    block = us_block(BY_ID["pump-controller-app"], "en")
    assert block["class"] is None and block["tentative_class"] == "II" and block["needs_review"]


@pytest.mark.parametrize("submission, cls, expected", [("1", "2", "510(k)"), ("2", "3", "PMA"),
                                                      ("4", "1", "510(k) exempt"), ("", "2", None)])
def test_pathway_from_submission_type(submission: str, cls: str, expected) -> None:
    row = {"code": "XYZ", "name": "Thing", "class": cls, "regulation": "880.1234", "submission_type": submission}
    block = us_block_from_fda_row(row, "en")
    assert block["pathway"] == expected and block["regulation"] == "21 CFR 880.1234"
    assert block["needs_review"] is (expected is None)


def test_unclassified_fda_row_has_no_class() -> None:
    block = us_block_from_fda_row({"code": "FRO", "name": "Dressing", "class": "U", "submission_type": "1"}, "en")
    assert block["class"] is None and block["needs_review"]


@pytest.mark.parametrize("grade, ko, en", [(1, "신고", "Notification (신고)"), (2, "인증", "Certification (인증)"),
                                           (3, "허가", "Approval (허가)"), (4, "허가", "Approval (허가)")])
def test_kr_pathway_by_grade(grade: int, ko: str, en: str) -> None:
    assert pathway(grade, "ko") == ko and pathway(grade, "en") == en


def test_kr_item_block() -> None:
    block = kr_block(BY_ID["insulin-pump"], {}, "ko")
    assert (block["class"], block["grade"], block["item_code"], block["pathway"]) == ("4", 4, "A79050.01", "허가")
    assert block["derived"] is False and block["item_name"] == "체외용 인슐린 주입기"


def test_kr_grade_2_mentions_both_routes() -> None:
    device = {"kr": {"item_codes": ["X"], "grade": 2, "item_name_ko": "x"}}
    assert "허가" in kr_block(device, {}, "ko")["rationale"]


@pytest.mark.parametrize("attrs, grade", [
    ({}, 1),
    ({"invasiveness": "body_orifice", "duration": "transient"}, 1),
    ({"active": True, "active_function": "diagnostic"}, 2),
    ({"body_contact": "injured_skin"}, 2),
    ({"invasiveness": "surgically_invasive", "duration": "long_term"}, 3),
    ({"active": True, "administers_medicine": True, "administration_hazardous": True}, 3),
    ({"invasiveness": "implantable"}, 3),
    ({"invasiveness": "implantable", "active": True, "active_function": "therapeutic"}, 4),
    ({"invasiveness": "implantable", "central_circulatory_cns": True}, 4),
    ({"biological_effect": True, "invasiveness": "implantable"}, 4),
])
def test_derived_grade_from_byeolpyo_1(attrs: dict, grade: int) -> None:
    assert derive_grade(attrs)[0] == grade


def test_derived_grade_is_a_suggestion_not_a_grade() -> None:
    """CONTRACT.md has only `grade` for KR: a grade derived from 별표 1 stays out of it (null), needs
    review, and is offered as the block's first alternative and in the rationale."""
    block = kr_block(BY_ID["pulse-oximeter"], {"active": True, "active_function": "monitoring"}, "ko")
    assert block["derived"] is True and block["class"] is None and block["grade"] is None
    assert block["pathway"] is None and block["needs_review"] and "별표 1" in block["rationale"]
    assert block["alternatives"][0] == {"grade": 2, "pathway": "인증", "derived": True, "basis": "의료기기법 시행규칙 별표 1",
                                        "criteria": block["criteria"]}
    assert block["derived_class"] == "2" and "2등급이 제안됩니다" in block["rationale"]


def test_no_grade_is_derived_for_an_ivd() -> None:
    block = kr_block({"attributes": {"ivd": True}}, {"ivd": True}, "en")
    assert block["class"] is None and block["grade"] is None and block["derived"] is False and block["needs_review"]
