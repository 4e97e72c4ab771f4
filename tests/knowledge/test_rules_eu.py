"""EU MDR Annex VIII: every curated MDR device type recomputes to its own class, and a table
of rule cases taken from the MDCG 2021-24 examples."""
from __future__ import annotations

import pytest

from medreg.knowledge.catalogue.loader import load_data
from medreg.knowledge.classification.rules_eu import classify_mdr

DATA = load_data()


def _mdr(device: dict) -> bool:
    eu = device.get("eu")
    return bool(eu) and eu.get("regulation") != "IVDR" and eu.get("class") not in ("A", "B", "C", "D") \
        and eu.get("verified") is not False and not device["attributes"].get("ivd")


MDR_DEVICES = sorted((d for d in DATA.devices.values() if _mdr(d)), key=lambda d: d["id"])


def _driven(device_id: str):
    return ((DATA.devices.get(device_id) or {}).get("eu") or {}).get("class")


@pytest.mark.parametrize("device", MDR_DEVICES, ids=[d["id"] for d in MDR_DEVICES])
def test_curated_class_follows_from_attributes(device: dict) -> None:
    result = classify_mdr(device["attributes"], _driven)
    assert result.cls == device["eu"]["class"], (
        f"{device['id']}: attributes give {result.cls} by {result.rules}, curated {device['eu']['class']} "
        f"by {device['eu'].get('rules')}")


