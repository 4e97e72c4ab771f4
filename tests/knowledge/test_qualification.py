"""Qualification: is it a medical device at all, per market (ko + en tables), and what it does to a classification."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from medreg.errors import NotADevice
from medreg.knowledge import get_knowledge
from medreg.knowledge.qualification.qualify import qualify
from medreg.knowledge.qualification.apply import is_not_a_device, refuse_if_not_a_device

ALL = ("US", "EU", "KR")


def classify(concept: str, language: str, markets=ALL) -> dict:
    return get_knowledge().classify(concept, None, markets, language)


NOT_DEVICES = [
    ("fitness band that counts steps and calories, no medical claims", "en", "wellness"),
    ("guided meditation app to relax and unwind; no claims about anxiety disorders or any disease", "en", "wellness"),
    ("명상 음악을 틀어주고 스트레스 관리 팁을 알려주는 웰니스 앱", "ko", "wellness"),
    ("심박수랑 걸음수 보여주는 손목 스마트밴드에요. 의료용 주장은 전혀 없고 운동용입니다.", "ko", "wellness"),
    ("home massage chair for relaxation after work, no therapeutic or pain-relief claims", "en", "wellness"),
    ("병원 진료예약 관리 프로그램", "ko", "admin_software"),
    ("billing and insurance claims software for clinics", "en", "admin_software"),
    ("moisturizing face cream for daily skincare", "en", "cosmetic"),
    ("수분크림이랑 토너 세트, 데일리 스킨케어용 화장품", "ko", "cosmetic"),
    ("wireless noise-cancelling earbuds for music", "en", "audio"),
    ("노이즈캔슬링 무선 이어폰", "ko", "audio"),
    ("work gloves for construction sites", "en", "ppe"),
    ("미세먼지 차단용 KF94 보건용 마스크", "ko", "ppe"),
    ("tattoo ink in twelve colours", "en", "cosmetic"),
    ("응급처치 방법 안내 앱", "ko", "wellness"),
    ("pharmacology flashcards app for nursing students preparing for board exams", "en", "education"),
    ("간호대생 국가고시 대비 문제은행 앱", "ko", "education"),
    ("a drug reference app with monographs and standard doses; no patient data goes in", "en", "education"),
    ("병원 약품집을 검색하는 앱, 환자 정보를 입력하지 않아요", "ko", "education"),
    ("water-resistant SPF 30 sunscreen stick for kids", "en", "cosmetic"),
    ("자외선 차단제 신제품, 톤업 효과", "ko", "cosmetic"),
    ("clay peel-off mask that unclogs pores", "en", "cosmetic"),
    ("주방 설거지용 고무장갑", "ko", "wellness"),
    ("거실용 육아캠, 아기가 깨면 폰으로 영상 알림", "ko", "wellness"),
    ("수분 세럼이에요. 아토피 개선 같은 말은 안 써요", "ko", "cosmetic"),
    ("an audiobook app with a speech equalizer, nothing about hearing loss or hearing aids", "en", "audio"),
    ("회사 계단 오르기 챌린지 앱, 팀별 랭킹이랑 배지", "ko", "wellness"),
    ("personal sound amplifier for birdwatching, not for hearing loss", "en", "audio"),
    ("등산용 소리 증폭기, 새소리 듣기용", "ko", "audio"),
    ("alcohol hand sanitizer gel, 70%", "en", "cosmetic"),
    ("휴대용 손소독제 스프레이", "ko", "cosmetic"),
    ("병원 와이파이 관리 소프트웨어", "ko", "admin_software"),
    # Medical words as the subject of records, rosters or teaching software, with nothing a device does.
    ("scheduling app for dialysis patients to book their sessions", "en", "admin_software"),
    ("환자 인계용 메신저, 중환자실 간호사용", "ko", "admin_software"),
    ("billing software that checks diagnosis codes on insurance claims", "en", "admin_software"),
    ("records app for clinics that stores allergy lists and lab reports; it never alerts or interprets", "en",
     "admin_software"),
    ("피부과 질환 사진을 모아 보여주는 의대생용 아틀라스 앱", "ko", "education"),
    ("a CPR manikin for first-aid classes", "en", "education"),
    ("기능성화장품으로 보고하는 탈모 증상 완화 샴푸", "ko", "cosmetic"),
    ("peroxide teeth whitening strips", "en", "cosmetic"),
    ("청력 정상인 분들용 소리 증폭기예요. 난청용이라고는 안 해요", "ko", "audio"),
    ("sleep tracking app with a nightly sleep score and tips for better sleep; we don't claim to detect apnea", "en",
     "wellness"),
    ("민감성 피부용 클렌징폼, 피부염 치료라는 표현은 안 써요", "ko", "cosmetic"),
    # Other regimes: medicinal products, research-only lab products, adult products, ancestry tests.
    ("Nicotine transdermal patch, 21 mg/24 h, to help you quit smoking.", "en", "drug"),
    ("강아지 구충제 (심장사상충 예방)", "ko", "drug"),
    ("연구용 시약 (RUO) — 진단 목적으로 사용 불가, 대학 연구실 납품용", "ko", "lab"),
    ("Rechargeable personal vibrator sold in adult stores for pleasure; no therapeutic claims.", "en", "wellness"),
    ("조상 찾기 DNA 검사 (건강 정보는 제공 안 함)", "ko", "wellness"),
    ("VR laparoscopic simulator where surgical residents practice suturing on virtual patients.", "en", "education"),
    ("Period tracker that predicts your next period from logged cycle dates. Not a form of birth control.", "en",
     "wellness"),
    ("생리 주기 예측 앱 (피임 목적으로 쓰면 안 돼요)", "ko", "wellness"),
]

DEVICES = [
    ("smartwatch app that records an ECG and notifies possible atrial fibrillation", "en"),
    ("손목 스마트워치 심전도 앱, 심방세동 가능성 알림", "ko"),
    ("insulin bolus dose calculator app for type 1 diabetes", "en"),
    ("당뇨 환자용 인슐린 용량 계산 앱", "ko"),
    ("home sleep test that diagnoses obstructive sleep apnea", "en"),
    ("불면증 치료용 처방 디지털치료기기 앱", "ko"),
    ("fitness ring that also screens for sleep apnea", "en"),
    ("운동용 밴드인데 부정맥 감지 기능도 있어요", "ko"),
    ("Implantable cardiac pacemaker", "en"),
    ("인공 고관절", "ko"),
    ("pocket fetal doppler for expecting moms at home, with a speaker and headphones", "en"),
    ("구강 스캐너예요. 치과에서 입안을 3D로 스캔해서 기공소로 보내요. 진단 기능은 없어요", "ko"),
    # Words the exclusions know (badges, quizzes, baby monitors, gloves, EHR) beside a device stay a device.
    ("baby monitor that watches infant breathing and sounds an apnea alarm", "en"),
    ("수술용 멸균 고무장갑", "ko"),
    ("insulin dose calculator app that awards badges for logging glucose", "en"),
    ("심전도 측정 스마트워치, 친구와 걸음 랭킹 챌린지", "ko"),
    ("infusion pump with a drug library (formulary) and dose error reduction", "en"),
    ("EHR에서 환자 검사 결과를 읽어 진료지침 기준으로 필요한 검진 항목을 의사에게 보여주는 소프트웨어", "ko"),
    ("미생물 배양 배지 (혈액한천배지)", "ko"),
    ("high-level disinfectant for flexible endoscopes", "en"),
    ("OTC hearing aid, no prescription needed, for mild hearing loss", "en"),
    ("응급실용 바퀴 달린 환자 이송 스트레처, 매트리스 포함", "ko"),
    ("mechanical heart valve replacement", "en"),
    # Admin or teaching words beside something only a device does (flags, 분석, detects) stay a device.
    ("an EHR module that flags patients at risk of sepsis", "en"),
    ("병원 예약 앱인데 당뇨 환자의 혈당을 분석해서 위험하면 알려줘요", "ko"),
    ("a medical student quiz app that also reads the user's own ECG and detects arrhythmia", "en"),
    ("EHR-integrated insulin pump that logs doses to the patient record", "en"),
    ("patient-specific drug-drug interaction alerts inside the EHR for prescribers", "en"),
    # The same regimes' words beside a device or a claim (a cue that ends a word is not the word).
    ("Vibratory cervical dilator", "en"),
    ("Genital vibrator for therapeutic use in female sexual dysfunction", "en"),
    ("Botulinum toxin injection needle for dermatology clinics", "en"),
    ("연구용 시약으로 개발했지만 암 진단에 쓰도록 병원에 판매", "ko"),
    ("Genealogy DNA test that also reports BRCA cancer risk", "en"),
    ("cycle-tracking app for birth control that tells you which days to avoid unprotected sex", "en"),
]

# A bare "not a medical device" with no product group named: never not_device on the disclaimer alone.
DISCLAIMER_ONLY = [
    ("Not a medical device! A warming patch with vibration that eases period cramps.", "en"),
    ("의료기기 아님! 생리통 완화용 온열 진동 패치", "ko"),
]


@pytest.mark.parametrize("concept, language", DISCLAIMER_ONLY)
def test_a_disclaimer_alone_never_makes_a_device_not_a_device(concept: str, language: str) -> None:
    assert classify(concept, language)["qualification"]["status"] != "not_device"

ANNEX_XVI = [
    ("coloured contact lenses with no vision correction", "en"),
    ("도수 없는 컬러렌즈(서클렌즈), 미용 목적", "ko"),
    ("hyaluronic acid dermal filler for lips", "en"),
    ("입술 볼륨용 히알루론산 필러", "ko"),
    ("at-home IPL hair removal handset", "en"),
    ("냉동지방분해 바디컨투어링 장비", "ko"),
]

NONSENSE = [("asdf", "en"), ("recommend a lunch menu", "en"), ("a purple banana that sings", "en"),
            ("점심 메뉴 추천해줘", "ko"), ("오늘 날씨 어때?", "ko")]


@pytest.mark.parametrize("concept, language, basis", NOT_DEVICES)
def test_not_devices_have_no_class_and_say_why(concept: str, language: str, basis: str) -> None:
    """not_device: null classes, a pathway saying it is not regulated, the deciding reason, one claim question."""
    c = classify(concept, language)
    q = c["qualification"]
    assert q["status"] == "not_device" and q["basis"] == basis
    assert c["device"] is None
    for code, block in c["markets"].items():
        assert block["class"] is None and not block.get("product_codes") and not block.get("item_code")
        assert block["pathway"].startswith("의료기기로 규제되지 않음" if language == "ko" else "Not regulated as a medical device")
        assert q["markets"][code]["status"] == "not_device" and q["markets"][code]["citations"]
        assert q["markets"][code]["reason"] in block["rationale"]
    assert len(c["questions"]) == 1


@pytest.mark.parametrize("concept, language", DEVICES + ANNEX_XVI)
def test_medical_claims_and_device_types_stay_devices(concept: str, language: str) -> None:
    """A medical claim or a curated device type keeps a device a device, however consumer it looks."""
    q = classify(concept, language)["qualification"]
    assert q["status"] == "device", q
    assert all(m["status"] != "not_device" for m in q["markets"].values())


@pytest.mark.parametrize("concept, language", ANNEX_XVI)
def test_annex_xvi_products_cite_the_annex(concept: str, language: str) -> None:
    """Products without a medical purpose that the MDR still covers cite Annex XVI for the EU."""
    q = classify(concept, language)["qualification"]
    assert q["basis"] == "annex_xvi"
    assert any("Annex XVI" in cite for cite in q["markets"]["EU"]["citations"])


@pytest.mark.parametrize("concept, language", NONSENSE)
def test_nonsense_gets_no_class_and_no_plans(concept: str, language: str) -> None:
    """Non-product input: never a device, never a class, and standards refuse it."""
    c = classify(concept, language)
    assert c["qualification"]["status"] in ("needs_review", "not_device")
    assert all(b["class"] is None and "derived_class" not in b for b in c["markets"].values())
    assert c["questions"] and c["questions"][0] == c["qualification"].get("question", c["questions"][0])
    assert is_not_a_device(c)
    with pytest.raises(NotADevice):
        refuse_if_not_a_device(c)


def test_disclaimer_negates_only_its_own_clause() -> None:
    """'no medical claims, but it detects AFib' is a device; 'not intended to diagnose or treat any disease' is not."""
    assert qualify("sleep tracker, no medical claims, but it detects afib", "en").status == "device"
    assert qualify("sleep tracking band, not intended to diagnose, treat, cure or prevent any disease", "en").status \
        == "not_device"
    assert qualify("부정맥을 놓치지 않도록 알려주는 밴드", "ko").status == "device"


@pytest.mark.parametrize("concept, language", [
    ("fingertip SpO2 sensor for mountain climbers, not for medical use", "en"),
    ("등산용 산소포화도 측정기, 의료용 아님", "ko"),
])
def test_device_word_in_a_wellness_setting_is_reviewed_not_dropped(concept: str, language: str) -> None:
    """MFDS calls sports SpO2 meters wellness, FDA may not: needs_review with the claim question, never not_device."""
    q = qualify(concept, language)
    assert q.status == "needs_review" and q.question


def test_korean_disclaimer_stops_at_the_comma() -> None:
    """'심방세동 감지 스마트워치, 의료용 인증은 아직 없음': the AF claim is outside the disclaimer."""
    assert qualify("심방세동 감지 스마트워치, 의료용 인증은 아직 없음", "ko").status == "device"


def test_per_market_answers_can_differ() -> None:
    """A surgical mask is a device in the US and EU but a quasi-drug in Korea; top level is device."""
    c = classify("수술용 마스크 (덴탈마스크)", "ko")
    q = c["qualification"]
    assert q["status"] == "device"
    assert q["markets"]["KR"]["status"] == "not_device" and c["markets"]["KR"]["class"] is None
    assert c["markets"]["US"]["class"] is not None


def test_top_level_follows_the_requested_markets() -> None:
    """Only the markets asked about decide the top level."""
    q = qualify("sunglasses with UV400 lenses", "en", ("EU", "KR"))
    assert q.status == "not_device" and set(q.markets) == {"EU", "KR"}
    assert qualify("sunglasses with UV400 lenses", "en").status == "device"   # US 21 CFR 886.5850


def test_cds_asks_the_four_criteria_question() -> None:
    """CDS: a device in the EU; in the US it depends on section 520(o)(1)(E), so the question is asked."""
    c = classify("clinical decision support software that recommends antibiotics to physicians", "en")
    assert c["qualification"]["status"] == "device"
    assert c["qualification"]["markets"]["US"]["status"] == "needs_review"
    assert "520(o)(1)(E)" in c["questions"][0]


def test_every_cited_text_exists_and_unverified_is_marked() -> None:
    """Groups only cite texts the data file defines; unverified texts make the market unverified."""
    raw = json.loads(resources.files("medreg.knowledge").joinpath("data/qualification.json").read_text("utf-8"))
    for group in raw["device_groups"] + raw["exclusions"]:
        for spec in group["markets"].values():
            assert all(t in raw["texts"] for t in spec["texts"]), group["id"]
    q = classify("냉동지방분해 바디컨투어링 장비", "ko")["qualification"]
    assert q["markets"]["KR"].get("verified") is False   # the KR answer for fat-reduction equipment is unverified
    assert "verified" not in q["markets"]["EU"]


def test_another_engines_classification_is_qualified_in_one_call() -> None:
    """qualify_classification: what the Anthropic engine calls on its own classification."""
    from medreg.knowledge.qualification.apply import qualify_classification

    base = classify("wireless noise-cancelling earbuds for music", "en")
    foreign = {k: v for k, v in base.items() if k != "qualification"}
    foreign.update(engine="anthropic:test", device=None,
                   markets={m: dict(b, **{"class": "II"}) for m, b in base["markets"].items()})
    out = qualify_classification(foreign, foreign["concept"], "en", ALL)
    assert out["qualification"]["status"] == "not_device"
    assert all(b["class"] is None for b in out["markets"].values()) and out["engine"] == "anthropic:test"
    pacer = classify("Implantable cardiac pacemaker", "en")
    named = dict(pacer, device={"id": "pacemaker-implantable", "name": "Pacemaker"})   # no score
    assert qualify_classification(named, "Implantable cardiac pacemaker", "en")["qualification"]["status"] == "device"


def test_a_sunscreen_names_the_regime_that_applies_in_each_market() -> None:
    """Not a device anywhere, and the US line says drug, not cosmetic (sunscreens are OTC drugs there)."""
    q = classify("SPF 50 sunscreen lotion", "en")["qualification"]
    assert q["status"] == "not_device" and q["basis"] == "cosmetic"
    assert "FD&C Act section 201(g) (21 U.S.C. 321(g))" in q["markets"]["US"]["citations"]
    assert "over-the-counter drugs" in q["markets"]["US"]["other_regime"]


@pytest.mark.parametrize("concept, language, market, verified", [
    ("unscented disposable menstrual pads", "en", "KR", True),
    ("일회용 생리대", "ko", "EU", False),
    ("tampons, regular absorbency", "en", "KR", True),
    ("adhesive bandages for small cuts", "en", "KR", False),
])
def test_a_device_type_can_be_no_device_in_one_market(concept: str, language: str, market: str, verified: bool) -> None:
    """A US device (21 CFR 884.5435 / 884.5470 / 880.5240) that is a quasi-drug in Korea or a hygiene product in the
    EU: that market has no class and cites the text; the answer stays a device overall."""
    c = classify(concept, language)
    q = c["qualification"]
    assert q["status"] == "device" and q["markets"]["US"]["status"] == "device"
    assert q["markets"][market]["status"] == "not_device"
    block = c["markets"][market]
    assert block["class"] is None and block["qualification"] == "not_device" and block["citations"]
    assert block["verified"] is verified
    assert c["markets"]["US"]["class"] in ("I", "II")


# Products the cue lists name under the regime that applies (electronics, lab, food, biocides, medicines, goods,
# cosmetics, PPE), in both languages: not devices, each with its own basis.
BROAD_NOT_DEVICES = [
    ('Wireless mechanical keyboard with RGB backlight for gamers', 'en', 'consumer_electronics'),
    ('4K OLED TV with a built-in soundbar', 'en', 'audio'),
    ('Robot vacuum that maps your living room', 'en', 'consumer_electronics'),
    ('Air fryer with a 5-litre basket', 'en', 'consumer_electronics'),
    ('20,000 mAh power bank with USB-C fast charging', 'en', 'consumer_electronics'),
    ('Smoke alarm with a 10-year sealed battery', 'en', 'consumer_electronics'),
    ('Student microscope kit for a middle-school science class', 'en', 'lab'),
    ('Magnetic stirrer hot plate for the chemistry lab', 'en', 'lab'),
    ('Drinking water test kit for lead and nitrates', 'en', 'lab'),
    ('Dark chocolate bar with sea salt', 'en', 'food'),
    ('Grain-free dog food for adult dogs', 'en', 'food'),
    ('Cold brew coffee concentrate in a glass bottle', 'en', 'food'),
    ('DEET insect repellent spray for hiking', 'en', 'biocide'),
    ('Ibuprofen tablets 200 mg for headache and fever', 'en', 'drug'),
    ('Laundry detergent pods with lavender scent', 'en', 'wellness'),
    ("Kids' plush teddy bear with embroidered eyes", 'en', 'wellness'),
    ('Carbon road bike with a 105 groupset', 'en', 'wellness'),
    ('Leather handbag with a detachable strap', 'en', 'wellness'),
    ('Life jacket for kayaking, 50 N buoyancy', 'en', 'ppe'),
    ('Waterproof eyeliner and mascara set', 'en', 'cosmetic'),
    ('Scratching post and cat tree for indoor cats', 'en', 'wellness'),
    ('Cordless stick vacuum cleaner for pet hair', 'en', 'consumer_electronics'),
    ('무선 기계식 키보드, 게이밍용 RGB', 'ko', 'consumer_electronics'),
    ('65인치 OLED 스마트TV', 'ko', 'consumer_electronics'),
    ('로봇청소기 물걸레 겸용', 'ko', 'consumer_electronics'),
    ('에어프라이어 5리터 대용량', 'ko', 'consumer_electronics'),
    ('보조배터리 20000mAh 고속충전', 'ko', 'consumer_electronics'),
    ('학생용 현미경 세트, 초등 과학 수업용', 'ko', 'lab'),
    ('세포배양용 CO2 인큐베이터, 대학 연구실 납품', 'ko', 'lab'),
    ('수돗물 수질검사키트 (잔류염소·pH)', 'ko', 'lab'),
    ('다크 초콜릿 선물세트', 'ko', 'food'),
    ('강아지 사료 연어맛 2kg', 'ko', 'food'),
    ('콜드브루 커피 원액', 'ko', 'food'),
    ('모기 기피제 스프레이, 캠핑용', 'ko', 'biocide'),
    ('종합감기약 10정', 'ko', 'drug'),
    ('세탁세제 캡슐 라벤더향', 'ko', 'wellness'),
    ('곰인형 애착인형 아기 선물', 'ko', 'wellness'),
    ('카본 로드자전거 105 구동계', 'ko', 'wellness'),
    ('가죽 핸드백 숄더백 겸용', 'ko', 'wellness'),
    ('카약용 구명조끼', 'ko', 'ppe'),
    ('워터프루프 아이라이너 마스카라 세트', 'ko', 'cosmetic'),
    ('고양이 캣타워 스크래쳐 일체형', 'ko', 'wellness'),
    ('볼펜이랑 포스트잇 사무용품 세트', 'ko', 'wellness'),
    ('전기차 충전기 7kW 가정용', 'ko', 'wellness'),
    ('Disposable vape pen, mint flavour', 'en', 'tobacco'),
    ('일회용 전자담배 민트향', 'ko', 'tobacco'),
    ('Whey protein and creatine monohydrate stack for lifters', 'en', 'food'),
    ('눈 건강 루테인 영양제 60캡슐', 'ko', 'food'),
    ('Ant bait stations for the kitchen', 'en', 'biocide'),
    ('대학 화학과 실험실용 흄후드', 'ko', 'lab'),
    ('Scented soy candle with lavender and vanilla', 'en', 'wellness'),
    ('카메라 달린 스마트 도어벨', 'ko', 'consumer_electronics'),
    # A medicine named first keeps its indication as a drug's; a veterinary diet is feed; a course teaches.
    ('Naproxen 220 mg tablets for back pain', 'en', 'drug'),
    ('록소프로펜 소염진통제 요통 (일반의약품)', 'ko', 'drug'),
    ('Veterinary renal diet dry food for cats with chronic kidney disease', 'en', 'food'),
    ('신장 질환 고양이용 처방식 사료', 'ko', 'food'),
    ('Online course that teaches medical students to read chest X-rays', 'en', 'education'),
    ('간호학생을 위한 심전도 판독 온라인강좌', 'ko', 'education'),
    ('Bluetooth meat thermometer with two probes for the smoker', 'en', 'wellness'),
    ('가르시니아 다이어트 보조제 60정', 'ko', 'food'),
    ('포스파티딜콜린 지방분해주사 10바이알', 'ko', 'drug'),
    # A cycle diary records; a personal sound amplifier disclaiming a hearing aid amplifies.
    ('Period tracker app to log cramps, mood and flow', 'en', 'wellness'),
    ('생리주기 기록 앱, 증상과 기분 메모', 'ko', 'wellness'),
    ('Personal sound amplifier for lectures and the TV, not a hearing aid', 'en', 'audio'),
    # A device type matched on the subject (an ICD, a hospital bed) does not outweigh the admin product named.
    ('ICD-10 code lookup tool for billing staff', 'en', 'admin_software'),
    ('Hospital bed management board showing free beds for admissions', 'en', 'admin_software'),
    ('KCD 질병분류코드 검색 프로그램 (청구 담당자용)', 'ko', 'admin_software'),
    # A negated contraception claim names none; the legal functional-cosmetic claim is a cosmetic's.
    ('Cycle tracker for logging symptoms and moods, not for contraception', 'en', 'wellness'),
    ('여드름성 피부 완화 기능성 폼클렌저 150ml', 'ko', 'cosmetic'),
    ('Laboratory autoclave for sterilising culture media in a university microbiology lab', 'en', 'lab'),
    ('미생물실 배지 멸균용 실험용 고압멸균기 80L', 'ko', 'lab'),
]

# Devices that share a word with those cues (pencil, drill, hammer, refrigerator, puff, primer, clip, bag, tent,
# pain pump, insulin pen, pesticide): a cue that names a consumer product never names a device or its part.
BROAD_DEVICES = [
    ('Electrosurgical pencil with a smoke evacuation tube', 'en'),
    ('Surgical power drill for orthopaedic bone cutting', 'en'),
    ('Reflex hammer for neurological examination', 'en'),
    ('Blood bank refrigerator for storing red cell units', 'en'),
    ('Endoscope drying cabinet for flexible endoscopes', 'en'),
    ('Forced-air patient warming blanket system for the OR', 'en'),
    ('Infant radiant warmer for the NICU', 'en'),
    ('Analgesic infusion pump for post-operative pain', 'en'),
    ('Insulin pen with a dose memory', 'en'),
    ('Cholinesterase test for pesticide poisoning', 'en'),
    ('Battery-powered mobility scooter for people with disability', 'en'),
    ('Rollator walker with a seat for elderly with balance problems', 'en'),
    ('Aneurysm clip for intracranial aneurysm surgery', 'en'),
    ('Urine drainage bag with an anti-reflux valve', 'en'),
    ('Oxygen tent for paediatric patients', 'en'),
    ('Dental primer and bonding agent for composite restorations', 'en'),
    ('Non-contact air-puff tonometer for glaucoma screening', 'en'),
    ('Botulinum toxin injection needle for dermatology clinics', 'en'),
    ('Antibacterial envelope for cardiac implantable electronic devices', 'en'),
    ('전기수술기용 핸드피스 펜슬', 'ko'),
    ('수술용 전동드릴 (정형외과 뼈 절삭용)', 'ko'),
    ('신경학적 검사용 반사망치', 'ko'),
    ('내시경 건조 보관장', 'ko'),
    ('수술 환자 가온용 온풍 블랭킷 시스템', 'ko'),
    ('진통제 자동 주입 펌프 (수술 후 통증 조절)', 'ko'),
    ('의료용 전동스쿠터 (장애인용)', 'ko'),
    ('뇌동맥류 결찰 클립', 'ko'),
    ('소변 배액 봉투 (역류 방지)', 'ko'),
    ('비접촉식 에어퍼프 안압계', 'ko'),
    ('치과용 프라이머 접착제', 'ko'),
    ('임플란트 토크 렌치', 'ko'),
    ('전동 휠체어, 조이스틱 조작', 'ko'),
    ('유방촬영 영상을 분석하는 AI 소프트웨어, 노트북에서도 실행', 'ko'),
    ('윤활젤리, 성교통 완화용', 'ko'),
    ('목에도 마사지 효과가 있는 저주파 자극기, 통증 완화', 'ko'),
    ('Vitamin D 25-OH immunoassay for clinical laboratories', 'en'),
    ('치과 골유도재생용 콜라겐 멤브레인', 'ko'),
    ('Creatine kinase MB test for myocardial infarction', 'en'),
    ('CO2 incubator for IVF embryo culture in fertility clinics', 'en'),
    ('Breath carbon monoxide monitor for smoking cessation clinics', 'en'),
    ('비타민D 결핍 검사 키트 (혈액)', 'ko'),
    ('Mobility scooter with four wheels for seniors with walking disability', 'en'),
    # A medicine's name beside a test word is the analyte of a diagnostic.
    ('Serum acetaminophen assay for overdose assessment', 'en'),
    ('이부프로펜 혈중농도 검사시약', 'ko'),
    ('틀니 고정 크림 (의치 부착재)', 'ko'),
    # "연고" (ointment) lies inside 천연고무 (natural rubber).
    ('천연고무 라텍스 콘돔, 살정제 없음', 'ko'),
    ('Cryolipolysis applicator for non-invasive fat reduction in clinics', 'en'),
    # A cycle app that claims contraception is a device (FDA granted such an app a De Novo in 2018).
    ('Period tracker app that predicts fertile days for contraception', 'en'),
    ('생리주기 기록 앱인데 배란일을 예측해 피임에 쓰도록 안내', 'ko'),
    # A joint replacement named by its parts; an autoclave for surgical instruments.
    ('Cementless total hip system: titanium femoral stem and acetabular shell', 'en'),
    ('인공슬관절 치환용 대퇴골 컴포넌트와 경골 인서트', 'ko'),
    ('Steam autoclave for sterilising surgical instruments in a dental clinic', 'en'),
    # "보관용" is storage software only with what it stores.
    ('혈액은행 혈액 보관용 냉장고', 'ko'),
]


@pytest.mark.parametrize("concept, language, basis", BROAD_NOT_DEVICES)
def test_broad_non_device_products_name_their_regime(concept: str, language: str, basis: str) -> None:
    """Everyday products of every regime are not devices, and the basis names the regime that applies."""
    q = classify(concept, language)["qualification"]
    assert (q["status"], q["basis"]) == ("not_device", basis), q
    assert all(m["status"] == "not_device" and m["citations"] for m in q["markets"].values())


@pytest.mark.parametrize("concept, language", BROAD_DEVICES)
def test_devices_sharing_words_with_consumer_cues_stay_devices(concept: str, language: str) -> None:
    """A device whose name shares a word with a consumer-product cue is still a device in every market."""
    q = classify(concept, language)["qualification"]
    assert q["status"] == "device", q
    assert all(m["status"] == "device" for m in q["markets"].values()), q


@pytest.mark.parametrize("concept, language, status, basis", [
    # A field or an audience, not what the product does: the question that decides it, not a guess.
    ("An app for people with type 2 diabetes", "en", "needs_review", "vague"),
    ("혈압 관련 앱 만들려고 하는데 이거 의료기기인가요?", "ko", "needs_review", "vague"),
    # A two-syllable Korean cue never matches across a space ("자가 구동" is not 가구, "검사 시스템" not 사시).
    ("접이식 수동 휠체어예요. 알루미늄 프레임, 자가 구동용 큰 바퀴, 팔걸이 탈착형.", "ko", "device", None),
    ("질트리코모나스 핵산증폭검사 시스템", "ko", "device", None),
    # The maker has not decided what it will claim: the claims decide, so a person asks.
    ("Wrist band measuring SpO2 and skin temperature; we haven't decided what to claim yet", "en", "needs_review",
     "claim_undecided"),
    ("홈케어 LED 기기, 효능은 아직 정리 중이에요", "ko", "needs_review", "claim_undecided"),
    # A type that is a device only with a medical claim (a massager), named with no claim either way.
    ("Handheld percussion massager with five speed settings", "en", "needs_review", "dual_use"),
    ("목 어깨 전동 마사지기", "ko", "needs_review", "dual_use"),
    # "질병 진단 X" disclaims diagnosis; storing result PDFs is record keeping.
    ("수면 점수와 스트레스 지수를 보여주는 HRV 밴드 (질병 진단 X)", "ko", "not_device", "wellness"),
    ("혈액검사 결과지 PDF 보관 앱, 가족과 공유", "ko", "not_device", "admin_software"),
    # A raw material or part sold to manufacturers: a device only in a finished device.
    ("Medical-grade silicone compound supplied to device manufacturers", "en", "needs_review", "component"),
    ("의료용 실리콘 원료 납품 (제조사용)", "ko", "needs_review", "component"),
    # A toy that imitates a device is a toy.
    ("Kids' pretend doctor kit with plastic stethoscope and toy thermometer", "en", "not_device", "wellness"),
    ("어린이 병원놀이 세트 (청진기, 체온계 장난감)", "ko", "not_device", "wellness"),
])
def test_vague_concepts_spacing_and_toys(concept: str, language: str, status: str, basis) -> None:
    """The status each such concept gets, and on what basis."""
    q = classify(concept, language)["qualification"]
    assert q["status"] == status, q
    if basis is not None:
        assert q["basis"] == basis


@pytest.mark.parametrize("concept, language", [
    ("EMS toning belt for the abs, 10 intensity levels", "en"),
    ("EMS 복근벨트 충전식 6가지 모드", "ko"),
])
def test_muscle_conditioning_stimulators_are_us_devices_without_a_claim(concept: str, language: str) -> None:
    """EMS for toning is a US class II device (21 CFR 890.5850, NGX) with no medical claim; the MDR needs one."""
    q = classify(concept, language)["qualification"]
    assert q["status"] == "device", q
    assert [q["markets"][m]["status"] for m in ("US", "EU", "KR")] == ["device", "not_device", "needs_review"]
    assert any("890.5850" in c for c in q["markets"]["US"]["citations"])


@pytest.mark.parametrize("concept, language, markets", [
    ("Keychain breathalyzer that estimates blood alcohol content", "en", ["device", "not_device", "not_device"]),
    ("휴대용 음주측정기 블루투스 연동", "ko", ["device", "not_device", "not_device"]),
    ("Gaming headband passing a 1 mA current through your forehead for focus", "en", ["needs_review", "device", "needs_review"]),
])
def test_market_split_products_without_a_claim(concept: str, language: str, markets: list[str]) -> None:
    """A breath-alcohol tester is a US class I device (21 CFR 862.3050); brain stimulation through the skull
    is an MDR Annex XVI product: each market answers for itself, the top status is device."""
    q = classify(concept, language)["qualification"]
    assert q["status"] == "device", q
    assert [q["markets"][m]["status"] for m in ("US", "EU", "KR")] == markets


def test_no_official_korean_device_name_is_called_not_device() -> None:
    """Every active MFDS item name, typed as a concept, is never not_device: no cue takes a Korean device word
    for a consumer one (재고 inside 재고정용, 식단 inside 전기식단백질). `bench/qualification_official.py` lists both languages."""
    from bench.qualification_official import official_names

    kb = get_knowledge()
    names = [(code, name) for language, code, name in official_names(kb) if language == "ko"]
    assert len(names) > 2000
    wrong = [(code, name) for code, name in names
             if kb.classify(name, None, ("US", "EU", "KR"), "ko")["qualification"]["status"] == "not_device"]
    assert wrong == []
