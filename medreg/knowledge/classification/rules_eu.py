"""EU MDR 2017/745 Annex VIII: rules 1–22 evaluated from a device's attributes.

Every rule that applies proposes a class; implementing rule 3.5 (Annex VIII chapter II)
makes the strictest one win. Class I then carries the s / m / r suffix for sterile,
measuring or reusable surgical devices (Article 52(7)). IVDs are not classified here:
their IVDR class is taken as curated (IVDR Annex VIII has its own seven rules).
"""
from __future__ import annotations

from typing import Callable, Optional

from medreg.knowledge.classification.findings import ORDER, EuResult, Finding, base_class

INVASIVE = {"body_orifice", "surgically_invasive", "implantable"}
CENTRAL = {"central_circulatory", "central_nervous"}


def _non_invasive(a: dict, out: list[Finding]) -> None:
    # Rule 1: all non-invasive devices are class I unless another rule applies.
    out.append(Finding(1, "I", {"en": "non-invasive device", "ko": "비침습 기기"}))
    # Rule 2: channelling or storing blood, body liquids, cells, tissues, liquids or gases for
    # eventual administration: IIa if connectable to an active IIa+ device or for blood / body
    # liquids / organs; otherwise class I.
    if a.get("channels_blood"):
        # The vocabulary has one flag for the whole rule, so only the connection tells IIa from I
        # (body_contact "blood_path_indirect" is an ISO 10993 category: an IV set has it and is class I).
        if a.get("connects_to_active"):
            out.append(Finding(2, "IIa", {"en": "channels or stores blood or liquids for administration, connectable to an active device or carrying blood",
                                          "ko": "투여용 혈액·액체를 전달/저장하며 능동기기와 연결되거나 혈액을 다룸"}))
        else:
            out.append(Finding(2, "I", {"en": "simple channelling or storage for administration",
                                        "ko": "단순 전달·저장"}))
    # Rule 3: modifying the biological or chemical composition of blood, body liquids, tissues → IIb.
    if a.get("modifies_blood"):
        out.append(Finding(3, "IIb", {"en": "modifies the composition of blood or other body liquids",
                                      "ko": "혈액 등 체액의 생물학적·화학적 조성을 변화시킴"}))
    _wound_rule(a, out)


def _wound_rule(a: dict, out: list[Finding]) -> None:
    # Rule 4: contact with injured skin or mucous membrane: I for a mechanical barrier,
    # compression or absorption of exudates; IIb for wounds that breached the dermis and heal
    # only by secondary intent; IIa otherwise (micro-environment management, all other cases).
    dressing = a.get("wound_dressing")
    if a.get("body_contact") != "injured_skin" and not dressing:
        return
    if dressing == "dermis_breach":
        out.append(Finding(4, "IIb", {"en": "for wounds that breached the dermis, healing by secondary intent",
                                      "ko": "진피까지 손상된 상처(2차 유합)용"}))
    elif dressing in ("barrier", "mechanical"):
        out.append(Finding(4, "I", {"en": "mechanical barrier, compression or absorption of exudates",
                                    "ko": "기계적 차단·압박·삼출물 흡수"}))
    else:
        out.append(Finding(4, "IIa", {"en": "in contact with injured skin or mucous membrane",
                                      "ko": "손상된 피부·점막과 접촉"}))


def _orifice(a: dict, duration: str, out: list[Finding]) -> None:
    # Rule 5: invasive with respect to body orifices (not surgically invasive).
    limited = bool(a.get("ear_nose_throat_limited") or a.get("teeth"))
    if a.get("connects_to_active"):
        out.append(Finding(5, "IIa", {"en": "body-orifice device connected to an active class IIa+ device",
                                      "ko": "IIa 이상 능동기기에 연결되는 인체 개구부 침습 기기"}))
        return
    if duration == "transient":
        cls = "I"
    elif duration == "short_term":
        cls = "I" if limited else "IIa"
    else:
        cls = "IIa" if limited else "IIb"
    where = " in the oral cavity, ear canal or nasal cavity" if limited else ""
    out.append(Finding(5, cls, {"en": f"body-orifice invasive, {duration.replace('_', '-')} use{where}",
                                "ko": f"인체 개구부 침습, {_KO_DURATION[duration]} 사용"}))
    if a.get("body_contact") == "injured_skin" or a.get("wound_dressing"):
        _wound_rule(a, out)  # rule 4 also covers invasive devices on injured mucous membrane


