"""What each workstream plan holds besides its standards: title, dependencies, activities and
the market-specific regulatory work, in Korean and English.

Weeks are planning estimates, not regulatory facts. Regulatory references are limited to
ones we are sure of; where a requirement depends on the case the text says "confirm".
"""
from __future__ import annotations

from medreg.knowledge.plans.workstream_model import (
    WORKSTREAMS, A, Facts, WorkstreamSpec, eu_clinical_investigation, eu_nb_full, eu_nb_limited, eu_self_declared,
    has, is_ivd, kr_grade_known_low, kr_high_grade, us_510k, us_de_novo, us_premarket_clinical,
)

__all__ = ["WORKSTREAMS", "SPECS", "Facts", "spec"]


def _not_ivd(f: Facts) -> bool:
    return not f.attr("ivd")


def _radio(f: Facts) -> bool:
    # Standalone software uses the phone's radio; only hardware with its own radio needs approval.
    return bool(f.attr("wireless")) and not f.attr("software_only")


SPECS: dict[str, WorkstreamSpec] = {s.id: s for s in (
    WorkstreamSpec(
        "risk_management", {"en": "Risk management", "ko": "위험관리"},
        {"en": "Risk management runs through the whole life cycle; every other workstream feeds it and draws on it.",
         "ko": "위험관리는 전 수명주기에 걸쳐 수행되며, 다른 모든 작업이 이를 근거로 하고 결과를 반영합니다."},
        (),
        lead=(A("Risk management plan", "위험관리 계획 수립", "Risk management plan", "위험관리 계획서", 1),
              A("Hazard analysis and risk estimation", "위해요인 분석 및 위험 추정",
                "Hazard analysis, FMEA", "위해요인 분석서, FMEA", 4)),
        close=(A("Risk control measures and verification of their effectiveness", "위험 통제 조치 및 효과 검증",
                 "Risk control traceability matrix", "위험 통제 추적성 매트릭스", 3),
               A("Overall residual risk evaluation and risk management report", "전체 잔여 위험 평가 및 위험관리 보고서",
                 "Risk management report and file", "위험관리 보고서 및 파일", 2)),
        market_notes={
            "EU": {"en": "EU: MDR Annex I Chapter I requires a risk management system.",
                   "ko": "EU: MDR 부속서 I 제1장은 위험관리 시스템을 요구합니다."},
        },
    ),
    WorkstreamSpec(
        "quality_system", {"en": "Quality management system and technical documentation", "ko": "품질경영시스템 및 기술문서"},
        {"en": "A quality management system to ISO 13485 is the basis of market access in all three markets; it runs in parallel with risk management, which it governs.",
         "ko": "ISO 13485 품질경영시스템은 세 시장 모두에서 시장 진입의 기반이며, 위험관리를 포함하여 병행 운영됩니다."},
        (),
        lead=(A("QMS gap assessment against ISO 13485", "ISO 13485 대비 QMS 격차 분석",
                "Gap assessment report", "격차 분석 보고서", 2),
              A("Procedures, design controls and document control", "절차서, 설계 관리 및 문서 관리 체계 구축",
                "QMS procedures, design and development file", "QMS 절차서, 설계 및 개발 파일", 8)),
        close=(A("Internal audit and management review", "내부 감사 및 경영 검토",
                 "Internal audit report, management review minutes", "내부 감사 보고서, 경영 검토 기록", 2),),
        market_notes={
            "US": {"en": "US: the Quality Management System Regulation (21 CFR Part 820), which incorporates ISO 13485:2016 by reference; an MDSAP audit can take the place of routine FDA inspections.",
                   "ko": "미국: 품질경영시스템 규정(QMSR, 21 CFR Part 820)은 ISO 13485:2016을 참조로 포함하며, MDSAP 심사로 FDA 정기 실사를 대신할 수 있습니다."},
            "EU": {"en": "EU: quality management system per MDR Article 10(9); technical documentation per Annexes II and III.",
                   "ko": "EU: MDR 제10조(9)에 따른 품질경영시스템, 부속서 II·III에 따른 기술문서."},
            "KR": {"en": "Korea: KGMP (의료기기 제조 및 품질관리 기준), MFDS's ISO 13485-based GMP.",
                   "ko": "한국: ISO 13485 기반의 「의료기기 제조 및 품질관리 기준」(KGMP) 적합성 인정."},
        },
        market_activities=(
            A("Technical documentation per MDR Annexes II and III", "MDR 부속서 II·III에 따른 기술문서 작성",
              "EU technical documentation", "EU 기술문서", 6, market="EU", when=_not_ivd),
            A("Technical documentation per IVDR Annexes II and III", "IVDR 부속서 II·III에 따른 기술문서 작성",
              "EU technical documentation", "EU 기술문서", 6, market="EU", when=is_ivd),
            A("Notified-body conformity assessment (QMS and technical documentation audit)", "인증기관(NB) 적합성 평가(QMS 및 기술문서 심사)",
              "EU certificate(s)", "EU 인증서", 16, "audit", market="EU", when=lambda f: eu_nb_full(f) and not is_ivd(f)),
            A("Notified-body assessment limited to the sterile, measuring or reuse aspects (MDR Article 52(7)); EU declaration of conformity",
              "멸균·측정·재사용 측면에 한정된 인증기관 심사(MDR 제52조(7)) 및 EU 적합성 선언서",
              "Notified-body certificate for those aspects, EU declaration of conformity", "해당 측면의 인증서, EU 적합성 선언서",
              8, "audit", market="EU", when=eu_nb_limited),
            A("Self-declared conformity: EU declaration of conformity", "자기 적합성 선언: EU 적합성 선언서",
              "EU declaration of conformity", "EU 적합성 선언서", 1, market="EU", when=eu_self_declared),
            A("KGMP conformity assessment (MFDS or a designated quality audit body)", "KGMP 적합성 인정 심사(식약처 또는 품질관리심사기관)",
              "KGMP certificate", "KGMP 적합인정서", 12, "audit", market="KR",
              when=lambda f: not kr_grade_known_low(f)),
            A("Grade 1: confirm the extent of KGMP review with MFDS rules", "1등급: KGMP 심사 적용 범위를 식약처 규정으로 확인",
              "Confirmed KGMP scope", "KGMP 적용 범위 확인서", 1, market="KR", when=kr_grade_known_low),
        ),
    ),
    WorkstreamSpec(
        "usability", {"en": "Usability engineering", "ko": "사용적합성 엔지니어링"},
        {"en": "Use errors are a major source of harm; the user interface must be validated with representative users.",
         "ko": "사용 오류는 주요 위해 원인이므로, 대표 사용자로 사용자 인터페이스를 검증해야 합니다."},
        ("risk_management",),
        lead=(A("Use specification and use-related hazard analysis", "사용 명세 및 사용 관련 위해 분석",
                "Use specification, user-interface hazard list", "사용 명세서, 사용자 인터페이스 위해 목록", 2),
              A("Formative evaluations of the user interface", "사용자 인터페이스 형성 평가",
                "Formative evaluation reports", "형성 평가 보고서", 4)),
        close=(A("Summative usability validation with representative users", "대표 사용자 대상 총괄 사용적합성 평가",
                 "Summative validation report, usability engineering file", "총괄 평가 보고서, 사용적합성 엔지니어링 파일", 4, "test"),),
        market_notes={
            "US": {"en": "US: FDA guidance 'Applying Human Factors and Usability Engineering to Medical Devices'.",
                   "ko": "미국: FDA 가이던스 'Applying Human Factors and Usability Engineering to Medical Devices'."},
        },
        market_activities=(
            A("Lay-user validation: instructions and interface tested with untrained users", "일반 사용자 검증: 비숙련 사용자로 설명서 및 인터페이스 평가",
              "Lay-user validation protocol and results", "일반 사용자 평가 계획서 및 결과", 2, "test", when=has("home_use")),
        ),
    ),
    WorkstreamSpec(
        "software", {"en": "Software life cycle", "ko": "소프트웨어 수명주기"},
        {"en": "The device contains software, so its life-cycle processes and verification must follow IEC 62304.",
         "ko": "소프트웨어를 포함하므로 IEC 62304에 따른 수명주기 프로세스와 검증이 필요합니다."},
        ("risk_management",),
        lead=(A("Software development plan and safety classification (class A/B/C)", "소프트웨어 개발 계획 및 안전 등급(A/B/C) 분류",
                "Software development plan", "소프트웨어 개발 계획서", 2),
              A("Software requirements, architecture and SOUP list", "소프트웨어 요구사항, 아키텍처 및 SOUP 목록",
                "Requirements and architecture specifications", "요구사항 및 아키텍처 명세서", 4)),
        close=(A("Software verification: unit, integration and system testing", "소프트웨어 검증: 단위·통합·시스템 시험",
                 "Verification reports, traceability matrix", "검증 보고서, 추적성 매트릭스", 6, "test"),
               A("Software release and maintenance plan", "소프트웨어 릴리스 및 유지보수 계획",
                 "Release notes, maintenance plan", "릴리스 노트, 유지보수 계획서", 1)),
        market_notes={
            "US": {"en": "US: FDA guidance 'Content of Premarket Submissions for Device Software Functions' (Basic or Enhanced documentation level).",
                   "ko": "미국: FDA 가이던스 'Content of Premarket Submissions for Device Software Functions'(Basic/Enhanced 문서 수준)."},
            "EU": {"en": "EU: MDR Annex I section 17 (electronic programmable systems and software).",
                   "ko": "EU: MDR 부속서 I 제17절(전자 프로그래머블 시스템 및 소프트웨어)."},
        },
        market_activities=(
            A("Data management, model training and validation on an independent test set", "데이터 관리, 모델 학습 및 독립 시험 데이터셋 검증",
              "Model development and performance report", "모델 개발 및 성능 보고서", 8, "test", when=has("ai")),
        ),
    ),
    WorkstreamSpec(
        "electrical_safety", {"en": "Electrical and mechanical safety", "ko": "전기·기계적 안전"},
        {"en": "An active device must show basic safety and essential performance by type testing.",
         "ko": "능동 기기는 형식 시험으로 기본 안전과 필수 성능을 입증해야 합니다."},
        ("risk_management",),
        lead=(A("Define essential performance and agree the test plan with an accredited laboratory", "필수 성능 정의 및 공인 시험기관과 시험 계획 합의",
                "Test plan", "시험 계획서", 2),),
        close=(A("Fix findings and retest (allowance)", "부적합 개선 및 재시험(여유 기간)", "Final test reports", "최종 시험 성적서", 3, "test"),),
    ),
    WorkstreamSpec(
        "emc", {"en": "Electromagnetic compatibility", "ko": "전자파 적합성"},
        {"en": "Electrical equipment must neither disturb nor be disturbed by its electromagnetic environment.",
         "ko": "전기 기기는 전자기 환경에 방해를 주거나 받지 않아야 합니다."},
        ("risk_management",),
        lead=(A("EMC test plan for the intended use environment", "사용 환경에 맞춘 EMC 시험 계획", "EMC test plan", "EMC 시험 계획서", 1),),
        market_activities=(
            A("Radio authorisation (FCC, 47 CFR Part 15 for unlicensed radios)", "무선 인증(FCC, 비면허 무선기기는 47 CFR Part 15)",
              "FCC grant (a pre-certified radio module may cover this)", "FCC 인증(사전 인증 모듈로 대체 가능)", 6, "test",
              market="US", when=_radio),
            A("Radio Equipment Directive 2014/53/EU assessment", "무선기기 지침(RED) 2014/53/EU 평가",
              "RED test reports", "RED 시험 성적서", 6, "test", market="EU", when=_radio),
            A("Radio conformity assessment under the Radio Waves Act (KC)", "전파법에 따른 적합성평가(KC)",
              "KC radio certificate", "전파 적합성평가 인증서", 6, "test", market="KR", when=_radio),
        ),
    ),
    WorkstreamSpec(
        "sterilisation_packaging", {"en": "Sterilisation and packaging", "ko": "멸균 및 포장"},
        {"en": "A device supplied sterile needs a validated sterilisation process and a sterile barrier that holds over the shelf life. Of the process standards, only those of the chosen method apply (e.g. ISO 11135 for ethylene oxide, ISO 11137 for radiation).",
         "ko": "멸균 공급 기기는 밸리데이션된 멸균 공정과 유효기간 동안 유지되는 멸균 장벽이 필요합니다. 멸균 공정 규격 중 선택한 방법의 규격만 적용됩니다(예: 에틸렌옥사이드는 ISO 11135, 방사선은 ISO 11137)."},
        ("risk_management",),
        lead=(A("Choose the sterilisation method and define the sterility assurance level", "멸균 방법 선정 및 무균성 보증 수준(SAL) 설정",
                "Sterilisation rationale", "멸균 근거서", 2),),
        close=(A("Shelf-life study (accelerated ageing, confirmed by real-time ageing)", "유효기간 시험(가속 노화 후 실시간 노화로 확인)",
                 "Shelf-life report", "유효기간 보고서", 8, "test"),),
        market_notes={
            "EU": {"en": "EU: for class I sterile devices a notified body assesses the sterility aspects (MDR Article 52(7)).",
                   "ko": "EU: 멸균 1등급(Is)은 인증기관이 멸균 관련 측면을 심사합니다(MDR 제52조(7))."},
        },
    ),
    WorkstreamSpec(
        "biocompatibility", {"en": "Biological evaluation", "ko": "생물학적 안전성 평가"},
        {"en": "Materials in contact with the body need a biological evaluation by contact type and duration, on the finished (sterilised) device.",
         "ko": "신체 접촉 재료는 접촉 유형과 기간에 따라 최종(멸균) 제품으로 생물학적 평가가 필요합니다."},
        ("risk_management",),
        lead=(A("Biological evaluation plan (endpoints by contact category and duration)", "생물학적 평가 계획(접촉 분류·기간별 평가 항목)",
                "Biological evaluation plan", "생물학적 평가 계획서", 2),
              A("Chemical characterisation of materials", "재료의 화학적 특성 분석", "Chemical characterisation report", "화학적 특성 분석 보고서", 6, "test")),
        close=(A("Biological evaluation report", "생물학적 평가 보고서", "Biological evaluation report", "생물학적 평가 보고서", 2),),
        market_notes={
            "US": {"en": "US: FDA guidance on the use of ISO 10993-1.", "ko": "미국: ISO 10993-1 적용에 관한 FDA 가이던스."},
        },
    ),
    WorkstreamSpec(
        "particular", {"en": "Particular (device-specific) standards", "ko": "개별(기기별) 규격"},
        {"en": "Particular standards set device-specific requirements that modify or add to the general ones.",
         "ko": "개별 규격은 일반 요구사항을 수정하거나 추가하는 기기별 요구사항을 정합니다."},
        ("risk_management", "electrical_safety"),
        lead=(A("Gap analysis against the particular standard(s)", "개별 규격 대비 격차 분석", "Gap analysis", "격차 분석서", 1),),
    ),
    WorkstreamSpec(
        "cybersecurity", {"en": "Cybersecurity", "ko": "사이버보안"},
        {"en": "Software with connectivity needs a secure development life cycle and post-market vulnerability management.",
         "ko": "통신 기능이 있는 소프트웨어는 보안 개발 수명주기와 시판 후 취약점 관리가 필요합니다."},
        ("risk_management", "software"),
        lead=(A("Threat model and security risk assessment", "위협 모델링 및 보안 위험 평가", "Threat model, security risk file", "위협 모델, 보안 위험 파일", 3),
              A("Software bill of materials (SBOM) and vulnerability assessment", "소프트웨어 자재명세서(SBOM) 및 취약점 평가",
                "SBOM", "SBOM(소프트웨어 자재 명세서)", 2)),
        close=(A("Security testing, including penetration testing", "침투 시험을 포함한 보안 시험", "Security test report", "보안 시험 보고서", 4, "test"),
               A("Post-market vulnerability monitoring and coordinated disclosure plan", "시판 후 취약점 모니터링 및 공개 절차 계획",
                 "Vulnerability management plan", "취약점 관리 계획서", 1)),
        market_notes={
            "US": {"en": "US: section 524B of the FD&C Act applies to cyber devices (including an SBOM).",
                   "ko": "미국: FD&C Act 제524B조가 사이버 기기에 적용됩니다(SBOM 포함)."},
            "EU": {"en": "EU: MDR Annex I sections 17.2 and 17.4; guidance MDCG 2019-16.",
                   "ko": "EU: MDR 부속서 I 제17.2절·제17.4절, 가이던스 MDCG 2019-16."},
            "KR": {"en": "Korea: MFDS guidance on medical device cybersecurity.",
                   "ko": "한국: 식약처 의료기기 사이버보안 가이드라인."},
        },
    ),
    WorkstreamSpec(
        "clinical_evaluation", {"en": "Clinical evaluation", "ko": "임상 평가"},
        {"en": "Clinical evidence must show safety and performance for the intended purpose; it draws on the verified device.",
         "ko": "임상적 근거로 사용 목적에 대한 안전성과 성능을 입증해야 하며, 검증이 끝난 기기를 바탕으로 합니다."},
        ("risk_management", "software", "electrical_safety", "emc", "biocompatibility", "particular"),
        market_activities=(
            A("Clinical evaluation plan and report (MDR Article 61, Annex XIV Part A)", "임상 평가 계획 및 보고서(MDR 제61조, 부속서 XIV Part A)",
              "Clinical evaluation plan and report", "임상 평가 계획서 및 보고서", 8, market="EU", when=_not_ivd),
            A("Post-market clinical follow-up plan (MDR Annex XIV Part B)", "시판 후 임상 추적(PMCF) 계획(MDR 부속서 XIV Part B)",
              "PMCF plan", "PMCF 계획서", 2, market="EU", when=_not_ivd),
            A("Clinical investigation (generally required for implantable and class III devices, MDR Article 61(4), unless an exemption applies)",
              "임상시험(이식형·3등급 기기는 예외가 없는 한 일반적으로 요구, MDR 제61조(4))",
              "Clinical investigation plan and report", "임상시험 계획서 및 보고서", 52, "clinical", market="EU",
              when=eu_clinical_investigation),
            A("Performance evaluation: scientific validity, analytical and clinical performance (IVDR Article 56, Annex XIII)",
              "성능 평가: 과학적 타당성, 분석적·임상적 성능(IVDR 제56조, 부속서 XIII)",
              "Performance evaluation report", "성능 평가 보고서", 12, market="EU", when=is_ivd),
            A("Clinical study under an IDE (21 CFR Part 812) where significant risk; a PMA normally needs clinical data",
              "유의한 위험 기기는 IDE(21 CFR Part 812)에 따른 임상시험; PMA는 통상 임상 자료가 필요",
              "IDE, clinical study report", "IDE, 임상시험 보고서", 52, "clinical", market="US", when=us_premarket_clinical),
            A("Confirm in a Pre-Submission whether De Novo needs clinical data", "De Novo에 임상 자료가 필요한지 사전 상담(Pre-Submission)으로 확인",
              "Pre-Submission feedback", "사전 상담 회신", 12, "audit", market="US", when=us_de_novo),
            A("Confirm whether the 510(k) needs clinical data (usually bench data suffices; FDA may ask)", "510(k)에 임상 자료가 필요한지 확인(통상 비임상 자료로 충분하나 FDA가 요청할 수 있음)",
              "Pre-Submission feedback (optional)", "사전 상담 회신(선택)", 2, market="US", when=us_510k),
            A("Confirm whether clinical trial data is required (e.g. a new device not equivalent to an approved one); if so, clinical trial plan approval by MFDS first",
              "임상시험 자료 필요 여부 확인(기허가 제품과 동등하지 않은 신개발 의료기기 등); 필요 시 식약처 임상시험계획 승인 후 실시",
              "Clinical data or rationale for equivalence", "임상시험 자료 또는 동등성 근거", 4, market="KR", when=kr_high_grade),
        ),
    ),
    WorkstreamSpec(
        "labelling", {"en": "Labelling and UDI", "ko": "표시기재 및 UDI"},
        {"en": "Labels and instructions must carry the information each market requires, with a unique device identifier.",
         "ko": "라벨과 사용설명서에는 시장별 요구 정보와 고유 기기 식별자(UDI)가 포함되어야 합니다."},
        ("risk_management", "usability"),
        lead=(A("Labels and instructions for use", "라벨 및 사용설명서 작성", "Label artwork, IFU", "라벨 도안, 사용설명서", 3),),
        market_activities=(
            A("Labelling per 21 CFR Part 801; UDI per 21 CFR Part 830 and GUDID entry", "21 CFR Part 801 표시기재, 21 CFR Part 830 UDI 및 GUDID 등록",
              "US labels, GUDID records", "미국 라벨, GUDID 등록", 2, market="US"),
            A("Labelling per MDR Annex I Chapter III; UDI and EUDAMED registration (MDR Articles 27 and 29)",
              "MDR 부속서 I 제3장 표시기재, UDI 및 EUDAMED 등록(MDR 제27조·제29조)",
              "EU labels, UDI-DI/Basic UDI-DI records", "EU 라벨, UDI-DI/Basic UDI-DI 등록", 2, market="EU",
              when=_not_ivd),
            A("Labelling and UDI per IVDR; EUDAMED registration", "IVDR에 따른 표시기재 및 UDI, EUDAMED 등록",
              "EU labels, UDI records", "EU 라벨, UDI 등록", 2, market="EU", when=is_ivd),
            A("Korean labelling and UDI (의료기기 표준코드)", "국문 표시기재 및 의료기기 표준코드(UDI) 부착",
              "Korean labels, UDI records", "국문 라벨, 표준코드 등록", 2, market="KR"),
        ),
    ),
)}


def spec(workstream: str) -> WorkstreamSpec:
    """The spec of a workstream (a name the catalogue invents gets a plain spec)."""
    if workstream in SPECS:
        return SPECS[workstream]
    title = workstream.replace("_", " ").capitalize()
    return WorkstreamSpec(workstream, {"en": title, "ko": title},
                          {"en": "Standards grouped under this workstream in the catalogue.",
                           "ko": "카탈로그에서 이 작업 영역으로 분류된 규격."}, ("risk_management",))
