"""Korean and English wording shared by purpose, plans and refine: one place for the texts."""
from __future__ import annotations

from typing import Any

from medreg.language import Text, tr  # noqa: F401  (the one bilingual shape, re-exported for the texts here)


def join(items: list[str], language: str) -> str:
    """A readable list: 'a, b and c' / 'a, b, c'."""
    items = [i for i in items if i]
    if language == "ko" or len(items) < 2:
        return ", ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]



# Why an attribute triggers a standard, in plain words.
ATTRIBUTE_LABELS: dict[str, Text] = {
    "active": {"en": "active (energy-powered) device", "ko": "능동(에너지 사용) 기기"},
    "software": {"en": "contains software", "ko": "소프트웨어 포함"},
    "software_only": {"en": "standalone software (SaMD)", "ko": "독립형 소프트웨어(SaMD)"},
    "ai": {"en": "uses machine learning", "ko": "기계학습(AI) 사용"},
    "administration_hazardous": {"en": "administers in a potentially hazardous way", "ko": "잠재적으로 위험한 방식의 투여"},
    "closed_loop": {"en": "closed-loop control", "ko": "폐루프 제어"},
    "channels_blood": {"en": "channels or stores blood, liquids or gases", "ko": "혈액·액체·기체의 전달 또는 저장"},
    "central_circulatory_cns": {"en": "contacts the heart, central circulation or CNS", "ko": "심장·중추 순환계·중추신경계 접촉"},
    "biological_effect": {"en": "biological effect or absorbed", "ko": "생물학적 효과 또는 흡수"},
    "wireless": {"en": "wireless connectivity", "ko": "무선 통신 기능"},
    "connected": {"en": "network or cloud connection", "ko": "네트워크·클라우드 연결"},
    "firmware": {"en": "firmware in its electronics (assumed for an electronic device)",
                 "ko": "전자부의 펌웨어(전자 기기로 가정)"},
    "home_use": {"en": "home use by lay persons", "ko": "일반인의 가정 내 사용"},
    "sterile": {"en": "supplied sterile", "ko": "멸균 상태로 공급"},
    "single_use": {"en": "single use", "ko": "일회용"},
    "measuring": {"en": "measuring function", "ko": "측정 기능"},
    "reusable_surgical": {"en": "reusable surgical instrument", "ko": "재사용 수술 기구"},
    "ivd": {"en": "in-vitro diagnostic", "ko": "체외진단"},
    "implantable": {"en": "implantable", "ko": "이식형"},
    "administers_medicine": {"en": "administers medicinal products", "ko": "의약품 투여"},
    "monitors_vital": {"en": "monitors vital parameters", "ko": "생체 활력 징후 감시"},
    "ionizing_radiation": {"en": "emits ionizing radiation", "ko": "전리 방사선 방출"},
    "energy_hazardous": {"en": "exchanges energy in a potentially hazardous way", "ko": "잠재적으로 위험한 에너지 교환"},
    "life_supporting": {"en": "life-supporting", "ko": "생명 유지"},
    "body_contact": {"en": "body contact", "ko": "신체 접촉"},
    "invasiveness": {"en": "invasiveness", "ko": "침습성"},
    "duration": {"en": "duration of use", "ko": "사용 기간"},
    "active_function": {"en": "active function", "ko": "능동 기능"},
    "medicinal_substance": {"en": "incorporates a medicinal substance", "ko": "의약품 성분 포함"},
    "animal_human_tissue": {"en": "uses tissues of human or animal origin", "ko": "인체·동물 유래 조직 사용"},
    "contact_lens": {"en": "contact lens", "ko": "콘택트렌즈"},
}

# How a false flag reads ("no software" rather than "not contains software").
NEGATED_LABELS: dict[str, Text] = {
    "software": {"en": "no software", "ko": "소프트웨어 없음"},
    "software_only": {"en": "not standalone software", "ko": "독립형 소프트웨어 아님"},
    "wireless": {"en": "no wireless connectivity", "ko": "무선 통신 기능 없음"},
    "connected": {"en": "no network connection", "ko": "네트워크 연결 없음"},
    "firmware": {"en": "no firmware", "ko": "펌웨어 없음"},
    "home_use": {"en": "not for home use", "ko": "가정용 아님"},
    "sterile": {"en": "not supplied sterile", "ko": "비멸균 공급"},
    "ai": {"en": "no machine learning", "ko": "기계학습 미사용"},
    "active": {"en": "not an active device", "ko": "능동 기기 아님"},
    "ivd": {"en": "not an in-vitro diagnostic", "ko": "체외진단 아님"},
    "single_use": {"en": "not single use", "ko": "일회용 아님"},
}

