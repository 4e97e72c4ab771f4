"""Holds the standards catalogue to FORMAT.md, and the held-out bench set to the official data."""
from __future__ import annotations

import csv
import json
import re
import warnings
from importlib import resources

import pytest

from medreg.knowledge.catalogue.loader import load_data
from medreg.knowledge.plans.triggers import TriggerContext, evaluate
from tests.knowledge.test_truth import ATTRIBUTE_KEYS
from tests.shared_data import REPO_ROOT, fda_product_codes, mfds_items, require_shared_data

DATA = load_data()
STANDARDS = sorted(DATA.standards.values(), key=lambda s: s["id"])
HOLDOUT = REPO_ROOT / "bench" / "data" / "holdout.jsonl"

WORKSTREAMS = {
    "risk_management", "quality_system", "electrical_safety", "emc", "software", "usability",
    "biocompatibility", "sterilisation_packaging", "cybersecurity", "clinical_evaluation",
    "labelling", "particular",
}
REQUIRED = ("id", "edition", "title", "title_ko", "workstream", "kind", "triggers", "tests",
            "deliverables", "weeks", "recognition", "source", "verified")
# Attributes whose values are an enumeration in FORMAT.md; the rest are booleans or free ids.
ENUMS = {
    "invasiveness": {"non_invasive", "body_orifice", "surgically_invasive", "implantable"},
    "duration": {"transient", "short_term", "long_term"},
    "body_contact": {"none", "intact_skin", "injured_skin", "mucosa", "blood_path_indirect",
                     "circulating_blood", "tissue_bone", "central_circulatory", "central_nervous"},
    "active_function": {"therapeutic", "diagnostic", "monitoring", "other"},
    "software_decision": {"death_or_irreversible", "serious_deterioration", "other", "monitor_vital",
                          "monitor_other"},
    "wound_dressing": {"barrier", "dermis_breach", "mechanical"},
    "disinfects_devices": {"invasive", "other", "lenses"},
    "nanomaterial": {"high", "medium", "low"},
}
FREE_TEXT = {"drives_device"}
ID_PATTERN = re.compile(r"(ISO|IEC)(/TR|/TS)? \d+(-\d+)*")
YEAR = re.compile(r"(19|20)\d\d")


def _ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def _check_predicate(pred: dict, where: str) -> None:
    """Raise AssertionError naming `where` unless `pred` uses only FORMAT.md's predicates."""
    assert isinstance(pred, dict) and len(pred) >= 1, f"{where}: predicate must be an object"
    if "always" in pred:
        assert set(pred) == {"always"} and isinstance(pred["always"], bool), where
    elif "attr" in pred:
        key = pred["attr"]
        assert key in ATTRIBUTE_KEYS, f"{where}: unknown attribute {key!r}"
        tests = set(pred) - {"attr"}
        assert len(tests) == 1 and tests <= {"eq", "in", "present"}, f"{where}: {pred!r}"
        if "present" in pred:
            assert isinstance(pred["present"], bool), where
            return
        for value in pred["in"] if "in" in pred else [pred["eq"]]:
            if key in ENUMS:
                assert value in ENUMS[key], f"{where}: {key}={value!r} is not in the vocabulary"
            elif key not in FREE_TEXT:
                assert isinstance(value, bool), f"{where}: {key} is boolean, got {value!r}"
    elif "category" in pred:
        codes = pred["category"] if isinstance(pred["category"], list) else [pred["category"]]
        unknown = [c for c in codes if c not in DATA.categories]
        assert not unknown, f"{where}: unknown categories {unknown}"
    elif "device" in pred:
        assert isinstance(pred["device"], list), where
    elif "market" in pred:
        assert pred["market"] in {"US", "EU", "KR"}, where
    elif set(pred) <= {"all", "any"} and len(pred) == 1:
        parts = next(iter(pred.values()))
        assert isinstance(parts, list) and parts, f"{where}: empty combinator"
        for part in parts:
            _check_predicate(part, where)
    elif set(pred) == {"not"}:
        _check_predicate(pred["not"], where)
    else:
        raise AssertionError(f"{where}: unknown predicate {pred!r}")


def test_catalogue_is_large_and_ids_are_unique() -> None:
    """At least 80 standards; the raw file has no duplicate ids (the loader keeps the last)."""
    raw = json.loads((resources.files("medreg.knowledge") / "data" / "standards.json").read_text("utf-8"))
    ids = [s["id"] for s in raw]
    assert len(ids) >= 80, len(ids)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    kinds = {s["kind"] for s in raw}
    assert kinds == {"horizontal", "particular"}


