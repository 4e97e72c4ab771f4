"""The shipped catalogue is reproducible from the official files, and holds what it says it holds."""
from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys

from medreg.knowledge.catalogue.commands import default_catalogue_path
from medreg.knowledge.catalogue.shipped import load_catalogue
from tests.shared_data import fda_product_codes, mfds_items, require_shared_data


def test_rebuild_from_shared_data_is_byte_identical(tmp_path):
    """`medreg kb build` on the shared data gives exactly the shipped catalogue (decompressed bytes)."""
    data = require_shared_data("fda/foiclass.txt").parent.parent
    shipped = default_catalogue_path().read_bytes()
    sources = load_catalogue().sources
    versions = {key: value["version"] for key, value in sources.items() if "version" in value}
    versions["cfr"] = sources["cfr"]["files"][0]["version"]
    out = tmp_path / "rebuilt.json.gz"
    args = [sys.executable, "-m", "medreg.cli", "kb", "build", "--fda", str(data / "fda/foiclass.txt"),
            "--mfds", str(data / "kr/mfds-items.csv"), "--mfds-ivd", str(data / "kr/mfds-ivd-items.csv"),
            "--mfds-annex", str(data / "kr/mfds-items-source.md"),
            "--mfds-ivd-annex", str(data / "kr/mfds-ivd-items-source.md"),
            "--emdn", str(data / "eu/emdn.csv"), "--cfr", str(data / "fda/21cfr"), "--out", str(out)]
    for key, value in sorted(versions.items()):
        args += ["--version", f"{key}={value}"]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "6617 FDA product codes" in run.stdout
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(shipped)
    assert sources["fda"]["sha256"] == hashlib.sha256((data / "fda/foiclass.txt").read_bytes()).hexdigest()
    for key, name in (("mfds_annex", "kr/mfds-items-source.md"), ("mfds_ivd_annex", "kr/mfds-ivd-items-source.md")):
        assert sources[key]["sha256"] == hashlib.sha256((data / name).read_bytes()).hexdigest()


def test_catalogue_matches_the_official_rows():
    """Every FDA code and every MFDS item of the official files, with their class / grade."""
    catalogue = load_catalogue()
    official = fda_product_codes()
    assert set(catalogue.fda) == set(official)
    for code, row in official.items():
        entry = catalogue.fda[code]
        assert entry["class"] == row["DEVICECLASS"].strip() and entry["regulation"] == row["REGULATIONNUMBER"].strip()
        assert entry.get("implant", False) == (row["Implant_Flag"].strip() == "Y")
        assert entry.get("not_device_type", False) == (row["DEVICECLASS"].strip().upper() in ("N", "U", "F"))
    for code, row in mfds_items().items():
        item = catalogue.mfds[code]
        if row["status"] == "active":
            assert item["name_ko"] == row["name_ko"] and item["grade"] == int(row["grade"])
            assert item.get("ivd", False) == (row["category"] == "ivd")  # IVD codes are not only "I…"
        elif row["status"] == "deleted_or_moved":
            assert item["status"] in ("deleted", "moved")


def test_special_controls_are_citable_items():
    """21 CFR 886.1100 (retinal diagnostic software) lists (b)(1)-(b)(6); (b)(2) is clinical performance data."""
    require_shared_data("fda/21cfr")
    catalogue = load_catalogue()
    items = catalogue.special_controls("886.1100")
    assert [i["cite"] for i in items] == [f"21 CFR 886.1100(b)({n})" for n in range(1, 7)]
    assert items[1]["text"].startswith("Clinical performance data")
    assert catalogue.fda["PIB"]["regulation"] == "886.1100"
    chain = catalogue.emdn_chain("C0104010204")
    assert [c["code"] for c in chain] == ["C", "C01", "C0104", "C010401", "C01040102", "C0104010204"]
