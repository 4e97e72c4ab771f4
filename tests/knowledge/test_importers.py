"""Importers on the real official files, the `flask kb` commands, and matching over imports."""
from __future__ import annotations

import pytest
from flask import Flask

from medreg.knowledge.classification.classify import classify_concept
from medreg.knowledge.catalogue.commands import kb_cli
from medreg.knowledge.catalogue.importers import ImportFormatError, ImportReport, import_fda, import_mfds, parse_fda, parse_mfds
from medreg.knowledge.catalogue.store import FDA_FILE, MFDS_FILE, read_entries, store_dir
from tests.knowledge.classify_fixtures import make_kb
from tests.shared_data import fda_product_codes, mfds_items, require_shared_data


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A store holding the whole official FDA file and both MFDS lists."""
    store = tmp_path_factory.mktemp("kb-store")
    reports = [import_fda(require_shared_data("fda/foiclass.txt"), store),
               import_mfds(require_shared_data("kr/mfds-items.csv"), store),
               import_mfds(require_shared_data("kr/mfds-ivd-items.csv"), store)]
    return store, reports


def test_fda_import_reads_every_product_code(imported) -> None:
    store, (fda, _, _) = imported
    entries = read_entries(store, FDA_FILE)
    assert len(entries) == len(fda_product_codes()) == fda.imported
    official = fda_product_codes()["LZG"]
    assert entries["LZG"]["class"] == official["DEVICECLASS"] == "2"
    assert entries["LZG"]["regulation"] == official["REGULATIONNUMBER"]
    assert entries["DXY"]["implant"] is True


def test_mfds_import_keeps_active_items_only(imported) -> None:
    store, (_, med, ivd) = imported
    entries = read_entries(store, MFDS_FILE)
    active = {code for code, row in mfds_items().items() if row["status"] == "active"}
    assert set(entries) == active
    assert med.skipped + ivd.skipped == len(mfds_items()) - len(active)
    assert entries["A79050.01"] == {"code": "A79050.01", "grade": 4, "name_ko": "체외용 인슐린 주입기", "ivd": False}


def test_matching_searches_imported_entries(imported) -> None:
    store, _ = imported
    kb = make_kb(devices=[], tmp_store=store)
    r = classify_concept(kb, "powered wheelchair", None, ("US", "EU", "KR"), "en")
    us = r["markets"]["US"]
    assert r["device"]["id"].startswith("fda:") and us["imported"] is True
    row = fda_product_codes()[us["product_code"]]
    assert us["class"] == {"1": "I", "2": "II", "3": "III"}[row["DEVICECLASS"]]
    assert r["markets"]["EU"]["derived"] is True and r["markets"]["EU"]["needs_review"]
    assert r["confidence"] <= 0.7
    from medreg.schemas.results import ClassificationSchema

    assert ClassificationSchema().validate(r) == {}


def test_korean_concept_finds_imported_mfds_item(imported) -> None:
    store, _ = imported
    kb = make_kb(devices=[], tmp_store=store)
    r = classify_concept(kb, "체외용 인슐린 주입기", None, ("KR",), "ko")
    assert r["markets"]["KR"]["item_code"] == "A79050.01" and r["markets"]["KR"]["grade"] == 4


def test_curated_match_still_wins_over_imports(imported) -> None:
    store, _ = imported
    kb = make_kb(tmp_store=store)
    r = classify_concept(kb, "insulin pump", None, ("US", "EU", "KR"), "en")
    assert r["device"]["id"] == "insulin-pump" and r["markets"]["US"]["product_code"] == "LZG"


@pytest.mark.parametrize("text", ["a,b,c\n1,2,3\n", "PRODUCTCODE|DEVICENAME\nAAA|x\n"])
def test_fda_parser_rejects_other_formats(text: str) -> None:
    with pytest.raises(ImportFormatError):
        parse_fda(text, ImportReport())


def test_mfds_parser_skips_bad_rows() -> None:
    report = ImportReport()
    rows = parse_mfds("item_code,grade,name_ko,status\nA1,2,가,active\nA2,9,나,active\nA3,1,다,deleted\n", report)
    assert list(rows) == ["A1"] and report.skipped == 2


@pytest.fixture
def app(tmp_path):
    app = Flask("medreg", instance_path=str(tmp_path / "instance"))
    app.config["KB_STORE"] = str(tmp_path / "store")
    app.cli.add_command(kb_cli)
    return app


def test_cli_imports_into_the_configured_store(app, tmp_path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kb", "import-fda", str(require_shared_data("fda/foiclass.txt"))])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output and str(tmp_path / "store") in result.output
    result = runner.invoke(args=["kb", "import-mfds", str(require_shared_data("kr/mfds-items.csv"))])
    assert result.exit_code == 0, result.output
    status = runner.invoke(args=["kb", "status"]).output
    assert f"FDA product codes: {len(fda_product_codes())}" in status


def test_cli_rejects_a_wrong_file(app, tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("hello\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["kb", "import-fda", str(bad)])
    assert result.exit_code != 0 and "foiclass" in result.output


def test_store_location_defaults_to_the_instance_folder(tmp_path) -> None:
    app = Flask("medreg", instance_path=str(tmp_path / "inst"))
    app.config["KB_STORE"] = None
    assert store_dir(app) == tmp_path / "inst" / "kb-store"


def test_store_location_from_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MEDREG_KB_STORE", str(tmp_path / "env-store"))
    assert store_dir() == tmp_path / "env-store"


def test_configure_points_the_knowledge_base_at_the_app_store(app, tmp_path) -> None:
    from medreg.knowledge.catalogue.store import configure

    kb = make_kb()
    assert configure(kb, app) == tmp_path / "store" == kb.kb_store_dir