VALUE_LABELS: dict[str, Text] = {
    "intact_skin": {"en": "intact skin", "ko": "손상되지 않은 피부"},
    "injured_skin": {"en": "breached or injured skin", "ko": "손상된 피부"},
    "mucosa": {"en": "mucosal membrane", "ko": "점막"},
    "blood_path_indirect": {"en": "blood path, indirect", "ko": "간접 혈액 경로"},
    "circulating_blood": {"en": "circulating blood", "ko": "순환 혈액"},
    "tissue_bone": {"en": "tissue or bone", "ko": "조직·뼈"},
    "central_circulatory": {"en": "central circulatory system", "ko": "중추 순환계"},
    "central_nervous": {"en": "central nervous system", "ko": "중추 신경계"},
    "non_invasive": {"en": "non-invasive", "ko": "비침습"},
    "body_orifice": {"en": "invasive through a body orifice", "ko": "인체 개구부 침습"},
    "surgically_invasive": {"en": "surgically invasive", "ko": "외과적 침습"},
    "implantable": {"en": "implantable", "ko": "이식형"},
    "transient": {"en": "transient (< 60 min)", "ko": "일시 사용(60분 미만)"},
    "short_term": {"en": "short term (60 min to 30 days)", "ko": "단기 사용(60분~30일)"},
    "long_term": {"en": "long term (> 30 days)", "ko": "장기 사용(30일 초과)"},
    "therapeutic": {"en": "therapeutic", "ko": "치료"},
    "diagnostic": {"en": "diagnostic", "ko": "진단"},
    "monitoring": {"en": "monitoring", "ko": "감시"},
}

WHY: dict[str, Text] = {
    "always": {"en": "applies to every medical device", "ko": "모든 의료기기에 적용"},
    "device": {"en": "particular standard for this device type ({name})", "ko": "이 기기 유형({name})의 개별 규격"},
    "device_listed": {"en": "listed for this device type ({name})", "ko": "이 기기 유형({name})에 지정된 규격"},
    "category": {"en": "device category: {label}", "ko": "기기 분류: {label}"},
    "market": {"en": "required for {market}", "ko": "{market} 시장 요건"},
    "not": {"en": "not {label}", "ko": "{label} 아님"},
    "attr_true": {"en": "{label}", "ko": "{label}"},
    "attr_value": {"en": "{label}: {value}", "ko": "{label}: {value}"},
    "purpose": {"en": "{label} (from the intended purpose)", "ko": "{label} (사용 목적에서 확인)"},
    "missing": {"en": "listed for this device type but not yet in the standards catalogue; edition to be confirmed",
                "ko": "기기 유형에 지정되었으나 규격 카탈로그에 아직 없음; 판(edition) 확인 필요"},
}


def attribute_label(key: str, language: str) -> str:
    """A readable name for an attribute key."""
    label = ATTRIBUTE_LABELS.get(key)
    return tr(label, language) if label else key.replace("_", " ")


def value_label(value: Any, language: str) -> str:
    """A readable attribute value."""
    if isinstance(value, str) and value in VALUE_LABELS:
        return tr(VALUE_LABELS[value], language)
    if value is True:
        return "yes" if language == "en" else "예"
    if value is False:
        return "no" if language == "en" else "아니요"
    return str(value)


def attribute_phrase(key: str, value: Any, language: str) -> str:
    """'contains software' for a true flag, 'body contact: intact skin' for a value."""
    if value is True:
        return tr(WHY["attr_true"], language, label=attribute_label(key, language))
    if value is False:
        if key in NEGATED_LABELS:
            return tr(NEGATED_LABELS[key], language)
        return tr(WHY["not"], language, label=attribute_label(key, language))
    return tr(WHY["attr_value"], language, label=attribute_label(key, language),
              value=value_label(value, language))
