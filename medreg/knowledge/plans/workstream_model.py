"""The shapes behind workstream plans (facts, activity and workstream templates) and the
small predicates on the classification that decide market-specific activities."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from medreg.knowledge.words.phrases import Text

WORKSTREAMS: tuple[str, ...] = (
    "risk_management", "quality_system", "usability", "software", "electrical_safety", "emc",
    "sterilisation_packaging", "biocompatibility", "particular", "cybersecurity",
    "clinical_evaluation", "labelling",
)


@dataclass(frozen=True)
class Facts:
    """What the plan builder knows about the device (attributes closed-world)."""

    attributes: dict
    markets: tuple[str, ...]
    market_blocks: dict = field(default_factory=dict)

    def attr(self, key: str) -> object:
        """An attribute's value (absent → None)."""
        return self.attributes.get(key)

    def eu_class(self) -> Optional[str]:
        """EU class from the classification, when the EU was classified."""
        return (self.market_blocks.get("EU") or {}).get("class")

    def us_pathway(self) -> str:
        """US pathway text from the classification (may be empty)."""
        return str((self.market_blocks.get("US") or {}).get("pathway") or "")

    def us_class(self) -> Optional[str]:
        """US class from the classification."""
        return (self.market_blocks.get("US") or {}).get("class")

    def kr_grade(self) -> Optional[int]:
        """KR grade from the classification."""
        block = self.market_blocks.get("KR") or {}
        grade = block.get("grade")
        if grade is None and str(block.get("class") or "").isdigit():
            grade = int(block["class"])
        return grade


@dataclass(frozen=True)
class ActivitySpec:
    """One activity template; `when` decides whether it applies to these facts."""

    name: Text
    deliverable: Text
    weeks: float
    kind: str = "document"   # document | test | audit | clinical: how far it can be compressed
    market: Optional[str] = None
    when: Optional[Callable[[Facts], bool]] = None


@dataclass(frozen=True)
class WorkstreamSpec:
    """A workstream's fixed parts; standards come from the catalogue."""

    id: str
    title: Text
    purpose: Text
    depends_on: tuple[str, ...] = ()
    lead: tuple[ActivitySpec, ...] = ()
    close: tuple[ActivitySpec, ...] = ()
    market_notes: dict = field(default_factory=dict)   # market → Text
    market_activities: tuple[ActivitySpec, ...] = ()


def A(en: str, ko: str, den: str, dko: str, weeks: float, kind: str = "document", **kw) -> ActivitySpec:
    """Shorthand for a bilingual activity."""
    return ActivitySpec({"en": en, "ko": ko}, {"en": den, "ko": dko}, weeks, kind, **kw)


def eu_nb_needed(f: Facts) -> bool:
    """A notified body takes part in the EU conformity assessment."""
    # MDR Article 52(7): plain class I is self-declared; Is/Im/Ir and higher need a notified body.
    # IVDR Article 48: class A non-sterile is self-declared too.
    cls = f.eu_class()
    if cls == "A":
        return bool(f.attr("sterile"))
    return cls not in (None, "I")


def eu_nb_full(f: Facts) -> bool:
    """A notified body assesses the QMS and technical documentation (class IIa and above, IVD B–D, sterile A)."""
    return eu_nb_needed(f) and f.eu_class() not in ("Is", "Im", "Ir")


def eu_nb_limited(f: Facts) -> bool:
    """MDR Article 52(7): for Is/Im/Ir the notified body is limited to the sterile, measuring or reuse aspects."""
    return f.eu_class() in ("Is", "Im", "Ir")


def eu_self_declared(f: Facts) -> bool:
    """EU conformity is self-declared by the manufacturer (plain class I, IVD class A non-sterile)."""
    return f.eu_class() in ("I", "A") and not eu_nb_needed(f)


def eu_clinical_investigation(f: Facts) -> bool:
    """MDR Article 61(4): clinical investigations for implantable and class III devices."""
    if f.attr("ivd"):
        return False
    return f.eu_class() == "III" or f.attr("invasiveness") == "implantable"


def us_premarket_clinical(f: Facts) -> bool:
    """A PMA (class III) pathway, where clinical data is normally expected."""
    return "PMA" in f.us_pathway() or f.us_class() == "III"


def us_de_novo(f: Facts) -> bool:
    """The US pathway is De Novo."""
    return "De Novo" in f.us_pathway()


def us_510k(f: Facts) -> bool:
    """The US pathway is a (non-exempt) 510(k)."""
    pathway = f.us_pathway()
    return "510(k)" in pathway and "exempt" not in pathway


def kr_high_grade(f: Facts) -> bool:
    """Korean grade 3 or 4 (허가 by MFDS)."""
    grade = f.kr_grade()
    return grade is not None and grade >= 3


def kr_grade_known_low(f: Facts) -> bool:
    """Korean grade 1 (신고), where the extent of KGMP review must be confirmed."""
    return f.kr_grade() == 1


def is_ivd(f: Facts) -> bool:
    """An in-vitro diagnostic."""
    return bool(f.attr("ivd"))


def has(key: str) -> Callable[[Facts], bool]:
    """A `when` that holds when an attribute is truthy."""
    return lambda f: bool(f.attr(key))
