"""The project's bilingual device-term map (data/terms_en_ko.json): English and Korean device
nouns, modifiers and body sites, each under one concept id, so that an FDA device name, an MFDS
item name and an EMDN term can be compared in the same concept space (the cross-market link).

English names are split into words (lower case, plurals folded) and the map's English phrases are
found longest first; words the map does not know stay as their own concept (`w:<word>`), which
only another English name can share. Korean names are read without spaces, longest term first;
what the map does not know is dropped, so a Korean name only ever yields mapped concepts.

A concept of weight 0 (the data file's "stop" entry) is read and dropped: everyday words such as
관리 (management), 상태 (state) or "into" take their syllables and words out of the reading, so the
one-syllable terms inside them (관 tube, 상 phase) are not misread in a maker's description.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

TERMS_FILE = "terms_en_ko.json"
_WORD = re.compile(r"[a-z0-9]+")
_HANGUL_RUN = re.compile(r"[가-힣0-9a-zA-Z]+")
_SUFFIXES = (("scope", "scope"), ("meter", "meter"), ("graph", "recorder"))
_STOP = {"a", "an", "and", "or", "of", "for", "the", "to", "with", "in", "on", "by", "use", "used", "device",
         "devices", "other", "not", "non", "etc", "type", "types", "accessory", "accessories", "product", "products",
         "system", "unit", "kit", "set", "general", "medical"}


def fold(word: str) -> str:
    """An English word with its plural folded ("catheters" -> "catheter", "brushes" -> "brush")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and re.search(r"(ch|sh|x|ss)es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "sis")):
        return word[:-1]
    return word


def english_words(text: str) -> list[str]:
    """Lower-case, plural-folded words of an English name."""
    return [fold(w) for w in _WORD.findall(text.lower())]


@dataclass
class TermMap:
    """Surface forms to concept ids, per language, plus each concept's kind and weight."""

    en: dict[tuple[str, ...], str] = field(default_factory=dict)
    ko: dict[str, str] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    weight: dict[str, float] = field(default_factory=dict)
    ko_longest: int = 1
    en_longest: int = 1

    def english(self, text: str) -> list[str]:
        """Concept ids of an English name, in order (mapped phrases first-longest, else `w:<word>`)."""
        words = english_words(text)
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(self.en_longest, len(words) - i), 0, -1):
                concept = self.en.get(tuple(words[i:i + n]))
                if concept:
                    if self.weight.get(concept, 1.0) > 0:   # a weight-0 phrase is read and dropped
                        out.append(concept)
                    i += n
                    break
            else:
                word = words[i]
                if word not in _STOP and not word.isdigit() and len(word) > 1:
                    out.append("w:" + word)
                    # an unknown "-scope" / "-meter" / "-graph" is still a scope, a meter, a recorder
                    suffix = next((c for end, c in _SUFFIXES if word.endswith(end) and len(word) > len(end) + 2), None)
                    if suffix and suffix in self.weight:
                        out.append(suffix)
                i += 1
        return out

    def english_name(self, name: str) -> list[str]:
        """Concepts of an official English name, read as written or with its comma segments turned
        round ("Fork, Tuning" is a tuning fork), whichever the map reads into fewer concepts."""
        plain = self.english(name)
        segments = [s for s in name.split("(")[0].split(",") if s.strip()]
        if len(segments) < 2:
            return plain
        turned = self.english(" ".join(reversed(segments)) + name[len(name.split("(")[0]):])
        return turned if len(turned) < len(plain) else plain

    def korean(self, text: str) -> list[str]:
        """Concept ids of a Korean name, in order (unknown syllables dropped)."""
        out: list[str] = []
        # Korean spacing in item names is loose ("전산화 단층", "전산화단층"): read without it.
        for run in _HANGUL_RUN.findall(re.sub(r"\s+", "", text)):
            i = 0
            while i < len(run):
                for n in range(min(self.ko_longest, len(run) - i), 0, -1):
                    concept = self.ko.get(run[i:i + n])
                    if concept:
                        if self.weight.get(concept, 1.0) > 0:
                            out.append(concept)
                        i += n
                        break
                else:
                    i += 1
        return out


def parse_terms(raw: dict) -> TermMap:
    """A TermMap from the data file's JSON (`terms`: [{id?, en[], ko[], kind, weight?}])."""
    terms = TermMap()
    for entry in raw["terms"]:
        # Entries that share an English phrase are one concept (two Korean words for one thing).
        known = [terms.en[k] for k in (tuple(english_words(p)) for p in entry.get("en") or []) if k in terms.en]
        concept = entry.get("id") or (known[0] if known else entry["en"][0])
        terms.kind.setdefault(concept, entry.get("kind", "noun"))
        terms.weight.setdefault(concept, float(entry.get("weight", 1.0)))
        for phrase in entry.get("en") or []:
            key = tuple(english_words(phrase))
            if key:
                terms.en.setdefault(key, concept)
                terms.en_longest = max(terms.en_longest, len(key))
        for surface in entry.get("ko") or []:
            key = re.sub(r"\s+", "", surface)
            terms.ko.setdefault(key, concept)
            terms.ko_longest = max(terms.ko_longest, len(key))
    return terms


def terms_path():
    """The shipped term map's path (package data)."""
    return resources.files("medreg.knowledge") / "data" / TERMS_FILE


def load_terms() -> TermMap:
    """The shipped term map."""
    return parse_terms(json.loads(terms_path().read_text(encoding="utf-8")))
