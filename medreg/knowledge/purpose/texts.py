"""Korean and English wording of the Purpose: device functions and mechanisms by attribute
(taken from the MDR's definitions, so that nothing claims more than the type implies) and
the statements of what the manufacturer must establish."""
from __future__ import annotations

from medreg.knowledge.words.phrases import Text


def flags(attrs: dict) -> dict:
    """The attributes plus the derived flags the texts are keyed on."""
    out = dict(attrs)
    out["implantable"] = attrs.get("invasiveness") == "implantable"
    out["therapeutic"] = attrs.get("active_function") == "therapeutic"
    out["diagnostic"] = attrs.get("active_function") in ("diagnostic", "monitoring") or bool(attrs.get("monitors_vital"))
    out["hardware"] = bool(attrs.get("active")) and not attrs.get("software_only")
    return out


def function_key(attrs: dict) -> str:
    """Which function phrase describes the device type best (first that holds)."""
    f = flags(attrs)
    for key in ("ivd", "administers_medicine", "contraceptive", "therapeutic", "diagnostic", "software_only", "implantable"):
        if f.get(key):
            return key
    return "default"


def with_ro(name: str) -> str:
    """A Korean noun with the particle 로/으로 chosen by its last syllable."""
    last = name[-1:] if name else ""
    if "\uac00" <= last <= "\ud7a3":
        coda = (ord(last) - 0xAC00) % 28
        return name + ("로" if coda in (0, 8) else "으로")   # 8 = ㄹ, which takes 로
    return name + "(으)로"


FUNCTIONS: dict[str, Text] = {
    "ivd": {"en": "for the in-vitro examination of specimens derived from the human body", "ko": "인체 유래 검체의 체외 검사"},
    "administers_medicine": {"en": "to administer medicinal products to the patient", "ko": "환자에 대한 의약품 투여"},
    "contraceptive": {"en": "for contraception", "ko": "피임"},
    "therapeutic": {"en": "for treatment or alleviation through an active therapeutic function",
                    "ko": "능동 치료 기능을 통한 질병의 치료 또는 완화"},
    "diagnostic": {"en": "to supply information for diagnosis or monitoring", "ko": "진단 또는 감시를 위한 정보 제공"},
    "software_only": {"en": "to process medical data and provide information for a medical purpose",
                      "ko": "의료 데이터 처리 및 정보 제공"},
    "implantable": {"en": "to be implanted in the body", "ko": "체내 이식"},
    "default": {"en": "for the medical purpose stated by the manufacturer", "ko": "제조자가 정한 의료 목적"},
}

# Ordered: the sentence order of the mechanism of action.
MECHANISMS: dict[str, Text] = {
    "ivd": {"en": "Examines specimens derived from the human body in vitro; it does not act on the body.",
            "ko": "인체에서 유래한 검체를 체외에서 검사하며, 인체에 직접 작용하지 않습니다."},
    "software_only": {"en": "Standalone software: it processes input data and presents information; it does not act on the body directly.",
                      "ko": "독립형 소프트웨어로, 입력 데이터를 처리하여 정보를 제공하며 인체에 직접 작용하지 않습니다."},
    "ai": {"en": "Part of the processing uses a machine-learning model.", "ko": "처리의 일부에 기계학습 모델을 사용합니다."},
    "administers_medicine": {"en": "It delivers a medicinal product to the patient: the pharmacological effect is the medicinal product's; the device controls its delivery.",
                             "ko": "환자에게 의약품을 전달합니다. 약리 작용은 의약품에 의한 것이며, 기기는 투여를 제어합니다."},
    "therapeutic": {"en": "As an active therapeutic device it supports, modifies, replaces or restores biological functions or structures for treatment or alleviation.",
                    "ko": "능동 치료 기기로서 치료 또는 완화를 위해 생물학적 기능이나 구조를 지원·변경·대체·회복합니다."},
    "diagnostic": {"en": "As an active device for diagnosis and monitoring it supplies information on physiological conditions, states of health or diseases.",
                   "ko": "진단·감시용 능동 기기로서 생리적 상태, 건강 상태 또는 질병에 관한 정보를 제공합니다."},
    "implantable": {"en": "It is introduced into the body by clinical intervention and intended to remain in place after the procedure.",
                    "ko": "임상적 시술로 체내에 삽입되어 시술 후에도 그 자리에 유지되도록 의도됩니다."},
    "measuring": {"en": "It has a measuring function.", "ko": "측정 기능이 있습니다."},
    "wireless": {"en": "It exchanges data over a wireless link.", "ko": "무선 통신으로 데이터를 주고받습니다."},
    "sterile": {"en": "It is supplied sterile.", "ko": "멸균 상태로 공급됩니다."},
    "medicinal_substance": {"en": "It incorporates a medicinal substance whose action is ancillary to that of the device.",
                            "ko": "기기의 작용을 보조하는 의약품 성분을 포함합니다."},
    "device": {"en": "As a medical device, its principal intended action is not achieved by pharmacological, immunological or metabolic means.",
               "ko": "의료기기로서 주된 작용을 약리학적·면역학적·대사적 방법으로 달성하지 않습니다."},
}