_KO_DURATION = {"transient": "일시", "short_term": "단기", "long_term": "장기"}


def _surgical(a: dict, duration: str, out: list[Finding]) -> None:
    central = bool(a.get("central_circulatory_cns") or a.get("body_contact") in CENTRAL)
    implant = a.get("invasiveness") == "implantable"
    medicine = bool(a.get("administers_medicine"))
    biological = bool(a.get("biological_effect"))
    if implant or duration == "long_term":
        # Rule 8: implantable and long-term surgically invasive devices: IIb unless …
        cls, why = ("IIa", {"en": "placed in the teeth", "ko": "치아에 설치"}) if a.get("teeth") else \
            ("IIb", {"en": "implantable or long-term surgically invasive", "ko": "이식형 또는 장기 수술적 침습"})
        raisers = [
            (central, "in direct contact with the heart, central circulation or CNS", "심장·중추순환계·중추신경계 직접 접촉"),
            (biological, "has a biological effect or is wholly or mainly absorbed", "생물학적 영향 또는 흡수됨"),
            (medicine, "administers medicinal products", "의약품 투여"),
            (bool(a.get("active")) and implant, "active implantable device", "능동 이식형 기기"),
            (bool(a.get("breast_implant")), "breast implant", "유방 보형물"),
            (bool(a.get("surgical_mesh")), "surgical mesh", "수술용 메쉬"),
            (bool(a.get("joint_replacement")), "total or partial joint replacement", "인공관절 전치환·부분치환"),
            (bool(a.get("spinal_disc")), "spinal disc replacement or in contact with the spinal column", "척추 디스크 대체 또는 척주 접촉"),
        ]
        for hit, en, ko in raisers:
            if hit:
                cls, why = "III", {"en": en, "ko": ko}
                break
        out.append(Finding(8, cls, why))
        return
    rule = 6 if duration == "transient" else 7
    # Rules 6 (transient) and 7 (short term): IIa unless one of the listed cases.
    cls, why = "IIa", {"en": f"surgically invasive, {duration.replace('_', '-')} use",
                       "ko": f"수술적 침습, {_KO_DURATION[duration]} 사용"}
    if rule == 6 and a.get("reusable_surgical") and not a.get("active"):
        cls, why = "I", {"en": "reusable surgical instrument", "ko": "재사용 수술 기구"}
    options = [
        (central, "III", "in direct contact with the heart, central circulation or CNS", "심장·중추순환계·중추신경계 직접 접촉"),
        (bool(a.get("ionizing_radiation")), "IIb", "supplies ionising radiation", "전리방사선 공급"),
        (biological, "IIb" if rule == 6 else "III", "has a biological effect or is wholly or mainly absorbed", "생물학적 영향 또는 흡수됨"),
        (medicine and (rule == 7 or a.get("administration_hazardous")), "IIb",
         "administers medicinal products" + ("" if rule == 7 else " in a potentially hazardous way"), "의약품 투여"),
    ]
    for hit, c, en, ko in options:
        if hit and ORDER[c] > ORDER[cls]:
            cls, why = c, {"en": en, "ko": ko}
    out.append(Finding(rule, cls, why))


