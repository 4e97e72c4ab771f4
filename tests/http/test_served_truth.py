"""Every identifier a user is served, held against the official files: each curated type asked by its
English and its Korean name, and every catalogue holdout concept, over a real gunicorn.

The knowledge base's own codes are checked in tests/knowledge/test_truth.py; this file checks what
leaves the server after matching, linking and merging, where a code can meet the wrong class, a
regulation can go uncited, or an IVD can be given MDR citations.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from medreg.knowledge.catalogue.loader import load_data
from tests.shared_data import fda_product_codes, mfds_items

CATALOGUE_SETS = Path(__file__).resolve().parent.parent.parent / "bench" / "data" / "catalogue"
US_CLASS = {"1": "I", "2": "II", "3": "III"}
MDR_CLASSES, IVDR_CLASSES = {"I", "Is", "Im", "Ir", "IIa", "IIb", "III"}, {"A", "B", "C", "D"}


def _concepts() -> list[str]:
    """Every curated type's names (English and Korean) and every catalogue holdout concept."""
    names = [name for device in load_data().devices.values() for name in (device["name"], device.get("name_ko")) if name]
    for path in sorted(CATALOGUE_SETS.glob("*.jsonl")):
        names += [json.loads(line)["concept"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(set(names))


def us_problems(us: dict) -> list[str]:
    """What is wrong with a served US block against foiclass.txt."""
    code = us.get("product_code")
    if not code:
        return agreement_problems(us)
    row = fda_product_codes().get(code)
    if row is None:
        return [f"product code {code} is not in foiclass.txt"]
    problems = []
    official = US_CLASS.get(row["DEVICECLASS"])
    if us.get("class") and us["class"] != official:
        problems.append(f"{code} served as class {us['class']}, foiclass says {row['DEVICECLASS']}")
    regulation = row["REGULATIONNUMBER"].strip()
    cited = " ".join([*(us.get("citations") or []), us.get("regulation") or ""])
    if us.get("class") and regulation and f"21 CFR {regulation}" not in cited:
        problems.append(f"{code} class given without its regulation 21 CFR {regulation}: {cited!r}")
    return problems


def agreement_problems(us: dict) -> list[str]:
    """A class answered from near FDA entries must be each entry's class, with each regulation cited."""
    problems = []
    for entry in us.get("agreed_entries") or []:
        row = fda_product_codes().get(entry.removeprefix("fda:"))
        if row is None:
            problems.append(f"agreed entry {entry} is not in foiclass.txt")
            continue
        if US_CLASS.get(row["DEVICECLASS"]) != us.get("class"):
            problems.append(f"class {us.get('class')} from agreement, but {entry} is class {row['DEVICECLASS']}")
        regulation = row["REGULATIONNUMBER"].strip()
        if regulation and f"21 CFR {regulation}" not in (us.get("citations") or []):
            problems.append(f"class from agreement without {entry}'s regulation 21 CFR {regulation}")
    return problems


def kr_problems(kr: dict) -> list[str]:
    """What is wrong with a served KR block against the MFDS item lists."""
    code = kr.get("item_code")
    if not code:
        return []
    row = mfds_items().get(code)
    if row is None:
        return [f"MFDS item {code} does not exist"]
    problems = []
    if row["status"] != "active":
        problems.append(f"MFDS item {code} is {row['status']}, served as current")
    if kr.get("grade") is not None and row["grade"] != str(kr["grade"]):
        problems.append(f"{code} served as grade {kr['grade']}, the list says {row['grade']}")
    return problems


def eu_problems(eu: dict) -> list[str]:
    """A served EU block whose class, regulation and citations do not belong to one regulation."""
    given = eu.get("class") or eu.get("tentative_class")
    citations = eu.get("citations") or []
    if eu.get("regulation") == "IVDR":
        wrong = [c for c in citations if c.startswith("MDR Annex")]
        return ([f"IVDR block with class {given}"] if given and given not in IVDR_CLASSES else []) + \
               [f"IVDR block cites {c}" for c in wrong]
    wrong = [c for c in citations if c.startswith("IVDR Annex")]
    return ([f"MDR block with class {given}"] if given and given not in MDR_CLASSES else []) + \
           [f"MDR block cites {c}" for c in wrong]


def served_problems(answer: dict) -> list[str]:
    """Every disagreement between one served classification and the official data."""
    markets = answer.get("markets") or {}
    return us_problems(markets.get("US") or {}) + kr_problems(markets.get("KR") or {}) + eu_problems(markets.get("EU") or {})


@pytest.fixture(scope="module")
def served(roundtrip_url) -> dict[str, dict]:
    """Each concept's classification as the JSON endpoint serves it."""
    fda_product_codes(), mfds_items()   # skip at once, saying why, where the official data is absent
    session = requests.Session()

    def ask(concept: str) -> tuple[str, dict]:
        response = session.post(f"{roundtrip_url}/api/classify", json={"concept": concept}, timeout=30)
        assert response.status_code == 200, (concept, response.text[:300])
        return concept, response.json()

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(ask, _concepts()))


def test_every_served_code_class_and_citation_is_the_official_one(served) -> None:
    """0 served product codes, item codes, classes, grades or EU citations that the official files contradict."""
    found = {concept: problems for concept, answer in served.items() if (problems := served_problems(answer))}
    assert len(served) > 2000
    assert any(answer["markets"]["US"].get("agreed_entries") for answer in served.values())   # the check ran
    assert not found, f"{len(found)} concepts served wrong identifiers, e.g. {list(found.items())[:5]}"


def test_the_checks_catch_what_they_guard() -> None:
    """Each check fires on a served block built wrong (a code with the wrong class, an uncited regulation,
    a deleted item, an IVD cited under the MDR)."""
    fda, items = fda_product_codes(), mfds_items()
    code = next(c for c, row in fda.items() if row["DEVICECLASS"] == "2" and row["REGULATIONNUMBER"].strip())
    regulation = f"21 CFR {fda[code]['REGULATIONNUMBER'].strip()}"
    assert us_problems({"product_code": code, "class": "II", "citations": [regulation]}) == []
    assert us_problems({"product_code": code, "class": "III", "citations": [regulation]})
    assert us_problems({"product_code": code, "class": "II", "citations": ["21 CFR 999.9999"]})
    assert us_problems({"product_code": "QQ!"})
    assert us_problems({"class": "II", "agreed_entries": [f"fda:{code}"], "citations": [regulation]}) == []
    assert us_problems({"class": "I", "agreed_entries": [f"fda:{code}"], "citations": [regulation]})
    assert us_problems({"class": "II", "agreed_entries": [f"fda:{code}"], "citations": []})
    item = next(c for c, row in items.items() if row["status"] == "active")
    gone = next(c for c, row in items.items() if row["status"] != "active")
    assert kr_problems({"item_code": item, "grade": int(items[item]["grade"])}) == []
    assert kr_problems({"item_code": item, "grade": int(items[item]["grade"]) % 4 + 1})
    assert kr_problems({"item_code": gone})
    assert eu_problems({"regulation": "IVDR", "tentative_class": "D", "citations": ["IVDR Annex VIII Rule 1"]}) == []
    assert eu_problems({"regulation": "IVDR", "tentative_class": "D", "citations": ["MDR Annex VIII Rule 1"]})
    assert eu_problems({"regulation": "MDR", "class": "C", "citations": ["MDR Annex VIII Rule 1"]})