@pytest.mark.parametrize("standard", STANDARDS, ids=_ids(STANDARDS))
def test_standard_entry_is_well_formed(standard: dict) -> None:
    """Fields, id without year, edition naming the same standard with a year, known workstream."""
    missing = [k for k in REQUIRED if k not in standard]
    assert not missing, missing
    assert ID_PATTERN.fullmatch(standard["id"]), f"id must be a bare number: {standard['id']!r}"
    assert standard["edition"].startswith(standard["id"] + ":"), standard["edition"]
    assert YEAR.search(standard["edition"].split(":", 1)[1]), "edition has no year"
    assert standard["workstream"] in WORKSTREAMS
    assert standard["kind"] in {"horizontal", "particular"}
    assert re.search(r"[\uac00-\ud7a3]", standard["title_ko"]), "title_ko is not Korean"
    for key in ("tests", "deliverables"):
        assert standard[key] and all(isinstance(x, str) and x for x in standard[key]), key
    assert isinstance(standard["weeks"], (int, float)) and 0 < standard["weeks"] <= 104
    recognition = standard["recognition"]
    assert set(recognition) == {"fda_recognized", "eu_harmonised"}
    assert all(v in (True, False, None) for v in recognition.values())
    assert isinstance(standard["verified"], bool)
    if not standard["verified"]:
        assert standard.get("edition_note"), "an unverified edition must say why in edition_note"


HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Rule for *_ko items: every item holds Hangul. An acronym is never left bare; it keeps a Korean
# gloss ("SBOM(소프트웨어 자재 명세서)"), so a Korean plan never shows an English-only line.
KO_LISTS = (("tests", "tests_ko"), ("deliverables", "deliverables_ko"))


@pytest.mark.parametrize("standard", STANDARDS, ids=_ids(STANDARDS))
@pytest.mark.parametrize("key,key_ko", KO_LISTS)
def test_korean_lists_match_the_english_ones(standard: dict, key: str, key_ko: str) -> None:
    """Each English list has a Korean twin of equal length, every item Korean, standard ids kept."""
    if not standard.get(key):
        return
    korean = standard.get(key_ko)
    assert isinstance(korean, list) and len(korean) == len(standard[key]), f"{key_ko} missing or wrong length"
    for english, item in zip(standard[key], korean):
        assert isinstance(item, str) and HANGUL.search(item), f"{key_ko}: {item!r} has no Hangul"
        for ref in ID_PATTERN.finditer(english):
            assert ref.group(0) in item, f"{key_ko}: {item!r} drops {ref.group(0)!r} of {english!r}"


@pytest.mark.parametrize("standard", STANDARDS, ids=_ids(STANDARDS))
def test_triggers_use_the_format_vocabulary(standard: dict) -> None:
    """Particular standards come from device types; horizontal triggers parse."""
    if standard["kind"] == "particular":
        assert standard["triggers"] is None, "particular standards are attached by device types"
    elif standard["triggers"] is not None:
        _check_predicate(standard["triggers"], standard["id"])


# (attributes, category, standards that must be triggered, standards that must not be)
PROFILES = [
    ({"software": True, "software_only": True, "ai": True}, "samd",
     {"ISO 14971", "ISO 13485", "IEC 62304", "IEC 82304-1", "IEC 81001-5-1", "IEC 62366-1", "ISO 20417"},
     {"IEC 60601-1", "IEC 60601-1-2", "ISO 10993-1", "ISO 11135", "IEC 61010-1"}),
    ({"active": True, "software": True, "wireless": True, "home_use": True, "body_contact": "intact_skin",
      "invasiveness": "non_invasive", "monitors_vital": True}, "wearable",
     {"IEC 60601-1", "IEC 60601-1-2", "IEC 60601-1-11", "IEC 60601-1-8", "IEC 62304", "IEC 81001-5-1",
      "ISO 10993-1", "ISO 10993-5", "ISO 10993-10", "ISO 10993-23"},
     {"ISO 10993-4", "ISO 10993-3", "IEC 82304-1", "ISO 11135", "ISO 14155"}),
    ({"invasiveness": "implantable", "duration": "long_term", "body_contact": "tissue_bone", "sterile": True,
      "joint_replacement": True}, "orthopedic",
     {"ISO 10993-1", "ISO 10993-3", "ISO 10993-6", "ISO 10993-11", "ISO 11135", "ISO 11137-1",
      "ISO 11607-1", "ISO 11737-1", "ISO 14630", "ISO 14155"},
     {"IEC 60601-1", "IEC 62304", "ISO 10993-4", "ISO 17664-1"}),
    ({"ivd": True, "active": True, "software": True}, "ivd",
     {"IEC 61010-1", "ISO 18113-1", "ISO 20916", "ISO 23640", "IEC 62304", "ISO 14971"},
     {"IEC 60601-1", "IEC 60601-1-2", "ISO 20417", "ISO 10993-1"}),
    ({"invasiveness": "surgically_invasive", "duration": "transient", "body_contact": "tissue_bone",
      "reusable_surgical": True}, "surgical",
     {"ISO 17664-1", "ISO 17665", "ISO 10993-1", "ISO 10993-11"},
     {"ISO 11135", "ISO 11607-1", "IEC 60601-1", "ISO 10993-6"}),
]


@pytest.mark.parametrize("attributes,category,present,absent", PROFILES)
def test_horizontal_triggers_pick_what_a_reviewer_expects(attributes, category, present, absent) -> None:
    """Typical device profiles trigger the horizontal standards a reviewer would list, and no others."""
    ctx = TriggerContext(attributes=attributes, category=category)
    fired = {s["id"] for s in STANDARDS if s["kind"] == "horizontal" and evaluate(s["triggers"], ctx).value}
    assert present <= fired, sorted(present - fired)
    assert not (absent & fired), sorted(absent & fired)