# (MDCG 2021-24 example, attributes, expected class, a deciding rule)
MDCG_CASES = [
    ("hospital bed / wheelchair pushed by hand", {"invasiveness": "non_invasive"}, "I", "Rule 1"),
    ("stethoscope", {}, "I", "Rule 1"),
    ("tubing for use with an infusion pump", {"channels_blood": True, "connects_to_active": True}, "IIa", "Rule 2"),
    ("administration set, gravity only", {"channels_blood": True}, "I", "Rule 2"),
    ("haemodialyser", {"modifies_blood": True}, "IIb", "Rule 3"),
    ("absorbent pad / island dressing", {"body_contact": "injured_skin", "wound_dressing": "barrier"}, "I", "Rule 4"),
    ("dressing for burns breaching the dermis", {"body_contact": "injured_skin", "wound_dressing": "dermis_breach"}, "IIb", "Rule 4"),
    ("hydrogel dressing (micro-environment)", {"body_contact": "injured_skin"}, "IIa", "Rule 4"),
    ("examination glove / stomach tube, transient", {"invasiveness": "body_orifice", "duration": "transient"}, "I", "Rule 5"),
    ("tracheal tube, short term", {"invasiveness": "body_orifice", "duration": "short_term"}, "IIa", "Rule 5"),
    ("removable dental prosthesis (oral cavity)", {"invasiveness": "body_orifice", "duration": "long_term",
                                                  "ear_nose_throat_limited": True}, "IIa", "Rule 5"),
    ("urethral stent, long term", {"invasiveness": "body_orifice", "duration": "long_term"}, "IIb", "Rule 5"),
    ("long-term contact lens", {"invasiveness": "body_orifice", "duration": "long_term", "contact_lens": True}, "IIb", "Rule 5"),
    ("scalpel, single use", {"invasiveness": "surgically_invasive", "duration": "transient", "sterile": True}, "IIa", "Rule 6"),
    ("reusable scalpel", {"invasiveness": "surgically_invasive", "duration": "transient", "reusable_surgical": True}, "Ir", "Rule 6"),
    ("cardiovascular catheter touching the heart", {"invasiveness": "surgically_invasive", "duration": "transient",
                                                    "central_circulatory_cns": True}, "III", "Rule 6"),
    ("surgical clip / short-term wound drain", {"invasiveness": "surgically_invasive", "duration": "short_term"}, "IIa", "Rule 7"),
    ("temporary pacing lead in the heart", {"invasiveness": "surgically_invasive", "duration": "short_term",
                                            "body_contact": "central_circulatory"}, "III", "Rule 7"),
    ("bone screw / orthopaedic plate", {"invasiveness": "implantable", "duration": "long_term"}, "IIb", "Rule 8"),
    ("dental implant fixture? no: crown placed in the teeth", {"invasiveness": "implantable", "teeth": True}, "IIa", "Rule 8"),
    ("prosthetic heart valve", {"invasiveness": "implantable", "central_circulatory_cns": True}, "III", "Rule 8"),
    ("hip replacement", {"invasiveness": "implantable", "joint_replacement": True}, "III", "Rule 8"),
    ("breast implant", {"invasiveness": "implantable", "breast_implant": True}, "III", "Rule 8"),
    ("absorbable suture? no: absorbable implant", {"invasiveness": "implantable", "biological_effect": True}, "III", "Rule 8"),
    ("implantable pacemaker (active implant)", {"invasiveness": "implantable", "active": True,
                                                "active_function": "therapeutic"}, "III", "Rule 8"),
    ("TENS / muscle stimulator", {"active": True, "active_function": "therapeutic"}, "IIa", "Rule 9"),
    ("HF electrosurgical generator", {"active": True, "active_function": "therapeutic", "energy_hazardous": True}, "IIb", "Rule 9"),
    ("ECG / EEG recorder", {"active": True, "active_function": "diagnostic"}, "IIa", "Rule 10"),
    ("ICU patient monitor (vital parameters)", {"active": True, "active_function": "monitoring", "monitors_vital": True}, "IIb", "Rule 10"),
    ("diagnostic X-ray system", {"active": True, "active_function": "diagnostic", "ionizing_radiation": True}, "IIb", "Rule 10"),
    ("software for diagnosis, serious deterioration", {"software": True, "software_only": True,
                                                       "software_decision": "serious_deterioration"}, "IIb", "Rule 11"),
    ("software, decision may cause death", {"software": True, "software_only": True,
                                            "software_decision": "death_or_irreversible"}, "III", "Rule 11"),
    ("app for monitoring non-vital parameters", {"software": True, "software_only": True,
                                                 "software_decision": "monitor_other"}, "IIa", "Rule 11"),
    ("fertility-cycle app with no decision", {"software": True, "software_only": True}, "I", "Rule 11"),
    ("infusion pump", {"active": True, "administers_medicine": True, "administration_hazardous": True}, "IIb", "Rule 12"),
    ("enteral feeding pump? suction: removes body liquids", {"active": True, "administers_medicine": True}, "IIa", "Rule 12"),
    ("powered examination light? other active device", {"active": True}, "I", "Rule 13"),
    ("drug-eluting stent? no: heparin-coated catheter", {"invasiveness": "surgically_invasive", "duration": "transient",
                                                         "medicinal_substance": True}, "III", "Rule 14"),
    ("condom", {"invasiveness": "body_orifice", "duration": "transient", "contraceptive": True}, "IIb", "Rule 15"),
    ("copper IUD", {"invasiveness": "body_orifice", "duration": "long_term", "contraceptive": True}, "III", "Rule 15"),
    ("contact lens solution", {"disinfects_devices": "lenses"}, "IIb", "Rule 16"),
    ("washer-disinfector for endoscopes", {"active": True, "disinfects_devices": "invasive"}, "IIb", "Rule 16"),
    ("disinfectant for non-invasive devices", {"disinfects_devices": "other"}, "IIa", "Rule 16"),
    ("X-ray detector / film", {"records_xray": True}, "IIa", "Rule 17"),
    ("collagen / animal-tissue heart valve patch", {"invasiveness": "implantable", "animal_human_tissue": True}, "III", "Rule 18"),
    ("leather (animal) on intact skin only", {"animal_human_tissue": True, "body_contact": "intact_skin"}, "I", "Rule 1"),
    ("nanomaterial with high internal exposure", {"nanomaterial": "high"}, "III", "Rule 19"),
    ("spacer / nebuliser for inhaled medicine", {"invasiveness": "body_orifice", "duration": "transient",
                                                 "inhaled_medicine": True}, "IIa", "Rule 20"),
    ("substance applied in the nasal cavity", {"invasiveness": "body_orifice", "duration": "transient",
                                               "substance_absorbed": True, "ear_nose_throat_limited": True}, "IIa", "Rule 21"),
    ("substance systemically absorbed", {"invasiveness": "body_orifice", "substance_absorbed": True,
                                         "biological_effect": True}, "III", "Rule 21"),
    ("closed-loop insulin delivery / AED", {"active": True, "active_function": "therapeutic", "closed_loop": True}, "III", "Rule 22"),
    ("sterile class I (Is)", {"sterile": True}, "Is", "Rule 1"),
    ("class I with measuring function (Im)", {"measuring": True}, "Im", "Rule 1"),
]


@pytest.mark.parametrize("example, attrs, expected, rule", MDCG_CASES, ids=[c[0] for c in MDCG_CASES])
def test_mdcg_examples(example: str, attrs: dict, expected: str, rule: str) -> None:
    result = classify_mdr(attrs)
    assert result.cls == expected, (example, result)
    assert rule in result.rules, (example, result.rules)


def test_strictest_rule_wins_and_both_are_reported() -> None:
    # Implementing rule 3.5: an active device that is also a long-term orifice device.
    result = classify_mdr({"invasiveness": "body_orifice", "duration": "long_term", "active": True,
                           "active_function": "therapeutic"})
    assert result.cls == "IIb" and result.rules == ["Rule 5"]
    assert {f.rule for f in result.findings} >= {5, 9}


def test_software_driving_a_device_takes_its_class() -> None:
    # Implementing rule 3.3: software that drives a device falls within the device's class.
    result = classify_mdr({"software": True, "software_only": True, "drives_device": "pump"},
                          lambda device_id: "IIb" if device_id == "pump" else None)
    assert result.cls == "IIb"


def test_invasive_device_without_duration_is_flagged_as_assumed() -> None:
    assert classify_mdr({"invasiveness": "surgically_invasive"}).assumed == ["duration"]
