"""A small in-test catalogue and device set for the purpose / plans / refine tests."""
from __future__ import annotations

import copy

from medreg.knowledge import Knowledge
from medreg.knowledge.catalogue.loader import KnowledgeData

ACTIVE_HW = {"all": [{"attr": "active", "eq": True}, {"not": {"attr": "software_only", "eq": True}},
                     {"not": {"attr": "ivd", "eq": True}}]}


def _std(sid: str, edition: str, workstream: str, triggers: dict, weeks: float = 4, **extra) -> dict:
    return {"id": sid, "edition": edition, "title": f"{sid} title", "title_ko": f"{sid} 제목",
            "workstream": workstream, "triggers": triggers, "weeks": weeks,
            "deliverables": [f"{sid} report"], **extra}


STANDARDS = [
    _std("ISO 14971", "2019", "risk_management", {"always": True}),
    _std("ISO 13485", "2016", "quality_system", {"always": True}),
    _std("IEC 62366-1", "2015+A1:2020", "usability", {"always": True}),
    _std("IEC 60601-1", "3.2 (2020)", "electrical_safety", ACTIVE_HW, 12),
    _std("IEC 60601-1-2", "4.1 (2020)", "emc", ACTIVE_HW, 8),
    _std("IEC 60601-1-11", "2.1 (2020)", "electrical_safety",
         {"all": [ACTIVE_HW, {"attr": "home_use", "eq": True}]}, 6),
    _std("IEC 61010-1", "3.1 (2017)", "electrical_safety",
         {"all": [{"attr": "ivd", "eq": True}, {"attr": "active", "eq": True}]}, 8),
    _std("IEC 62304", "1.1 (2015)", "software", {"any": [{"attr": "software", "eq": True},
                                                        {"attr": "software_only", "eq": True}]}),
    _std("IEC 82304-1", "2016", "software", {"attr": "software_only", "eq": True}, 4),
    _std("IEC 81001-5-1", "2021", "cybersecurity",
         {"all": [{"any": [{"attr": "software", "eq": True}, {"attr": "software_only", "eq": True}]},
                  {"attr": "wireless", "eq": True}]}),
    _std("ISO 10993-1", "2018", "biocompatibility",
         {"all": [{"attr": "body_contact", "present": True}, {"not": {"attr": "body_contact", "eq": "none"}}]}, 10),
    _std("ISO 11135", "2014", "sterilisation_packaging", {"attr": "sterile", "eq": True}, 12),
    _std("ISO 11607-1", "2019", "sterilisation_packaging", {"attr": "sterile", "eq": True}, 8),
    _std("ISO 15223-1", "2021", "labelling", {"always": True}, 1),
    _std("ISO 14155", "2020", "clinical_evaluation",
         {"all": [{"market": "EU"}, {"attr": "invasiveness", "eq": "implantable"}]}, 52),
    _std("IEC 60601-2-24", "2012", "particular", {"device": ["insulin-pump-external"]}, 8),
]

DEVICES = [
    {"id": "insulin-pump-external", "name": "External insulin infusion pump", "name_ko": "체외용 인슐린 주입기",
     "category": "drug_delivery", "standards": ["IEC 60601-2-24"],
     "attributes": {"active": True, "administers_medicine": True, "administration_hazardous": True,
                    "software": True, "wireless": True, "home_use": True, "body_contact": "injured_skin",
                    "invasiveness": "surgically_invasive", "duration": "short_term"}},
    {"id": "hip-stem", "name": "Hip joint femoral stem", "name_ko": "인공고관절 대퇴 스템", "category": "orthopedic",
     "standards": [], "attributes": {"invasiveness": "implantable", "duration": "long_term", "sterile": True,
                                      "body_contact": "tissue_bone", "joint_replacement": True}},
    {"id": "ecg-analysis-software", "name": "ECG analysis software", "name_ko": "심전도 분석 소프트웨어",
     "category": "samd", "standards": [],
     "attributes": {"software": True, "software_only": True, "active": True, "active_function": "diagnostic"}},
]

CATEGORIES = [
    {"code": "drug_delivery", "label": "Drug delivery and infusion", "label_ko": "약물 전달 및 주입"},
    {"code": "orthopedic", "label": "Orthopedic", "label_ko": "정형외과"},
    {"code": "samd", "label": "Software as a medical device / AI", "label_ko": "소프트웨어 의료기기 / 인공지능"},
    {"code": "other", "label": "Other / needs review", "label_ko": "기타 / 검토 필요"},
]

MARKET_BLOCKS = {
    "insulin-pump-external": {"US": {"class": "II", "pathway": "510(k)"}, "EU": {"class": "IIb"},
                              "KR": {"class": "4", "grade": 4}},
    "hip-stem": {"US": {"class": "II", "pathway": "510(k)"}, "EU": {"class": "III"}, "KR": {"class": "4", "grade": 4}},
    "ecg-analysis-software": {"US": {"class": "II", "pathway": "510(k)"}, "EU": {"class": "IIa"},
                              "KR": {"class": "2", "grade": 2}},
}


def make_kb(standards=None, devices=None) -> Knowledge:
    """A Knowledge over the fixture data (deep copies, so tests may mutate freely)."""
    data = KnowledgeData(
        devices={d["id"]: d for d in copy.deepcopy(devices if devices is not None else DEVICES)},
        standards={s["id"]: s for s in copy.deepcopy(standards if standards is not None else STANDARDS)},
        categories={c["code"]: c for c in copy.deepcopy(CATEGORIES)},
    )
    return Knowledge(data)


def classification_for(device_id: str | None, language: str = "en", markets=("US", "EU", "KR"),
                       concept: str = "a device", **attr_overrides) -> dict:
    """A Classification shaped like classify's, for a fixture device (None: unknown device)."""
    device = next((d for d in DEVICES if d["id"] == device_id), None)
    attributes = dict(device["attributes"]) if device else {}
    attributes.update(attr_overrides)
    cat = next(c for c in CATEGORIES if c["code"] == (device["category"] if device else "other"))
    blocks = MARKET_BLOCKS.get(device_id, {})
    return {
        "concept": concept, "language": language,
        "device": {"id": device["id"], "name": device["name"], "name_ko": device["name_ko"], "score": 0.9}
        if device else None,
        "alternatives": [],
        "category": {"code": cat["code"], "label": cat["label_ko"] if language == "ko" else cat["label"]},
        "attributes": attributes,
        "markets": {m: {"authority": m, "rationale": "", "citations": [], **blocks.get(m, {"class": None})}
                    for m in markets},
        "confidence": 0.9 if device else 0.1, "questions": [], "engine": "offline",
    }
