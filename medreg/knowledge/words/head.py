"""The head noun of a device description: what the thing *is*, as opposed to what it is for.

"foam nose clip worn during spirometry testing" is a clip (used with a spirometer), "sevoflurane
vaporizer mounted on the anaesthesia workstation" is a vaporizer, "인공심폐기용 롤러식 혈액 펌프" is a
펌프. English puts the head at the end of the first noun phrase (before "for", "with", "used" ...);
Korean at the end of the first clause (before its ending). classification/ranking.py uses it to
tell a curated type that only shares the purpose words from an official entry that names the thing.
"""
from __future__ import annotations

import re

from medreg.knowledge.words.text import KO_FUNCTION_SYLLABLES, en_tokens, lead_sentence, normalise

# Words after which an English noun phrase has ended: prepositions, participles, relative words.
_EN_STOP = re.compile(
    r"\s(?:for|with|without|that|which|who|where|when|used|using|worn|to|in|on|at|during|from|by|via|"
    r"placed|applied|attached|mounted|made|designed|intended|inserted|implanted|fitted|delivering|"
    r"connected|attaches|holds|lets|measures|measuring|records|recording|cycles|that's|is|are|under|"
    r"between|after|before|into|onto|over|through|of|helps|help|and|plus)\s|[,;:()+/\u2014\u2013]|\s-\s"
    r"|\s[a-z]+ed\s(?=(?:over|with|onto|into|on|in|by|to|from|through|around|under|inside|across|along)\s)")
# Generic heads: the word before them says what the thing is ("tomography x-ray system").
_EN_GENERIC = frozenset(en_tokens("system systems unit units device devices machine machines kit kits set sets "
                                  "equipment apparatus assembly product products instrument instruments tool tools"))
# People, never the thing described: "pliers orthodontists use", "a gauge surgeons read" end the noun
# phrase on the subject of a relative clause whose "that" is left out; the head is the word before.
_EN_PEOPLE = frozenset(en_tokens("person people patient patients user users clinician clinicians doctor doctors "
                                 "physician physicians surgeon surgeons dentist dentists orthodontist orthodontists "
                                 "nurse nurses technician technicians technologist technologists therapist therapists "
                                 "pathologist pathologists radiologist radiologists caregiver caregivers midwife "
                                 "midwives parent parents staff"))
_KO_STOP = re.compile(r"[),.\u2014\u2013:;+/]|\s-\s")
_PARENS = re.compile(r"\([^)]*\)")
MAX_PHRASE = 6     # a first "phrase" longer than this (in English words) is a sentence: no head is claimed
MAX_PHRASE_KO = 8  # Korean spaces words more (때, 쓰는, 용 ...)
# Korean clause endings (copula, polite endings) glued to the last noun: "콘돔이에요" -> "콘돔".
_KO_COPULA = re.compile(r"(?:이에요|예요|이고요|이고|입니다|이며|이다|이라|라)$")
# A word ending like a verb or a particle ("만들고", "있어요", "쓰는", "혈관에") is not the head noun
# (게 and 지 are left out: 집게, 스펀지 are nouns).
_KO_VERBISH = re.compile(r"(?:고|는|서|며|다|요|을|를|은|에|으로|로|와|과|하여|해)$")
_KO_GENERIC = frozenset("장치 장비 기기 시스템 제품 세트 키트 기구 도구 본체".split())


def head_en(text: str) -> list[str]:
    """The stemmed head of an English description's first noun phrase (the word before a generic
    head such as "system"), or [] when none is found."""
    lead = _PARENS.sub(" ", normalise(lead_sentence(text)))
    chunk = _EN_STOP.split(" " + lead + " ", maxsplit=1)[0]
    tokens = en_tokens(chunk)
    if len(tokens) >= 2 and tokens[-1] in _EN_PEOPLE:
        tokens = tokens[:-1]
    if not tokens or len(tokens) > MAX_PHRASE:
        return []
    if tokens[-1] in _EN_GENERIC:
        return tokens[-2:-1] if len(tokens) >= 2 else []
    return tokens[-1:]


def head_ko(text: str) -> str:
    """The last noun of a Korean description's first clause (the word before a generic one such as 장치), or ''."""
    lead = _PARENS.sub(" ", lead_sentence(text))
    chunk = _KO_STOP.split(lead, maxsplit=1)[0]
    words = re.findall(r"[\uac00-\ud7a3]+", chunk)
    if len(words) > MAX_PHRASE_KO:
        return ""
    popped = False
    while words:
        word = _KO_COPULA.sub("", words[-1]) or words[-1]
        if len(word) > 2 and word.endswith(("를", "을")) and popped:
            return word[:-1]   # "스캐너를 만들고 있어요": the object of the verbs is the head
        if word == words[-1] and len(word) > 1 and _KO_VERBISH.search(word):
            words.pop()     # "만들고 있어요": the noun is before the verbs
            popped = True
            continue
        if word in _KO_GENERIC:
            before = words[-2] if len(words) >= 2 else ""
            # "결합된 제품", "겸용 장비": the word before says how, not what; no head is claimed
            return "" if not before or _KO_VERBISH.search(before) or before.endswith(("된", "용", "한", "인")) else before
        return word
    return ""


def head_features(text: str, language: str) -> frozenset:
    """The matching features (words/text.py) the head must show: English stems, or the Korean head's
    in-word bigrams; empty when no head is found (then nothing is decided on it)."""
    if language == "ko" and re.search(r"[\uac00-\ud7a3]", text):
        head = head_ko(text)
        return _in_word_bigrams(head) if len(head) >= 2 else frozenset()
    return frozenset(head_en(text))


def _in_word_bigrams(word: str) -> frozenset:
    # The in-word bigram features of words/text.py (marked ㄱ): what a Korean head must show.
    return frozenset("\u3131" + word[i:i + 2] for i in range(len(word) - 1))


def final_noun_ko(text: str) -> str:
    """The noun a Korean first clause ends on, however long the clause (관 in "…넣어 주는 관 세트").

    Korean puts every modifier before the thing it describes, so the last noun names the thing even
    in a long sentence; head_ko declines long clauses because it also picks an entry by them. This
    only decides whether a matched type's names say what the thing is (confidence), so a one-syllable
    noun counts too, but not a bound noun (것, 수, 때 ...)."""
    lead = _PARENS.sub(" ", lead_sentence(text))
    words = re.findall(r"[\uac00-\ud7a3]+", _KO_STOP.split(lead, maxsplit=1)[0])
    if words:
        words[-1] = _KO_COPULA.sub("", words[-1]) or words[-1]   # "침이에요" -> "침"
    while words and _KO_VERBISH.search(words[-1]):
        words.pop()
    if words and words[-1] in _KO_GENERIC:
        words.pop()
    word = words[-1] if words else ""
    return "" if not word or word in KO_FUNCTION_SYLLABLES or word.endswith(("된", "용", "한", "인")) else word


def final_noun_features(text: str) -> frozenset:
    """final_noun_ko's noun as matching features: its in-word bigrams, or the syllable itself."""
    noun = final_noun_ko(text) if re.search(r"[\uac00-\ud7a3]", text) else ""
    return frozenset({noun}) if len(noun) == 1 else _in_word_bigrams(noun)
