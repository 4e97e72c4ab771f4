"""Attributes read from the concept's own words (Korean and English), and their merge with
the device type's attributes, each value remembering where it came from."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from medreg.knowledge.words.text import normalise

# (attribute, value, English pattern, Korean pattern). Patterns run on normalised text.
# The Korean side has no word boundaries on purpose: particles attach to the noun.
_RULES: list[tuple[str, Any, Optional[str], Optional[str]]] = [
    ("invasiveness", "non_invasive", r"\bnon[- ]?invasive(ly)?\b", r"비\s*침습"),
    ("invasiveness", "implantable", r"\b(implant(s|able|ed)?|implanted under the skin)\b",
     r"(체내\s*)?이식(형|용|되|하|한|된)?|삽입형\s*(기기|장치)|인체\s*내\s*삽입"),
    ("invasiveness", "surgically_invasive", r"\b(surgically invasive|percutaneous|subcutaneous needle)\b",
     r"수술적\s*침습|경피적"),
    ("duration", "long_term", r"\b(long[- ]term|permanent(ly)?|chronic(ally)? (use|worn)|for (months|years))\b",
     r"장기\s*(간|적|사용|착용)?|영구|수개월|수년"),
    ("duration", "short_term", r"\b(short[- ]term|up to (\d+|a few|several) days|for (a few|several) days|temporary(?! relief))\b",
     r"단기\s*(간|사용)?|며칠"),
    ("duration", "transient", r"\b(transient|less than (an hour|60 min(ute)?s?)|a few minutes)\b",
     r"일시적|60\s*분\s*미만|몇\s*분"),
    ("body_contact", "injured_skin", r"\b(wounds?|ulcers?|burns?|broken skin)\b", r"상처|창상|궤양|화상"),
    # Rule 4's IIb indent: wounds that breached the dermis and heal only by secondary intent.
    ("wound_dressing", "dermis_breach", r"\b(full[- ]thickness|stage (3|4|iii|iv)\b|stage 3-4|category (3|4)\b|deep (wounds?|ulcers?)|(severe|third[- ]degree|deep partial[- ]thickness) burns?|chronic (wounds?|ulcers?)|heal(s|ing)? by secondary intent(ion)?|breach(ed|es)? the dermis|(tunnel(l?ing)?|cavity) wounds?)",
     r"전층|(3|4|3\s*[-~]\s*4)\s*(단계|기)\s*욕창|욕창\s*(3|4|3\s*[-~]\s*4)\s*(단계|기)|깊은\s*(상처|궤양|창상)|만성\s*(상처|궤양|창상)|(3도|중증)\s*화상|2차\s*유합|진피(층)?(까지|를|가)?\s*(손상|결손|침범|노출)"),
    ("body_contact", "circulating_blood", r"\b(bloodstream|intravascular|intravenous(ly)?|into (a|the) (vein|artery)|blood vessels?)\b",
     r"혈관\s*(내|안)|정맥\s*(내|으로)|동맥\s*(내|으로)|혈류"),
    ("body_contact", "mucosa", r"\b(in the mouth|oral cavity|intraoral|vagina(l)?|nasal cavity|nostrils?|mucosa|mucous membranes?)\b",
     r"구강\s*내|입\s*안|점막|질\s*내|비강|콧속"),
    ("body_contact", "intact_skin", r"\b(on the skin|skin[- ]worn|attached to the skin|sticks? to the (skin|belly|arm|chest)|worn on (the )?(wrist|arm|chest|body)|patch(es)?|wearable|adhesive)\b",
     r"피부\s*(에|부착|접촉)|부착형|패치|웨어러블|손목"),
    ("active", True, r"\b(battery|batteries|rechargeable|electric(al|ally)?|electronic|powered|motori[sz]ed|sensors?|lasers?|ultrasound|ultrasonic|radiofrequency|rf energy|stimulators?|microcurrent|led)\b",
     r"배터리|충전식|전기|전자식|전동|센서|전원|레이저|초음파|고주파|자극기|모터"),
    ("wireless", True, r"\b(wireless(ly)?|bluetooth|ble|wi-?fi|wireless|cellular|lte|5g|nfc|phone|app)\b",
     r"무선|블루투스|와이파이|스마트폰|휴대폰|앱\b|앱(으로|과|에|을|와)|어플"),
    # A wired or cloud link is an attack surface as much as a radio one (IEC 81001-5-1).
    ("connected", True, r"\b(network(ed)?|lan|ethernet|servers?|cloud|pacs|emr|ehr|hl7|dicom|central (station|monitoring)|remote(ly)? (monitor\w*|access\w*|updat\w*)|telemetry|upload(s|ed|ing)?|export(s|ed|ing)? (to|over))\b",
     r"네트워크|서버|클라우드|(?<![a-z])pacs(?![a-z])|(?<![a-z])(emr|ehr)(?![a-z])|전자\s*의무\s*기록|중앙\s*(감시|모니터링)|원격\s*(모니터링|감시|전송|관리|업데이트)|업로드|(emr|ehr|pacs|병원\s*시스템|서버)\S{0,2}\s*연동"),
    ("software", True, r"\b(software|app|apps|application|algorithm(s)?|cloud|platform|digital)\b",
     r"소프트웨어|앱|어플|애플리케이션|알고리즘|프로그램|클라우드|플랫폼|디지털"),
    ("software_only", True, r"\b(samd|software as a medical device|standalone software|software[- ]only|(mobile|smartphone|phone|web) app(lication)?( only)?|digital therapeutic(s)?|(software|algorithm|ai) (that|which|to|for)|^(an? |our )?([\w-]+ ){0,3}(software|app|algorithm)\b)",
     r"소프트웨어\s*의료기기|독립형\s*소프트웨어|디지털\s*치료|(모바일|스마트폰)\s*앱|웹\s*기반|소프트웨어\s*$|소프트웨어(입니다|예요|이에요|를\s*(개발|만들))|앱\s*$"),
    ("ai", True, r"\b(ai|artificial intelligence|machine[- ]learning|deep[- ]learning|neural network(s)?|computer vision|ai-based|ai-powered)\b",
     r"인공\s*지능|머신\s*러닝|딥\s*러닝|기계\s*학습|신경망|(?<![a-z])ai(?![a-z])"),
    ("sterile", True, r"\b(sterile|sterili[sz]ed|supplied sterile)\b", r"멸균(?!\s*(기|장치|소독))"),
    ("disinfects_devices", "lenses", r"\b(contact lens (solution|cleaner|disinfect\w*)|lens care)\b", r"렌즈\s*(세척|소독|관리)"),
    ("disinfects_devices", "invasive", r"\b(endoscope (reprocessor|washer|disinfector)|(disinfect\w*|reprocess\w*|wash\w*)[\w\s-]{0,30}(endoscopes?|surgical instruments?|invasive devices?))\b",
     r"내시경\s*(세척|소독)|수술\s*기구\s*(세척|소독|멸균)"),
    ("disinfects_devices", "other", r"\b(washer[- ]disinfector|sterili[sz]er|autoclave|disinfectant for (medical )?devices)\b",
     r"소독기|멸균기|기구\s*소독제"),
    ("single_use", True, r"\b(single[- ]use|disposable|one[- ]time use|single[- ]patient use)\b", r"일회용|1회용|일회\s*사용|disposable"),
    ("single_use", False, r"\b(reusable|reprocessed (between|after|for)|resterili[sz]able)\b", r"재사용|환자\s*간\s*재처리"),
    ("home_use", True, r"\b(home|at[- ]home|in the home|consumers?|lay (users?|persons?|people)|patients themselves|self[- ](use|test(ing)?|monitor(ing)?)|over[- ]the[- ]counter|otc|personal use|(daily|everyday) (life|living|activities)|ambulatory)\b",
     r"가정|재택|집에서|일반인|개인용|자가\s*(측정|사용|검사|진단)|일상\s*생활"),
    ("measuring", True, r"\b(measur(e|es|ing|ement|ements)|quantif(y|ies|ying))\b", r"측정|계측|계량"),
    ("administers_medicine", True, r"\b(deliver(s|ing)? (drugs?|medication|insulin|medicine)|drug delivery|infus(e|es|ion|ing)|inject(s|ion|ing|or)?|administer(s|ing)? (drugs?|medication|medicine))\b",
     r"약물\s*(전달|주입|투여)|주입|투여|주사"),
    # MDR Annex VIII Rule 14: a medicinal substance with ancillary action (drug-eluting, heparin- or
    # antibiotic-coated, spermicide, local anaesthetic in the device).
    ("medicinal_substance", True, r"\b(drug[- ](coated|eluting|releasing|impregnated)|(coated|impregnated|loaded) with (an? )?(drugs?|antibiotics?|heparin|silver sulfadiazine)|heparin[- ](coated|bonded)|antibiotic[- ](coated|impregnated|loaded)|spermicid(e|al)|nonoxynol(-9)?|lidocaine|paclitaxel|sirolimus|everolimus|zotarolimus)\b",
     r"약물\s*(코팅|방출|용출|함유)|헤파린\s*(코팅|처리)|항생제\s*(코팅|함유|함침)|살정제|노녹시놀|리도카인|파클리탁셀|시롤리무스|에베로리무스"),
    ("life_supporting", True, r"\b(life[- ](support(ing)?|sustaining|saving))\b", r"생명\s*유지"),
    ("ionizing_radiation", True, r"\b(x-?rays?|xray|computed tomography|ct scan(ner)?|fluoroscop(y|ic)|ionizing radiation|radiotherapy|mammograph(y|ic))\b",
     r"엑스선|x선|방사선|전산화\s*단층|(?<![a-z])ct(?![a-z])|유방\s*촬영"),
    ("ivd", True, r"\b(in[- ]vitro|ivd|blood sample|urine sample|saliva sample|swab|assay|reagent|test strip|rapid test|immunoassay|pcr)\b",
     r"체외\s*진단|검체|시약|진단\s*키트|신속\s*진단|면역\s*분석|(?<![a-z])pcr(?![a-z])"),
    ("active_function", "therapeutic", r"\b(stimulat(e|es|ion|or|ing)|therap(y|eutic)|treat(s|ment|ing)?|ablat(e|ion)|lasers?|radiofrequency|skin tightening|hair removal|photobiomodulation)\b",
     r"자극|치료|시술|레이저|고주파|소작"),
    ("active_function", "monitoring", r"\b(monitor(s|ing)?|track(s|ing)?|continuous(ly)? (measur|record))\b", r"모니터링|감시|추적|연속\s*측정"),
    ("active_function", "diagnostic", r"\b(diagnos(e|es|is|tic|ing)|detect(s|ion|ing)?|screen(s|ing)?|imaging)\b", r"진단|검출|탐지|선별|영상"),
]

# Words that turn a hit into its negation when they sit just before it (en) or just after it (ko).
_NEG_BEFORE_EN = re.compile(r"\b(no|not|without|never|isn't|doesn't|don't|zero)\s+([\w-]+\s+){0,2}$")
_NEG_AFTER_KO = re.compile(r"^[^\s.,]{0,3}(\s*[^\s.,]{1,4})?\s*(없|아닌|아님|아니|않|미사용|불필요|제외)")
_NEG_PREFIX_EN = re.compile(r"non[- ]?$")
_NEG_PREFIX_KO = re.compile(r"(비|무)$")
_NEGATABLE = {"medicinal_substance", "wound_dressing", "wireless", "connected", "software", "sterile", "single_use", "home_use", "ai", "active", "software_only",
              "measuring", "administers_medicine", "ionizing_radiation", "life_supporting"}

_COMPILED = [(attr, value, re.compile(en) if en else None, re.compile(ko) if ko else None)
             for attr, value, en, ko in _RULES]

_DAYS = {"minute": 1 / 1440, "min": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365,
         "분": 1 / 1440, "시간": 1 / 24, "일": 1, "주": 7, "개월": 30, "달": 30, "년": 365}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(minute|min|hour|day|week|month|year|분|시간|일|주|개월|달|년)")


@dataclass
class Extracted:
    """Attributes the text states, plus the words that said so (for rationale and tests)."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)