COMPONENTS_BY_ATTRIBUTE: dict[str, Text] = {
    "hardware": {"en": "energy source (e.g. battery or mains supply)", "ko": "에너지원(배터리 또는 전원 등)"},
    "software": {"en": "software", "ko": "소프트웨어"},
    "wireless": {"en": "wireless communication module", "ko": "무선 통신 모듈"},
    "administers_medicine": {"en": "medicinal product delivery path", "ko": "의약품 전달 경로"},
    "sterile": {"en": "sterile barrier packaging", "ko": "멸균 포장(멸균 장벽)"},
}

LAY_USERS: Text = {"en": "patients or caregivers (lay users)", "ko": "환자 또는 보호자(일반 사용자)"}
DEFAULT_USERS: dict[str, Text] = {
    "default": {"en": "healthcare professionals", "ko": "의료 전문가"},
    "lab": {"en": "laboratory professionals", "ko": "검사 전문 인력"},
    "surgical": {"en": "surgeons and trained healthcare professionals", "ko": "외과의 및 훈련된 의료 전문가"},
}
DEFAULT_ENVIRONMENT: dict[str, Text] = {
    "home": {"en": "home", "ko": "가정"},
    "lab": {"en": "clinical laboratory", "ko": "임상 검사실"},
    "surgical": {"en": "hospital operating room", "ko": "병원 수술실"},
    "default": {"en": "healthcare facilities (to be confirmed by the manufacturer)", "ko": "의료기관(제조자 확인 필요)"},
}

TEMPLATES: dict[str, Text] = {
    "purpose": {"en": "The {name} is intended {function}.", "ko": "본 기기는 {name_ro}, {function} 목적으로 사용합니다."},
    "for_indications": {"en": "As stated in the concept, it is for: {x}.", "ko": "개념 설명에 따른 적용 대상: {x}."},
    "source": {"en": "Based on the device type in the knowledge base and the concept as described: “{concept}”.",
               "ko": "지식 베이스의 기기 유형과 다음 개념 설명에 근거함: “{concept}”."},
    "unknown": {"en": "Needs review: the device type could not be identified, so no intended purpose is asserted beyond the manufacturer's own description: “{concept}”. The manufacturer must state the intended purpose.",
                "ko": "검토 필요: 기기 유형을 확인하지 못해 제조자의 설명 외의 사용 목적은 제시하지 않습니다: “{concept}”. 사용 목적은 제조자가 명시해야 합니다."},
    "as_described": {"en": "As described in the concept: {text}.", "ko": "개념 설명: {text}."},
}

GAPS: dict[str, Text] = {
    "indications": {"en": "Not stated in the concept: the manufacturer must establish the indications (conditions, severity, clinical situations).",
                    "ko": "개념 설명에 적응증이 없음: 제조자가 적응증(질환, 중증도, 임상 상황)을 확정해야 합니다."},
    "population": {"en": "Not stated in the concept: the manufacturer must define the patient population (age range, condition, exclusions).",
                   "ko": "개념 설명에 없음: 제조자가 대상 환자군(연령 범위, 질환, 제외 기준)을 정의해야 합니다."},
    "contraindications": {"en": "None are established in the knowledge base: the manufacturer must establish contraindications from the risk analysis and clinical evaluation; none are assumed here.",
                          "ko": "지식 베이스에 확립된 금기사항이 없음: 제조자가 위험 분석과 임상 평가를 바탕으로 금기사항을 확정해야 하며, 여기서는 임의로 가정하지 않습니다."},
    "mechanism": {"en": "Needs review: the mechanism of action must be described by the manufacturer.",
                  "ko": "검토 필요: 작용 원리는 제조자가 기술해야 합니다."},
    "users": {"en": "Not stated in the concept: the manufacturer must define the intended users and their training.",
              "ko": "개념 설명에 없음: 제조자가 의도된 사용자와 필요한 교육 수준을 정의해야 합니다."},
    "components": {"en": "Not stated: the manufacturer must list the key components.",
                   "ko": "명시되지 않음: 제조자가 주요 구성품을 나열해야 합니다."},
}