def _active(a: dict, out: list[Finding]) -> None:
    function = a.get("active_function")
    fired = False
    if function == "therapeutic":
        # Rule 9: active therapeutic devices administering or exchanging energy: IIa, IIb when
        # potentially hazardous; therapeutic ionising radiation: IIb.
        hazardous = a.get("energy_hazardous") or a.get("ionizing_radiation")
        out.append(Finding(9, "IIb" if hazardous else "IIa",
                           {"en": "active therapeutic device exchanging energy" + (" in a potentially hazardous way" if hazardous else ""),
                            "ko": "에너지를 주고받는 능동 치료기기" + (" (잠재적 위해)" if hazardous else "")}))
        fired = True
    if function in ("diagnostic", "monitoring") or (a.get("ionizing_radiation") and function != "therapeutic"):
        # Rule 10: active diagnosis / monitoring: IIa; vital parameters whose variation could mean
        # immediate danger: IIb; diagnostic or interventional radiology (ionising): IIb.
        if a.get("ionizing_radiation"):
            out.append(Finding(10, "IIb", {"en": "emits ionising radiation for diagnostic radiology",
                                           "ko": "진단 방사선 촬영용 전리방사선 방출"}))
        elif a.get("monitors_vital"):
            out.append(Finding(10, "IIb", {"en": "monitors vital parameters whose variation could mean immediate danger",
                                           "ko": "즉각적 위험을 초래할 수 있는 생체 활력 징후 감시"}))
        else:
            out.append(Finding(10, "IIa", {"en": "active device for diagnosis or monitoring",
                                           "ko": "진단·감시용 능동기기"}))
        fired = True
    if a.get("administers_medicine"):
        # Rule 12: active devices administering or removing medicines or body liquids: IIa, IIb when hazardous.
        hazardous = bool(a.get("administration_hazardous"))
        out.append(Finding(12, "IIb" if hazardous else "IIa",
                           {"en": "active device administering or removing medicines or body liquids" + (" in a potentially hazardous way" if hazardous else ""),
                            "ko": "의약품·체액을 투여하거나 제거하는 능동기기" + (" (잠재적 위해)" if hazardous else "")}))
        fired = True
    if a.get("closed_loop") and function == "therapeutic":
        # Rule 22: active therapeutic device whose integrated diagnostic function significantly
        # determines patient management (closed loop, AED): III.
        out.append(Finding(22, "III", {"en": "closed-loop therapy driven by an integrated diagnostic function",
                                       "ko": "통합 진단 기능이 치료를 결정하는 폐루프 능동 치료기기"}))
        fired = True
    if not fired:
        # Rule 13: all other active devices: I.
        out.append(Finding(13, "I", {"en": "other active device", "ko": "기타 능동기기"}))


def _software(a: dict, out: list[Finding]) -> None:
    # Rule 11: software informing diagnostic or therapeutic decisions: IIa; III when decisions may
    # cause death or irreversible deterioration; IIb for serious deterioration or surgery.
    # Monitoring software: IIa; IIb for vital parameters (immediate danger). Other software: I.
    decision = a.get("software_decision")
    table = {
        "death_or_irreversible": ("III", "decisions may cause death or irreversible deterioration", "사망 또는 비가역적 악화를 초래할 수 있는 결정"),
        "serious_deterioration": ("IIb", "decisions may cause serious deterioration or surgery", "심각한 악화 또는 수술을 초래할 수 있는 결정"),
        "other": ("IIa", "provides information for diagnostic or therapeutic decisions", "진단·치료 결정에 쓰이는 정보 제공"),
        "monitor_vital": ("IIb", "monitors vital parameters whose variation could mean immediate danger", "즉각적 위험이 될 수 있는 활력 징후 감시"),
        "monitor_other": ("IIa", "monitors physiological processes", "생리적 과정 감시"),
    }
    cls, en, ko = table.get(decision, ("I", "other software", "기타 소프트웨어"))
    out.append(Finding(11, cls, {"en": en, "ko": ko}))


