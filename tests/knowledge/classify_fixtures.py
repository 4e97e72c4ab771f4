"""A handful of device types for the classification unit tests (identifiers checked against
the official files: LZG 880.5725 class 2; DXY 870.3610 class 3; FMA 880.6230 class 1;
DQA 870.2700 class 2; MFDS A79050.01 grade 4, A09270.01 grade 4)."""
from __future__ import annotations

import copy

from medreg.knowledge import Knowledge
from medreg.knowledge.catalogue.loader import KnowledgeData

DEVICES = [
    {"id": "insulin-pump", "name": "External insulin infusion pump", "name_ko": "체외용 인슐린 주입기",
     "synonyms_en": ["insulin pump", "smart insulin pump", "patch pump"],
     "synonyms_ko": ["인슐린 펌프", "스마트 인슐린 펌프", "패치형 인슐린 펌프"], "category": "drug_delivery",
     "attributes": {"active": True, "administers_medicine": True, "administration_hazardous": True,
                    "software": True, "body_contact": "intact_skin"},
     "us": {"product_codes": ["LZG"], "regulation": "21 CFR 880.5725", "class": "2", "pathway": "510(k)"},
     "eu": {"class": "IIb", "rules": ["Rule 12"]},
     "kr": {"item_codes": ["A79050.01"], "grade": 4, "item_name_ko": "체외용 인슐린 주입기"},
     "keywords_en": ["insulin", "diabetes"], "keywords_ko": ["인슐린", "당뇨"]},
    {"id": "pacemaker", "name": "Implantable cardiac pacemaker", "name_ko": "이식형 심장박동기",
     "synonyms_en": ["pacemaker", "implantable pacemaker"], "synonyms_ko": ["심장박동기", "인공심박동기"],
     "category": "active_implant",
     "attributes": {"invasiveness": "implantable", "duration": "long_term", "active": True,
                    "active_function": "therapeutic", "central_circulatory_cns": True, "sterile": True},
     "us": {"product_codes": ["DXY"], "regulation": "21 CFR 870.3610", "class": "3", "pathway": "PMA"},
     "eu": {"class": "III", "rules": ["Rule 8"]},
     "kr": {"item_codes": ["A09270.01"], "grade": 4, "item_name_ko": "이식형 심장박동기"}},
    {"id": "tongue-depressor", "name": "Tongue depressor", "name_ko": "설압자",
     "synonyms_en": ["tongue blade"], "synonyms_ko": ["혀 누르개"], "category": "general_hospital",
     "attributes": {"invasiveness": "body_orifice", "duration": "transient", "ear_nose_throat_limited": True},
     "us": {"product_codes": ["FMA"], "regulation": "21 CFR 880.6230", "class": "1", "pathway": "510(k) exempt"},
     "eu": {"class": "I", "rules": ["Rule 5"]}},
    {"id": "pulse-oximeter", "name": "Pulse oximeter", "name_ko": "맥박산소측정기",
     "synonyms_en": ["oximeter", "SpO2 monitor", "fingertip pulse oximeter"],
     "synonyms_ko": ["산소포화도 측정기", "손가락 산소포화도 측정기"], "category": "monitoring",
     "attributes": {"active": True, "active_function": "monitoring", "body_contact": "intact_skin", "measuring": True},
     "us": {"product_codes": ["DQA"], "regulation": "21 CFR 870.2700", "class": "2", "pathway": "510(k)"},
     "eu": {"class": "IIa", "rules": ["Rule 10"]}},
    {"id": "pump-controller-app", "name": "Insulin pump controller app", "name_ko": "인슐린 펌프 제어 앱",
     "synonyms_en": ["insulin pump app"], "synonyms_ko": ["인슐린 펌프 앱"], "category": "samd",
     "attributes": {"software": True, "software_only": True, "drives_device": "insulin-pump", "wireless": True},
     "us": {"product_codes": ["LZG"], "regulation": "21 CFR 880.5725", "class": "2", "pathway": "510(k)",
            "verified": False, "note": "fixture: unverified on purpose"},
     "eu": {"class": "IIb", "rules": ["Rule 11", "Rule 12"]}},
]

CATEGORIES = [{"code": c, "label": c.title(), "label_ko": c} for c in
              ("drug_delivery", "active_implant", "general_hospital", "monitoring", "samd", "other")]


def make_kb(devices: list[dict] | None = None, tmp_store=None) -> Knowledge:
    """A Knowledge over the fixture devices, with an empty import store unless one is given."""
    data = KnowledgeData(devices={d["id"]: copy.deepcopy(d) for d in (devices or DEVICES)},
                         categories={c["code"]: c for c in CATEGORIES})
    kb = Knowledge(data)
    if tmp_store is not None:
        kb.kb_store_dir = tmp_store
    return kb