def _negated(text: str, start: int, end: int, attr: str, korean: bool) -> bool:
    if attr not in _NEGATABLE:
        return False
    before = text[max(0, start - 24):start]
    if korean:
        return bool(_NEG_AFTER_KO.match(text[end:end + 12]) or _NEG_PREFIX_KO.search(before))
    return bool(_NEG_BEFORE_EN.search(before) or _NEG_PREFIX_EN.search(before))


def _duration_from_numbers(text: str) -> Optional[str]:
    """Annex VIII section 1: transient < 60 min, short term 60 min – 30 days, long term > 30 days."""
    longest = None
    for amount, unit in _DURATION.findall(text):
        days = float(amount) * _DAYS[unit]
        longest = days if longest is None else max(longest, days)
    if longest is None:
        return None
    if longest < 1 / 24:
        return "transient"
    return "short_term" if longest <= 30 else "long_term"


def extract(text: str) -> Extracted:
    """The attributes a concept (and its context) states or denies, in Korean or English."""
    norm = normalise(text)
    found = Extracted()
    for attr, value, en, ko in _COMPILED:
        for pattern, korean in ((en, False), (ko, True)):
            if pattern is None:
                continue
            for hit in pattern.finditer(norm):
                negated = _negated(norm, hit.start(), hit.end(), attr, korean)
                if isinstance(value, bool):
                    val = not value if negated else value
                elif negated:
                    continue
                else:
                    val = value
                if attr not in found.values or (negated and isinstance(value, bool)):
                    found.values[attr] = val
                    found.evidence[attr] = hit.group(0)
                break
    if "duration" not in found.values:
        duration = _duration_from_numbers(norm)
        if duration and ("duration" not in found.values):
            if found.values.get("body_contact") or found.values.get("invasiveness"):
                found.values["duration"] = duration
                found.evidence["duration"] = "stated period of use"
    if found.values.get("ai"):
        found.values.setdefault("software", True)
    if found.values.get("software_only"):
        found.values["software"] = True
    if found.values.get("invasiveness") == "implantable":
        found.values.setdefault("duration", "long_term")
    return found