def _special(a: dict, invasive: bool, duration: str, out: list[Finding]) -> None:
    if a.get("medicinal_substance"):
        # Rule 14: incorporating a medicinal substance with ancillary action: III.
        out.append(Finding(14, "III", {"en": "incorporates a medicinal substance with ancillary action",
                                       "ko": "보조 작용을 하는 의약품 성분 포함"}))
    if a.get("contraceptive"):
        # Rule 15: contraception / STD prevention: IIb; implantable or long-term invasive: III.
        high = a.get("invasiveness") == "implantable" or (invasive and duration == "long_term")
        out.append(Finding(15, "III" if high else "IIb", {"en": "contraception or prevention of sexually transmitted disease",
                                                          "ko": "피임 또는 성병 예방"}))
    disinfects = a.get("disinfects_devices")
    if disinfects:
        # Rule 16: contact-lens care: IIb; disinfecting/sterilising devices: IIa; disinfectants or
        # washer-disinfectors as the end point of processing invasive devices: IIb.
        cls = "IIb" if disinfects in ("lenses", "invasive") else "IIa"
        out.append(Finding(16, cls, {"en": "disinfects, cleans or sterilises devices or contact lenses",
                                     "ko": "기기·콘택트렌즈 소독·세척·멸균"}))
    if a.get("records_xray"):
        # Rule 17: recording diagnostic X-ray images: IIa.
        out.append(Finding(17, "IIa", {"en": "records diagnostic X-ray images", "ko": "진단용 X선 영상 기록"}))
    if a.get("animal_human_tissue") and a.get("body_contact") != "intact_skin":
        # Rule 18: non-viable human or animal tissues or derivatives: III (animal, intact skin only: exempt).
        out.append(Finding(18, "III", {"en": "made with non-viable tissues or cells of human or animal origin",
                                       "ko": "인체·동물 유래 비생존 조직·세포 사용"}))
    nano = a.get("nanomaterial")
    if nano:
        # Rule 19: nanomaterial: III for high or medium internal exposure, IIb for low.
        out.append(Finding(19, "III" if nano in ("high", "medium") else "IIb", {"en": f"nanomaterial, {nano} internal exposure",
                                                                                "ko": f"나노물질 (내부 노출 {nano})"}))
    if a.get("inhaled_medicine"):
        # Rule 20: body-orifice devices administering medicines by inhalation: IIa; IIb when the mode
        # of action essentially impacts the medicine's efficacy and safety, or life-threatening conditions.
        hazardous = bool(a.get("administration_hazardous"))
        out.append(Finding(20, "IIb" if hazardous else "IIa", {"en": "administers medicinal products by inhalation",
                                                               "ko": "흡입으로 의약품 투여"}))
    if a.get("substance_absorbed"):
        # Rule 21: substances absorbed or dispersed: III if systemically absorbed; IIa on skin or in
        # the nasal / oral cavity; IIb otherwise.
        if a.get("biological_effect"):
            cls = "III"
        elif a.get("body_contact") in ("intact_skin", "injured_skin") or a.get("ear_nose_throat_limited"):
            cls = "IIa"
        else:
            cls = "IIb"
        out.append(Finding(21, cls, {"en": "composed of substances absorbed by or dispersed in the body",
                                     "ko": "인체에 흡수·분산되는 물질로 구성"}))


def classify_mdr(attrs: dict, driven_class: Optional[Callable[[str], Optional[str]]] = None) -> EuResult:
    """The MDR class from attributes: every applicable rule, the strictest wins (rule 3.5)."""
    a = attrs
    out: list[Finding] = []
    assumed: list[str] = []
    invasiveness = a.get("invasiveness") or "non_invasive"
    duration = a.get("duration")
    if invasiveness in INVASIVE and not duration:
        duration = "long_term" if invasiveness == "implantable" else "transient"
        assumed.append("duration")
    duration = duration or "transient"
    if a.get("software_only"):
        # Implementing rule 3.3: software driving or influencing a device takes the device's class;
        # independent software is classified in its own right (rule 11).
        target = a.get("drives_device")
        driven = driven_class(target) if (target and driven_class) else None
        if driven:
            out.append(Finding(11, base_class(driven), {"en": f"drives or influences {target}, so takes its class (implementing rule 3.3)",
                                                        "ko": f"{target} 기기를 구동·제어하므로 같은 등급 (시행규칙 3.3)"}))
        _software(a, out)
    else:
        target = a.get("drives_device")
        driven = driven_class(target) if (target and driven_class and a.get("active")) else None
        if driven in ("IIb", "III"):
            # Rule 9: active devices controlling or monitoring active therapeutic class IIb devices are
            # IIb; those controlling, monitoring or influencing active implantable devices are III.
            out.append(Finding(9, driven, {"en": f"controls or monitors the performance of {target}",
                                           "ko": f"{target}의 성능을 제어·감시"}))
        if invasiveness == "non_invasive":
            _non_invasive(a, out)
        elif invasiveness == "body_orifice":
            _orifice(a, duration, out)
        else:
            _surgical(a, duration, out)
        if a.get("active"):
            _active(a, out)
    _special(a, invasiveness in INVASIVE, duration, out)
    top = max(ORDER[f.cls] for f in out)
    deciding = [f for f in out if ORDER[f.cls] == top]
    cls = next(c for c, o in ORDER.items() if o == top)
    if cls == "I":
        # Article 52(7): class I sterile (Is), with a measuring function (Im), reusable surgical (Ir).
        if a.get("sterile"):
            cls = "Is"
        elif a.get("measuring"):
            cls = "Im"
        elif a.get("reusable_surgical"):
            cls = "Ir"
    rules = []
    for f in deciding:
        name = f"Rule {f.rule}"
        if name not in rules:
            rules.append(name)
    return EuResult(cls, rules, out, assumed)
