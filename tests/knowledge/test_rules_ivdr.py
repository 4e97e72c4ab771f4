"""IVDR Annex VIII rules 1-7 read from words and attributes (rules_ivdr.py, data/ivdr_rules.json)."""
from __future__ import annotations

import pytest

from medreg.knowledge.classification.rules_ivdr import classify_ivdr, ivd_regulation, ivdr_rationale


@pytest.mark.parametrize("words, attrs, cls, cite", [
    ("HIV self-test", {}, "D", "IVDR Annex VIII Rule 1"),                       # Rule 1 over Rule 4(a): highest applies
    ("자가검사용 HIV 진단키트", {}, "D", "IVDR Annex VIII Rule 1"),
    ("hepatitis B surface antigen assay for blood donor screening", {}, "D", "IVDR Annex VIII Rule 1"),
    ("ABO blood grouping reagent", {}, "D", "IVDR Annex VIII Rule 2"),
    ("HLA tissue typing kit", {}, "C", "IVDR Annex VIII Rule 2"),
    ("chlamydia PCR assay", {}, "C", "IVDR Annex VIII Rule 3(a)"),
    ("PSA tumour marker immunoassay", {}, "C", "IVDR Annex VIII Rule 3(h)"),
    ("BRCA genetic testing kit", {}, "C", "IVDR Annex VIII Rule 3(i)"),
    ("blood glucose meter for self-testing", {}, "C", "IVDR Annex VIII Rule 4(a)"),
    ("개인용 혈당측정기", {}, "C", "IVDR Annex VIII Rule 4(a)"),
    ("pregnancy test", {"home_use": True}, "B", "IVDR Annex VIII Rule 4(a)"),  # the Rule 4(a) class B exception
    ("임신 진단 테스트기 가정용", {}, "B", "IVDR Annex VIII Rule 4(a)"),
    ("pregnancy test", {}, "B", "IVDR Annex VIII Rule 6"),                     # professional use: no rule but 6
    ("blood collection tube", {}, "A", "IVDR Annex VIII Rule 5(c)"),
    ("clinical chemistry analyzer", {}, "A", "IVDR Annex VIII Rule 5(b)"),
    ("unassayed controls for haematology", {}, "B", "IVDR Annex VIII Rule 7"),
    ("ferritin immunoassay", {}, "B", "IVDR Annex VIII Rule 6"),
])
def test_rule_and_class(words: str, attrs: dict, cls: str, cite: str) -> None:
    result = classify_ivdr(words, attrs)
    assert (result.cls, result.citations[0]) == (cls, cite)


def test_rationale_names_the_rule_in_the_language_and_says_it_is_derived() -> None:
    result = classify_ivdr("HIV self-test", {})
    assert result.self_testing is True
    en, ko = ivdr_rationale(result, "en", derived=True), ivdr_rationale(result, "ko", derived=True)
    assert "implementing rule 1.9" in en and "Rule 1:" in en and "needs review" in en
    assert "시행규칙 1.9" in ko and "규칙 1:" in ko and "검토" in ko


def test_sterile_class_a_and_near_patient_notes() -> None:
    sterile = classify_ivdr("sterile specimen container", {"sterile": True})
    assert sterile.cls == "A" and "sterile" in ivdr_rationale(sterile, "en", derived=False, sterile=True)
    assert classify_ivdr("point-of-care CRP test", {}).near_patient is True


@pytest.mark.parametrize("regulation, ivd", [
    ("866.3780", True), ("21 CFR 862.1345", True), ("864.7250", True), ("880.6230", False), ("", False), (None, False),
    # 21 CFR 864 subpart J, section by section: blood grouping and antibody testing are IVDs ...
    ("864.9175", True), ("864.9160", True), ("864.9300", True), ("864.9550", True), ("864.9650", True),
    ("864.9185", True), ("864.9050", True),
    # ... blood bags, warmers, collection, apheresis, storage and transfer of blood for transfusion are not
    ("864.9100", False), ("864.9205", False), ("864.9245", False), ("864.9700", False), ("864.9875", False),
    ("864.9125", False), ("864.9999", False)])
def test_fda_ivd_parts(regulation, ivd: bool) -> None:
    """21 CFR 862/864/866 are IVD parts; in 864 subpart J each section is decided on its own."""
    assert ivd_regulation(regulation) is ivd


def test_one_ivd_test_for_every_subpart_j_code() -> None:
    """Every FDA code of 21 CFR 864.9xxx in the shipped catalogue is decided by a listed section, and
    the link build, catalogue answers and imported rows all use the same function."""
    from medreg.knowledge.catalogue import link
    from medreg.knowledge.catalogue.fda_ivd import _spec, fda_is_ivd
    from medreg.knowledge.catalogue.shipped import load_catalogue
    from medreg.knowledge.classification import entry_attrs
    assert link.fda_is_ivd is fda_is_ivd and entry_attrs.fda_is_ivd is fda_is_ivd
    spec = _spec()
    listed = set(spec["blood_establishment_ivd"]) | set(spec["blood_establishment_not_ivd"])
    assert not set(spec["blood_establishment_ivd"]) & set(spec["blood_establishment_not_ivd"])
    codes = {code: e for code, e in load_catalogue().fda.items() if e.get("regulation", "").startswith("864.9")}
    if not codes:
        pytest.skip("the shipped catalogue is absent")
    assert len(codes) == 38 and {e["regulation"] for e in codes.values()} <= listed
    assert fda_is_ivd(codes["KSZ"]) and fda_is_ivd(codes["KSX"])          # blood grouping system / reagent
    assert not fda_is_ivd(codes["KSR"]) and not fda_is_ivd(codes["BSB"])  # blood bag, blood warmer
