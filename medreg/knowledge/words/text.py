"""Text normalisation shared by matching and attribute extraction (Korean and English).

Korean is matched on syllable bigrams of the text with spaces removed, so that
"인슐린펌프" and "인슐린 펌프" give the same features and particles (를, 용 …) only add
features instead of breaking words. English is matched on stemmed word tokens, so word
order and simple inflections ("pumps", "monitoring") do not matter.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from medreg.language import SYLLABLES

HANGUL_RUN = re.compile(rf"[{SYLLABLES}]+")
LATIN_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

# Words that carry no device meaning in a founder's description.
STOPWORDS_EN = frozenset("""
a an the and or of for to in on at by with without from into onto that which who whom this these those
is are be been being was were it its it's we we're our us you your they their them i my me
can could will would should may might must do does did has have had having as so such than then
also very more most less any some each per via using use used uses user users based product products
new novel startup company building build develop developing developed make made
""".split())

# Spelling variants folded to one token before stemming (both sides of a match see the same form).
VARIANTS_EN = {
    "ekg": "ecg", "electrocardiogram": "ecg", "electrocardiograph": "ecg", "electrocardiography": "ecg",
    "eeg": "eeg", "electroencephalograph": "eeg", "electroencephalogram": "eeg",
    "haemodialysis": "hemodialysis", "haemodialyser": "dialyzer", "dialyser": "dialyzer",
    "anaesthesia": "anesthesia", "anaesthetic": "anesthesia", "orthopaedic": "orthopedic",
    "oesophageal": "esophageal", "catheterisation": "catheterization", "sterilisation": "sterilization",
    "sterilised": "sterilized", "sterilise": "sterilize", "colour": "color", "haemoglobin": "hemoglobin",
    "wifi": "wireless", "wi-fi": "wireless", "bluetooth": "bluetooth", "ble": "bluetooth",
    "smartphone": "phone", "cellphone": "phone", "mobile": "phone",
    "x-ray": "xray", "x-rays": "xray", "ai": "ai", "a.i": "ai",
    # Lay words folded onto the clinical word a device name uses (both sides of a match see it).
    "heart": "cardiac", "kidney": "renal", "kidneys": "renal", "lung": "pulmonary", "lungs": "pulmonary",
    "tooth": "dental", "teeth": "dental", "eye": "ophthalmic", "eyes": "ophthalmic", "ocular": "ophthalmic",
    "breath": "respiration", "breathe": "respiration", "breathing": "respiration", "breathes": "respiration",
    "respiratory": "respiration", "deaf": "hearing", "urinary": "urine", "sugar": "glucose",
    "worn": "wearable", "wear": "wearable", "wears": "wearable", "wearing": "wearable",
    "broken": "fracture", "fractured": "fracture",
    # Word families a suffix rule would get wrong, folded by hand: "ultrasound therapy unit" must
    # meet "therapeutic ultrasound", "surgeon's gloves" meet "surgical gloves".
    "therapeutic": "therapy", "therapeutics": "therapy", "surgery": "surgical", "surgeon": "surgical",
    "surgeons": "surgical",
    "diagnosis": "diagnostic", "diagnose": "diagnostic", "diagnoses": "diagnostic", "diagnosing": "diagnostic",
    "implantable": "implant", "anesthetic": "anesthesia", "anaesthetics": "anesthesia", "anesthetics": "anesthesia",
    "ophthalmology": "ophthalmic", "ophthalmologist": "ophthalmic", "ophthalmologists": "ophthalmic",
    "cardiology": "cardiac", "cardiologist": "cardiac", "cardiologists": "cardiac",
    "dentist": "dental", "dentists": "dental", "dentistry": "dental",
}


_BRITISH_IS = re.compile(r"is(e|ed|ing|ation|er|ers)$")
# Words that end in s without being plurals.
NO_STEM = frozenset("lens gas diabetes series species news mumps measles herpes pancreas plus biceps triceps".split())


# Abbreviations spelled out, so "BP cuff" meets "blood pressure monitor" (both sides of a match).
EXPANSIONS_EN = {
    "bp": ("blood", "pressure"), "cgm": ("continuous", "glucose", "monitor"),
    "aed": ("automated", "external", "defibrillator"), "iud": ("intrauterine", "device"),
    "npwt": ("negative", "pressure", "wound", "therapy"), "cpap": ("continuous", "positive", "airway", "pressure"),
    "spo2": ("oxygen", "saturation"),
}


def normalise(text: str) -> str:
    """NFKC, lower case, unify dashes and spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=8192)
def stem_en(word: str) -> str:
    """A light English stemmer: plural and verb endings, so 'pumps'/'pump', 'monitoring'/'monitor'."""
    word = VARIANTS_EN.get(word, word)
    if len(word) <= 3 or word.isdigit():
        return word
    if word in NO_STEM:
        return word
    if len(word) > 6:
        word = _BRITISH_IS.sub(r"iz\1", word)   # sterilise / sterilised / sterilisation → -iz-
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    if word.endswith("ses") and word[:-2].endswith(("ns", "us", "is")):
        return word[:-2]            # lenses → lens, viruses → virus
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            base = word[: -len(suffix)]
            if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            word = base
            break
    return _derivation(word)


