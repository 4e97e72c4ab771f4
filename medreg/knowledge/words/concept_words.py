"""Picks the concept's own statements about indications, population, users, environment,
mechanism and components (Korean and English), so that a Purpose quotes the maker rather
than inventing clinical claims."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_SENTENCE = re.compile(r"[^.!?;\n。]+")
_EN_INDICATION = re.compile(
    r"\b(?:to|for|in)\s+(?:the\s+)?(?:treat|treating|treatment of|diagnos\w*|detect\w*|monitor\w*|manag\w*|"
    r"measur\w*|screen\w*|prevent\w*|reliev\w*|relief of|assess\w*|control\w*|therapy of|rehabilitat\w*)\b[^,.;:\n]*",
    re.I)
_EN_CUT = re.compile(r"\s+(?:that|which|who|using|via|through|by means of|with an?|with the)\s.*$", re.I)
_EN_POPULATION = re.compile(
    r"\b(?:(?:adult|paediatric|pediatric|elderly|older|young|pregnant|adolescent)\s+)?"
    r"(?:adults?|children|infants?|neonates?|newborns?|elderly|women|men|patients?|people|persons?|users?)"
    r"\s+(?:with|who have|suffering from|at risk of|undergoing)\s+[^,.;:\n]+", re.I)
_EN_AGE = re.compile(r"\b(?:adults?|children|paediatric|pediatric|infants?|neonates?|newborns?|elderly)\b", re.I)
_KO_INDICATION = re.compile(r"([가-힣A-Za-z0-9·\- ]{2,30}?)\s*(?:의\s*)?(치료|진단|감시|모니터링|측정|관리|예방|완화|검출|선별|재활|조절)")
_KO_POPULATION = re.compile(r"((?:성인|소아|영유아|신생아|노인|고령자|임산부|여성|남성)?\s*[가-힣A-Za-z0-9\- ]{0,15}?(?:환자|환아|질환자|사용자))")
_MECHANISM_EN = re.compile(r"\b(?:uses?|using|by|measures?|sens(?:es|or)|algorithm|electrodes?|laser|ultrasound|light|"
                           r"stimulat\w*|deliver\w*|infus\w*|transmit\w*|sends?|via|analy[sz]\w*)\b", re.I)
_MECHANISM_KO = re.compile(r"이용|통해|통하여|측정|센서|알고리즘|전극|레이저|초음파|빛|자극|주입|전송|송신|연동|분석|방식")

USER_WORDS: list[tuple[re.Pattern, dict]] = [
    (re.compile(r"\bsurgeons?\b|외과의|집도의", re.I), {"en": "surgeons", "ko": "외과의"}),
    (re.compile(r"\b(?:physicians?|doctors?|clinicians?|cardiologists?|specialists?|\w+ologists?)\b|의사|임상의|의료진|전문의", re.I), {"en": "physicians and clinicians", "ko": "의사 및 의료진"}),
    (re.compile(r"\bnurses?\b|간호사", re.I), {"en": "nurses", "ko": "간호사"}),
    (re.compile(r"\bradiologists?\b|\bradiographers?\b|영상의학과|방사선사", re.I), {"en": "radiologists and radiographers", "ko": "영상의학 전문의 및 방사선사"}),
    (re.compile(r"\bdentists?\b|치과의사", re.I), {"en": "dentists", "ko": "치과의사"}),
    (re.compile(r"\blab(?:oratory)? (?:staff|professionals?|technicians?)\b|임상병리사|검사실 인력", re.I), {"en": "laboratory professionals", "ko": "임상병리사 등 검사 전문 인력"}),
    (re.compile(r"\bcaregivers?\b|\bparents?\b|보호자", re.I), {"en": "caregivers", "ko": "보호자"}),
    (re.compile(r"\bpatients? themselves\b|\bself[- ]?(?:use|test|monitor)\w*|\blay (?:users?|persons?)\b|환자 본인|일반인|자가", re.I),
     {"en": "patients themselves (lay users)", "ko": "환자 본인(일반 사용자)"}),
]

ENVIRONMENT_WORDS: list[tuple[re.Pattern, dict]] = [
    (re.compile(r"\bhome\b|\bat home\b|가정|재택|집에서", re.I), {"en": "home", "ko": "가정"}),
    (re.compile(r"\bhospitals?\b|병원", re.I), {"en": "hospital", "ko": "병원"}),
    (re.compile(r"\bICU\b|intensive care|중환자실", re.I), {"en": "intensive care unit", "ko": "중환자실"}),
    (re.compile(r"\boperating (?:room|theatre)s?\b|\bsurgery\b|수술실", re.I), {"en": "operating room", "ko": "수술실"}),
    (re.compile(r"\bclinics?\b|\boutpatient\b|의원|외래", re.I), {"en": "clinic / outpatient setting", "ko": "의원·외래"}),
    (re.compile(r"\bambulances?\b|\bpre-?hospital\b|\bemergency\b|구급차|응급", re.I), {"en": "emergency and pre-hospital care", "ko": "응급·병원 전 단계"}),
    (re.compile(r"\blab(?:oratory|oratories)?\b|검사실|진단검사", re.I), {"en": "clinical laboratory", "ko": "임상 검사실"}),
    (re.compile(r"\bpoint[- ]of[- ]care\b|현장진단", re.I), {"en": "point of care", "ko": "현장 진단(POC)"}),
]

COMPONENT_WORDS: list[tuple[re.Pattern, dict]] = [
    (re.compile(r"\bsensors?\b|센서", re.I), {"en": "sensor", "ko": "센서"}),
    (re.compile(r"\belectrodes?\b|전극", re.I), {"en": "electrodes", "ko": "전극"}),
    (re.compile(r"\b(?:mobile |smartphone |phone )?apps?\b|\bapplication\b|앱|어플", re.I), {"en": "mobile app", "ko": "모바일 앱"}),
    (re.compile(r"\balgorithms?\b|\bAI\b|machine learning|알고리즘|인공지능|딥러닝", re.I), {"en": "analysis algorithm", "ko": "분석 알고리즘"}),
    (re.compile(r"\bcloud\b|\bserver\b|클라우드|서버", re.I), {"en": "cloud / server software", "ko": "클라우드·서버 소프트웨어"}),
    (re.compile(r"\bpumps?\b|펌프", re.I), {"en": "pump mechanism", "ko": "펌프 구동부"}),
    (re.compile(r"\breservoirs?\b|\bcartridges?\b|저장부|카트리지|리저버", re.I), {"en": "reservoir / cartridge", "ko": "저장부·카트리지"}),
    (re.compile(r"\bcannulas?\b|\bneedles?\b|캐뉼라|바늘", re.I), {"en": "cannula / needle", "ko": "캐뉼라·바늘"}),
    (re.compile(r"\bcatheters?\b|카테터", re.I), {"en": "catheter", "ko": "카테터"}),
    (re.compile(r"\bpatch\b|패치", re.I), {"en": "adhesive patch", "ko": "부착형 패치"}),
    (re.compile(r"\bbluetooth\b|\bBLE\b|\bwi-?fi\b|\bwireless\b|\bcellular\b|\bLTE\b|블루투스|와이파이|무선", re.I),
     {"en": "wireless communication module", "ko": "무선 통신 모듈"}),
    (re.compile(r"\bbattery\b|\brechargeable\b|배터리|충전", re.I), {"en": "battery", "ko": "배터리"}),
    (re.compile(r"\bdisplay\b|\bscreen\b|디스플레이|화면", re.I), {"en": "display", "ko": "디스플레이"}),
    (re.compile(r"\bcamera\b|카메라", re.I), {"en": "camera", "ko": "카메라"}),
    (re.compile(r"\blaser\b|레이저", re.I), {"en": "laser source", "ko": "레이저 광원"}),
    (re.compile(r"\bultrasound\b|\btransducer\b|\bprobe\b|초음파|프로브", re.I), {"en": "transducer / probe", "ko": "트랜스듀서·프로브"}),
    (re.compile(r"\bcartridges? reader\b|\breader\b|\banalyzer\b|\banalyser\b|분석기|리더기", re.I), {"en": "reader / analyser", "ko": "리더기·분석기"}),
    (re.compile(r"\btest strips?\b|\bstrips?\b|스트립", re.I), {"en": "test strips", "ko": "검사 스트립"}),
    (re.compile(r"\breagents?\b|시약", re.I), {"en": "reagents", "ko": "시약"}),
    (re.compile(r"\btubing\b|\btubes?\b|튜브", re.I), {"en": "tubing", "ko": "튜브"}),
    (re.compile(r"\bwatch\b|\bwristband\b|\bband\b|워치|밴드", re.I), {"en": "wearable band / watch", "ko": "착용형 밴드·워치"}),
]


@dataclass
class ConceptWords:
    """What the concept (and its context) says, verbatim or as mapped vocabulary."""

    indications: list[str] = field(default_factory=list)
    population: list[str] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    environments: list[dict] = field(default_factory=list)
    mechanism: list[str] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,-·")


def _unique(items: list[str], limit: int) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        item = _clean(item)
        if item and item.lower() not in seen:
            seen[item.lower()] = item
    return list(seen.values())[:limit]


def _vocabulary(text: str, table: list[tuple[re.Pattern, dict]]) -> list[dict]:
    return [label for pattern, label in table if pattern.search(text)]


def read_concept(concept: str, context: str | None = None) -> ConceptWords:
    """The concept's own statements, sorted into the Purpose's fields."""
    text = "\n".join(t for t in (concept, context) if t)
    sentences = [_clean(s) for s in _SENTENCE.findall(text) if _clean(s)]
    words = ConceptWords()
    indications: list[str] = []
    for match in _EN_INDICATION.finditer(text):
        phrase = _EN_CUT.sub("", match.group(0))
        if len(phrase.split()) >= 2:
            indications.append(" ".join(phrase.split()[:14]))
    for match in _KO_INDICATION.finditer(text):
        indications.append(match.group(1).strip() + " " + match.group(2))
    words.indications = _unique(indications, 3)
    population = [_EN_CUT.sub("", m.group(0)) for m in _EN_POPULATION.finditer(text)]
    population += [m.group(1) for m in _KO_POPULATION.finditer(text) if len(_clean(m.group(1))) > 2]
    if not population:
        population = [m.group(0) for m in _EN_AGE.finditer(text)]
    words.population = _unique(population, 2)
    words.users = _vocabulary(text, USER_WORDS)
    words.environments = _vocabulary(text, ENVIRONMENT_WORDS)
    words.components = _vocabulary(text, COMPONENT_WORDS)
    words.mechanism = _unique([s for s in sentences if _MECHANISM_EN.search(s) or _MECHANISM_KO.search(s)], 2)
    return words
