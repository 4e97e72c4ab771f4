"""Holds every identifier in the curated knowledge base against the official data."""
from __future__ import annotations

import re

import pytest

from medreg.knowledge.catalogue.loader import load_data
from tests.shared_data import fda_product_codes, mfds_items

DATA = load_data()
DEVICES = sorted(DATA.devices.values(), key=lambda d: d["id"])
PATHWAY_BY_SUBMISSION_TYPE = {"1": {"510(k)", "De Novo"}, "2": {"PMA"}, "4": {"510(k) exempt"}}
ATTRIBUTE_KEYS = {
    "invasiveness", "duration", "body_contact", "active", "active_function", "energy_hazardous",
    "ionizing_radiation", "monitors_vital", "administers_medicine", "administration_hazardous",
    "software", "software_only", "software_decision", "ai", "drives_device", "wireless", "connected", "firmware", "home_use",
    "sterile", "single_use", "measuring", "reusable_surgical", "life_supporting", "channels_blood",
    "connects_to_active", "modifies_blood", "wound_dressing", "central_circulatory_cns",
    "biological_effect", "teeth", "ear_nose_throat_limited", "joint_replacement", "spinal_disc",
    "breast_implant", "surgical_mesh", "medicinal_substance", "contraceptive", "disinfects_devices", "records_xray",
    "animal_human_tissue", "nanomaterial", "inhaled_medicine", "substance_absorbed", "closed_loop",
    "ivd", "contact_lens",
}


def _ids(devices: list[dict]) -> list[str]:
    return [d["id"] for d in devices]


@pytest.mark.parametrize("device", DEVICES, ids=_ids(DEVICES))
def test_us_codes_exist_and_agree_with_foiclass(device: dict) -> None:
    """Product codes exist; class, regulation and pathway agree with FDA's file."""
    us = device.get("us")
    if not us or us.get("verified") is False:
        return
    codes = fda_product_codes()
    for code in us["product_codes"]:
        assert code in codes, f"{device['id']}: product code {code} is not in foiclass.txt"
        row = codes[code]
        assert row["DEVICECLASS"] == us["class"], f"{device['id']}: {code} is class {row['DEVICECLASS']}"
        if row["REGULATIONNUMBER"]:
            assert us["regulation"] == f"21 CFR {row['REGULATIONNUMBER']}", f"{device['id']}: {code}"
        allowed = PATHWAY_BY_SUBMISSION_TYPE.get(row["SUBMISSION_TYPE_ID"])
        if allowed:
            assert us["pathway"] in allowed, f"{device['id']}: {code} submission type {row['SUBMISSION_TYPE_ID']}"


@pytest.mark.parametrize("device", DEVICES, ids=_ids(DEVICES))
def test_kr_items_exist_and_agree_with_mfds_list(device: dict) -> None:
    """Item codes exist, are active, and have the grade and name the knowledge base says."""
    kr = device.get("kr")
    if not kr or kr.get("verified") is False:
        return
    items = mfds_items()
    for code in kr["item_codes"]:
        assert code in items, f"{device['id']}: MFDS item {code} does not exist"
        row = items[code]
        assert row["status"] == "active", f"{device['id']}: MFDS item {code} is {row['status']}"
        assert int(row["grade"]) == kr["grade"], f"{device['id']}: {code} is grade {row['grade']}"
    if kr.get("item_name_ko"):
        assert kr["item_name_ko"] in {items[c]["name_ko"] for c in kr["item_codes"]}


@pytest.mark.parametrize("device", DEVICES, ids=_ids(DEVICES))
def test_device_entry_is_well_formed(device: dict) -> None:
    """Required fields, a known category, known attribute keys and known standards."""
    for key in ("id", "name", "name_ko", "synonyms_en", "synonyms_ko", "category", "attributes"):
        assert key in device, f"{device['id']}: missing {key}"
    assert device["category"] in DATA.categories
    assert set(device["attributes"]) <= ATTRIBUTE_KEYS, set(device["attributes"]) - ATTRIBUTE_KEYS
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", device["id"])
    if DATA.standards:
        unknown = [s for s in device.get("standards", []) if s not in DATA.standards]
        assert not unknown, f"{device['id']}: standards not in the catalogue: {unknown}"
    eu = device.get("eu")
    if eu:
        assert eu["class"] in {"I", "Is", "Im", "Ir", "IIa", "IIb", "III", "A", "B", "C", "D"}
        assert eu.get("rules"), f"{device['id']}: EU class without rules"


def test_knowledge_base_is_large_enough() -> None:
    """The issue asks for at least 300 device types and 60 standards."""
    assert len(DEVICES) >= 300, len(DEVICES)
    assert len(DATA.standards) >= 60, len(DATA.standards)