# Word families folded together: stimulation / stimulator / stimulate, endoscopy / endoscope,
# oximetry / oximeter, tomography / tomographic, sterilisation / sterilization.
_FAMILIES = (("scopic", "scop"), ("scopy", "scop"), ("scope", "scop"), ("graphic", "graph"), ("graphy", "graph"),
             ("metric", "met"), ("metry", "met"), ("meter", "met"), ("isation", "ization"), ("ation", ""),
             ("ator", ""), ("ate", ""), ("at", ""))


def _derivation(word: str) -> str:
    for suffix, repl in _FAMILIES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 5:
            return word[: -len(suffix)] + repl
    if word.endswith("e") and len(word) > 4 and not word.endswith("ee"):
        return word[:-1]                  # measure / measured, sterilize / sterilized
    return word


def en_tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Stemmed Latin-script tokens (English words, acronyms, numbers) in order."""
    out = []
    for raw in LATIN_TOKEN.findall(text):
        raw = VARIANTS_EN.get(raw, raw)
        if not keep_stopwords and raw in STOPWORDS_EN:
            continue
        for part in raw.split("-") if raw not in VARIANTS_EN.values() else [raw]:
            short = part[:-1] if part.endswith("s") and part[:-1] in EXPANSIONS_EN else part   # "CGMs"
            if short in EXPANSIONS_EN:
                out.extend(stem_en(w) for w in EXPANSIONS_EN[short])
            elif part and (keep_stopwords or part not in STOPWORDS_EN):
                out.append(stem_en(part))
    return out


# One-syllable words that are particles, adverbs or bound nouns, not device nouns.
KO_FUNCTION_SYLLABLES = frozenset("및 등 용 의 위 더 잘 안 못 꼭 좀 참 그 이 저 것 수 때 곳 후 전 중 약 각 총 큰 새 한 두 세 네 내 외 할 된 쓸 쓴 한".split())


def ko_features(text: str, query: bool = False) -> set[str]:
    """Syllable bigrams of the Hangul text joined across spaces (spacing-proof).

    A bigram inside a word is marked ㄱ; one that spans a space in a known phrase is marked ㄴ
    and weighs less, so "치과 임플란트" still matches "치과용 임플란트". A query emits both marks.
    """
    words = HANGUL_RUN.findall(text)
    feats: set[str] = set()
    prev_last = ""
    for word in words:
        if prev_last:
            feats.add("\u3134" + prev_last + word[0])
            if query:
                feats.add("\u3131" + prev_last + word[0])
        for i in range(len(word) - 1):
            feats.add("\u3131" + word[i:i + 2])
            if query:
                feats.add("\u3134" + word[i:i + 2])
        prev_last = word[-1]
    # A one-syllable noun (침 needle, 관 tube) has no bigram of its own: it stands as itself, so
    # "멸균 일회용 스테인리스 침" still meets the synonym "멸균 침" whatever word precedes it.
    for word in words:
        if len(word) == 1 and (len(words) == 1 or word not in KO_FUNCTION_SYLLABLES):
            feats.add("\u3131" + word)
    return feats


_NEG_EN = re.compile(r"\b(?:without|no|free of|not)\s+(?:an?\s+|any\s+)?([a-z0-9]+(?:-[a-z0-9]+)*)")
_NON_EN = re.compile(r"\bnon[- ]([a-z]+)")
_FREE_EN = re.compile(r"\b([a-z]+)-free\b")
_NEG_KO = re.compile(r"([\uac00-\ud7a3]{2,}?)(?:이|가|은|는|을|를)?\s*(?:없는|없이|없음|없고|미포함|미함유|불포함|비함유)")


def split_negations(norm: str) -> tuple[str, str]:
    """The text without the things it says the device lacks, and those things ("without antibiotic")."""
    negated: list[str] = []

    def cut(match: re.Match) -> str:
        negated.append(match.group(1))
        return " "

    def join_non(match: re.Match) -> str:
        return " non" + match.group(1) + " "   # "non-contact" is its own word, not "contact"

    norm = _NON_EN.sub(join_non, norm)
    norm = _FREE_EN.sub(cut, norm)
    norm = _NEG_EN.sub(cut, norm)
    norm = _NEG_KO.sub(cut, norm)
    return norm, " ".join(negated)


_SENTENCE_END = re.compile(r"(?<=[.!?\u3002])\s+|\n+")


def lead_sentence(text: str) -> str:
    """The text up to its first sentence break (all of it when there is none)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def features(text: str, query: bool = True) -> set[str]:
    """Every matching feature of a text: English stems plus Korean bigrams (query or phrase side)."""
    norm, _ = split_negations(normalise(text))
    return set(en_tokens(norm)) | ko_features(norm, query)


def negated_features(text: str) -> set[str]:
    """Features of what the text says the device does not have (to push such candidates down)."""
    _, negated = split_negations(normalise(text))
    return set(en_tokens(negated)) | ko_features(negated, query=False) if negated else set()