def _harmonised_numbers() -> dict[str, list[str]]:
    """Bare standard number (e.g. '10993-4') -> the ISO/IEC editions the EU list names."""
    path = require_shared_data("eu/harmonised-standards.csv")
    listed: dict[str, list[str]] = {}
    with path.open("r", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            match = re.match(r"EN (?:ISO |IEC )?(\d+(?:-\d+)*):(\d{4})", row["number"])
            if not match:
                continue
            # The title usually names the international edition the EN adopts, e.g. "(ISO 10993-4:2017)".
            inner = re.search(r"\((?:ISO|IEC)[^():]* " + re.escape(match.group(1)) + r":(\d{4})", row["title"])
            listed.setdefault(match.group(1), []).append(inner.group(1) if inner else match.group(2))
    return listed


def _number(standard_id: str) -> str:
    return standard_id.split(" ", 1)[1]


def test_eu_harmonised_claims_are_corroborated_and_editions_reported() -> None:
    """A `true` eu_harmonised claim must be on the shared EU list; edition differences are reported.

    The list is incomplete, so absence does not prove a standard is not harmonised; but the catalogue's
    policy is to claim `true` only when corroborated (else null), and this holds every claim to that.
    """
    listed = _harmonised_numbers()
    assert len(listed) >= 30, "the EU list did not parse"
    uncorroborated, mismatches = [], []
    for standard in STANDARDS:
        number = _number(standard["id"])
        if standard["recognition"]["eu_harmonised"] is True and number not in listed:
            uncorroborated.append(standard["id"])
        if number in listed:
            year = YEAR.search(standard["edition"].split(":", 1)[1]).group(0)
            if year not in listed[number]:
                mismatches.append(f"{standard['edition']} vs EU list {listed[number]}")
    for line in mismatches:
        warnings.warn(f"edition differs from the EU harmonised list: {line}", stacklevel=1)
    assert not uncorroborated, f"eu_harmonised true without the EU list naming it: {uncorroborated}"


# ---- held-out bench set -------------------------------------------------------------------------

def _holdout_rows() -> list[dict]:
    with HOLDOUT.open("r", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


HOLDOUT_ROWS = _holdout_rows() if HOLDOUT.exists() else []
US_CLASS = {"I": "1", "II": "2", "III": "3"}


def test_holdout_has_100_concepts_in_both_languages() -> None:
    """100 unique concepts, roughly half Korean and half English."""
    assert len(HOLDOUT_ROWS) == 100
    concepts = [row["concept"] for row in HOLDOUT_ROWS]
    assert len(set(concepts)) == len(concepts)
    korean = sum(row["language"] == "ko" for row in HOLDOUT_ROWS)
    assert {row["language"] for row in HOLDOUT_ROWS} == {"ko", "en"}
    assert 35 <= korean <= 65, korean
    for row in HOLDOUT_ROWS:
        has_hangul = bool(re.search(r"[\uac00-\ud7a3]", row["concept"]))
        assert has_hangul == (row["language"] == "ko"), row["concept"]


@pytest.mark.parametrize("row", HOLDOUT_ROWS, ids=[r["concept"][:40] for r in HOLDOUT_ROWS])
def test_holdout_labels_exist_in_the_official_data(row: dict) -> None:
    """Each label agrees with foiclass.txt and the MFDS item list; must_standards are in the catalogue."""
    expected = row["expected"]
    assert set(expected) >= {"us_class", "us_product_code", "eu_class", "kr_grade", "kr_item_code"}
    code, us_class = expected["us_product_code"], expected["us_class"]
    assert code is None or us_class is not None, "a product code needs its class"
    if code is not None:
        rows = fda_product_codes()
        assert code in rows, f"product code {code} is not in foiclass.txt"
        assert rows[code]["DEVICECLASS"] == US_CLASS[us_class], f"{code} is class {rows[code]['DEVICECLASS']}"
    assert us_class in (None, "I", "II", "III")
    assert expected["eu_class"] in (None, "I", "Is", "Im", "Ir", "IIa", "IIb", "III", "A", "B", "C", "D")
    item, grade = expected["kr_item_code"], expected["kr_grade"]
    assert (item is None) == (grade is None), "an MFDS grade needs its item code"
    if item is not None:
        items = mfds_items()
        assert item in items, f"MFDS item {item} does not exist"
        assert items[item]["status"] == "active", f"MFDS item {item} is {items[item]['status']}"
        assert int(items[item]["grade"]) == grade, f"MFDS item {item} is grade {items[item]['grade']}"
    unknown = [s for s in row["must_standards"] if s not in DATA.standards]
    assert not unknown, f"must_standards not in the catalogue: {unknown}"
    if any(value is not None for value in expected.values()):
        assert "ISO 14971" in row["must_standards"], "every medical device needs risk management"
    else:
        assert row.get("note") and not row["must_standards"], "a non-device row says why in a note"
