"""EU IVDR (Regulation (EU) 2017/746) Annex VIII: rules 1–7 read from a concept's words and attributes.

The rules are data (`data/ivdr_rules.json`): each names the class it gives and the cues, in English
and Korean, that show its condition. Every rule that fits proposes a class and the highest applies
(Annex VIII implementing rule 1.9). Rule 4(a) makes a self-test class C, except the listed class B
self-tests; Rule 6 takes any IVD no other rule covers (class B). A class read from words is a
suggestion: the block says so and needs review.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from medreg.knowledge.catalogue.fda_ivd import ivd_regulation  # noqa: F401  (re-exported: the one IVD test)
from medreg.knowledge.plans.activity_data import load, text

DATA = "ivdr_rules.json"
ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


@dataclass(frozen=True)
class Rule:
    """One IVDR rule (or point of a rule) with its cues."""

    id: str
    rule: str
    cite: str
    cls: str
    en: str
    ko: str
    cue: Optional[re.Pattern] = None
    self_testing: bool = False
    exception: bool = False


@dataclass
class IvdrResult:
    """The IVDR class, the rules that decide it and everything that fitted."""

    cls: str
    deciding: list[Rule]
    fitted: list[Rule] = field(default_factory=list)
    self_testing: bool = False
    near_patient: bool = False

    @property
    def rules(self) -> list[str]:
        """The deciding rules, e.g. ['Rule 1'] (each once)."""
        return list(dict.fromkeys(r.rule for r in self.deciding))

    @property
    def citations(self) -> list[str]:
        """The deciding provisions, e.g. 'IVDR Annex VIII Rule 3(h)'."""
        return list(dict.fromkeys(r.cite for r in self.deciding))


def _pattern(entry: dict) -> Optional[re.Pattern]:
    parts = [p for p in (entry.get("cue_en"), entry.get("cue_ko")) if p]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I) if parts else None


def _rule(entry: dict) -> Rule:
    return Rule(entry["id"], entry["rule"], entry["cite"], entry["class"], entry["en"], entry["ko"], _pattern(entry),
                bool(entry.get("self_testing")), bool(entry.get("exception")))


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[Rule, ...], Rule, re.Pattern, re.Pattern]:
    """The rules, the default rule (6) and the self-testing and near-patient cues, compiled once."""
    data = load(DATA)
    cue = lambda key: re.compile(f"(?:{data[key + '_en']})|(?:{data[key + '_ko']})", re.I)  # noqa: E731
    return tuple(_rule(e) for e in data["rules"]), _rule(data["default"]), cue("self_testing_cue"), cue("near_patient_cue")


def classify_ivdr(words: str, attrs: dict) -> IvdrResult:
    """The IVDR class suggested by the words (concept and matched entry name) and the attributes."""
    table, default, self_cue, near_cue = rules()
    said = words.lower()
    self_testing = bool(attrs.get("home_use")) or bool(self_cue.search(said))
    fitted: list[Rule] = []
    for rule in table:
        if rule.self_testing:
            continue
        if rule.cue is not None and rule.cue.search(said):
            fitted.append(rule)
    if self_testing:
        exception = next(r for r in table if r.self_testing and r.exception)
        plain = next(r for r in table if r.self_testing and not r.exception)
        fitted.append(exception if exception.cue and exception.cue.search(said) else plain)
    if not fitted:
        fitted = [default]
    top = max(ORDER[r.cls] for r in fitted)
    deciding = [r for r in fitted if ORDER[r.cls] == top]
    return IvdrResult(deciding[0].cls, deciding, fitted, self_testing, bool(near_cue.search(said)))


def ivdr_rationale(result: IvdrResult, language: str, derived: bool, sterile: bool = False) -> str:
    """The deciding rules in words, with the self-testing, near-patient and sterile notes."""
    texts = load(DATA)["texts"]
    ko = language == "ko"
    rule = lambda r: r.cite.replace("IVDR Annex VIII Rule ", "규칙 " if ko else "Rule ")  # noqa: E731
    parts = [f"{rule(r)}: {r.ko if ko else r.en} → {r.cls}" for r in result.deciding]
    out = text(texts["head"], language) + "; ".join(parts)
    if result.near_patient:
        out += " " + text(texts["near_patient"], language)
    if sterile and result.cls == "A":
        out += " " + text(texts["sterile_a"], language)
    return out + (" " + text(texts["derived"], language) if derived else "")
