"""The MFDS annex parser: a row's English name and description only where the row reads whole."""
from __future__ import annotations

from medreg.knowledge.catalogue.build import build_mfds
from medreg.knowledge.catalogue.mfds_annex import parse_annex, read_annex
from tests.shared_data import require_shared_data

ITEMS = {"A01010.01": {"name_ko": "범용 수동식 진료대", "grade": 1},
         "A01010.02": {"name_ko": "범용 전동식 진료대", "grade": 1},
         "A01030.01": {"name_ko": "유아 가온장치", "grade": 2},
         "A01040.01": {"name_ko": "환자 고정 보조대", "grade": 1},
         "A01050.01": {"name_ko": "수동식 방사선 치료대", "grade": 1}}


def _annex(*rows: str) -> str:
    return "\n\n".join(rows) + "\n"


WHOLE = _annex("A01010.01", "범용 수동식 진료대 [1]", "Table, examination/treatment, general-purpose,",
               "일반적으로 사용하는 수동식", "manually-operated", "진료대")


def test_a_whole_row_gives_its_english_name_and_description() -> None:
    """Columns interleaved line by line still part by script: the English wraps after a comma."""
    got = parse_annex(WHOLE, ITEMS)
    assert got == {"A01010.01": {"name_en": "Table, examination/treatment, general-purpose, manually-operated",
                                 "description_ko": "일반적으로 사용하는 수동식 진료대"}}


def test_a_line_glued_to_the_name_is_its_columns_tail() -> None:
    """pdftotext writes a cell's last line beside the name line first: it goes to the end of its column."""
    text = "A01010.02\n\n범용 전동식 진료대 [1]\n-powered\n\nTable, examination/treatment, electrically\n\n전동식 진료대\n"
    assert parse_annex(text, ITEMS)["A01010.02"]["name_en"] == "Table, examination/treatment, electrically-powered"


def test_two_rows_mixed_are_left_out() -> None:
    """A name line with nothing after it, then the next row holding both English names: neither is attributed."""
    text = _annex("A01030.01", "유아 가온장치 [2]", "A01040.01", "환자 고정 보조대 [1]", "Heater, infant",
                  "열원을 이용하여 유아의 체온을 유지하는 기구", "Patient positioning or immobilization device",
                  "환자의 자세를 유지 또는 고정하기 위해 사용되는 기구")
    assert parse_annex(text, ITEMS) == {}


def test_a_description_before_the_english_name_is_left_out() -> None:
    """Korean lines between the name line and the English name are another row's running on: the row is left out."""
    text = _annex("A01050.01", "수동식 방사선 치료대 [1]", "다른 품목의 설명이 이어지는 줄",
                  "Table, radiation therapy, manually-operated", "방사선 치료 시 사용하는 수동식 환자 치료대")
    assert parse_annex(text, ITEMS) == {}


def test_after_a_row_missing_its_english_name_the_next_is_left_out() -> None:
    """The broken row may have spilled its English name into the next one."""
    text = _annex("A01010.01", "범용 수동식 진료대 [1]", "A01050.01", "수동식 방사선 치료대 [1]",
                  "Table, radiation therapy, manually-operated", "방사선 치료 시 사용하는 수동식 환자 치료대")
    assert parse_annex(text, ITEMS) == {}


def test_a_name_that_is_not_the_lists_or_another_grade_is_left_out() -> None:
    """The name line must be the item list's name with its grade."""
    assert parse_annex(WHOLE.replace("[1]", "[2]"), ITEMS) == {}
    assert parse_annex(WHOLE.replace("범용 수동식", "비뇨기과용 수동식"), ITEMS) == {}


def test_lines_before_the_name_are_left_out_but_the_row_is_kept() -> None:
    """Korean before the name line is the previous row's description or this row's tail: whose is unsure."""
    got = parse_annex(WHOLE.replace("범용 수동식 진료대 [1]", "이동할 수 있는 바퀴가 있다.\n\n범용 수동식 진료대 [1]"), ITEMS)
    assert "바퀴" not in got["A01010.01"]["description_ko"]


def test_the_official_annex_rows_as_the_source_writes_them() -> None:
    """On the shared annex: a whole row read, an interleaved pair left out, and the share attributed."""
    items = build_mfds(require_shared_data("kr/mfds-items.csv"), ivd=False)
    got = read_annex(require_shared_data("kr/mfds-items-source.md"), items)
    assert got["A01010.01"] == {"name_en": "Table, examination/treatment, general-purpose, manually-operated",
                                "description_ko": "일반적으로 사용하는 수동식 진료대"}
    assert got["A48010.04"]["name_en"] == "Root elevator"
    assert "A01030.01" not in got and "A01040.01" not in got     # their rows interleave in the source
    active = [code for code, item in items.items() if item.get("status") == "active"]
    assert 0.6 < sum(code in got for code in active) / len(active) < 0.75
