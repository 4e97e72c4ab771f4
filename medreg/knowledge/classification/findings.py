"""What the MDR rule engine reports: each rule that applied (a finding), and the class they decide."""
from __future__ import annotations

from dataclasses import dataclass, field

from medreg.language import Text

ORDER = {"I": 0, "IIa": 1, "IIb": 2, "III": 3}


@dataclass
class Finding:
    """One rule that applied, the class it gives and why (bilingual)."""

    rule: int
    cls: str
    why: Text


@dataclass
class EuResult:
    """The MDR class, the rules that decide it, and every rule that applied."""

    cls: str
    rules: list[str]
    findings: list[Finding] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)


def base_class(cls: str) -> str:
    """'Is' / 'Im' / 'Ir' → 'I'; other classes unchanged."""
    return "I" if cls in ("Is", "Im", "Ir") else cls
