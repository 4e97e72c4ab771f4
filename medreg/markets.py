"""The markets medreg answers for and their names in both languages: the one source of both."""
from __future__ import annotations

MARKETS: tuple[str, ...] = ("US", "EU", "KR")

MARKET_NAMES: dict[str, dict[str, str]] = {
    "US": {"en": "US (FDA)", "ko": "미국(FDA)"},
    "EU": {"en": "EU (MDR/IVDR)", "ko": "유럽(MDR/IVDR)"},
    "KR": {"en": "Korea (MFDS)", "ko": "한국(식약처)"},
}
