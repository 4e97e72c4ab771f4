"""Builds a Purpose (intended purpose, indications, users, environment, mechanism of action)
from the device type's facts and the concept's own words, in Korean or English.

Nothing clinical is invented: functions come from the device type's attributes, indications
and population are the concept's own words, and what neither gives is stated as something
the manufacturer must establish.
"""
from __future__ import annotations

from typing import Optional

from medreg.knowledge.words.concept_words import ConceptWords, read_concept
from medreg.knowledge.words.phrases import join, tr
from medreg.knowledge.plans.build import clean_classification
from medreg.markets import MARKETS
from medreg.knowledge.purpose.texts import (
    COMPONENTS_BY_ATTRIBUTE, DEFAULT_ENVIRONMENT, DEFAULT_USERS, FUNCTIONS, GAPS, LAY_USERS,
    MECHANISMS, TEMPLATES, flags, function_key, with_ro,
)

QUOTE_LIMIT = 240


def _quote(text: str) -> str:
    text = " ".join((text or "").split()).rstrip(".。 ")
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


def _classification(kb, concept: str, classification: Optional[dict], context: Optional[str],
                    language: str) -> dict:
    if not classification:
        classification = kb.classify(concept, context, MARKETS, language)
    return clean_classification(classification)


def _device_name(kb, classification: dict, language: str) -> Optional[str]:
    device = classification.get("device") or {}
    if not device.get("id"):
        return None
    known = kb.data.devices.get(device["id"], {})
    keys = ("name_ko", "name") if language == "ko" else ("name",)
    for source in (device, known):
        for key in keys:
            if isinstance(source.get(key), str) and source[key].strip():
                return source[key].strip()
    return None


def _attributes(kb, classification: dict) -> dict:
    attributes = dict((kb.data.devices.get((classification.get("device") or {}).get("id") or "", {})
                       .get("attributes") or {}))
    attributes.update(classification.get("attributes") or {})   # the classification's facts win
    return attributes


def _users(attrs: dict, words: ConceptWords, known: bool, language: str) -> list[str]:
    users = [tr(u, language) for u in words.users]
    if attrs.get("home_use") and not any("lay" in u["en"] for u in words.users):
        users.append(tr(LAY_USERS, language))
    if not users and not known:
        users.append(tr(GAPS["users"], language))
    if not users:
        key = "lab" if attrs.get("ivd") else "surgical" if attrs.get("invasiveness") in (
            "surgically_invasive", "implantable") else "default"
        users.append(tr(DEFAULT_USERS[key], language))
    return list(dict.fromkeys(users))


def _environments(attrs: dict, words: ConceptWords, language: str) -> list[str]:
    envs = [tr(e, language) for e in words.environments]
    if attrs.get("home_use"):
        envs.insert(0, tr(DEFAULT_ENVIRONMENT["home"], language))
    if not envs:
        key = "lab" if attrs.get("ivd") else "surgical" if attrs.get("invasiveness") in (
            "surgically_invasive", "implantable") else "default"
        envs.append(tr(DEFAULT_ENVIRONMENT[key], language))
    return list(dict.fromkeys(envs))


def _mechanism(attrs: dict, words: ConceptWords, known: bool, language: str) -> str:
    f = flags(attrs)
    parts = [tr(MECHANISMS[key], language) for key in MECHANISMS if key != "device" and f.get(key)]
    if not attrs.get("medicinal_substance") and known:
        parts.append(tr(MECHANISMS["device"], language))
    if words.mechanism:
        parts.append(tr(TEMPLATES["as_described"], language, text="; ".join(_quote(m) for m in words.mechanism)))
    if not parts or not known:
        parts.insert(0, tr(GAPS["mechanism"], language))
    return " ".join(parts)


def _components(attrs: dict, words: ConceptWords, language: str) -> list[str]:
    found = [tr(c, language) for c in words.components]
    f = flags(attrs)
    for key, label in COMPONENTS_BY_ATTRIBUTE.items():
        if f.get(key):
            found.append(tr(label, language))
    if not found:
        found.append(tr(GAPS["components"], language))
    return list(dict.fromkeys(found))


def _intended_purpose(name: Optional[str], attrs: dict, words: ConceptWords, concept: str, language: str) -> str:
    quote = _quote(concept)
    if not name:
        return tr(TEMPLATES["unknown"], language, concept=quote)
    function = tr(FUNCTIONS[function_key(attrs)], language)
    if language == "en" and name[:1].isupper() and name[1:2].islower():
        name = name[0].lower() + name[1:]   # "The external insulin pump", but keep "ECG …"
    text = tr(TEMPLATES["purpose"], language, name=name, name_ro=with_ro(name), function=function)
    if words.indications:
        text += " " + tr(TEMPLATES["for_indications"], language, x=join(words.indications, language))
    return text + " " + tr(TEMPLATES["source"], language, concept=quote)


def build_purpose(kb, concept: str, classification: Optional[dict], context: Optional[str], language: str) -> dict:
    """A Purpose for the concept, in `language` ("ko" or "en")."""
    classification = _classification(kb, concept, classification, context, language)
    name = _device_name(kb, classification, language)
    attrs = _attributes(kb, classification) if name else dict(classification.get("attributes") or {})
    words = read_concept(concept, context)
    gaps: list[str] = []
    indications = list(words.indications) or list(words.population)
    if not indications:
        indications = [tr(GAPS["indications"], language)]
        gaps.append("indications")
    population = join(words.population, language) if words.population else tr(GAPS["population"], language)
    if not words.population:
        gaps.append("target_population")
    gaps.append("contraindications")
    return {
        "intended_purpose": _intended_purpose(name, attrs, words, concept, language),
        "indications": indications,
        "contraindications": [tr(GAPS["contraindications"], language)],
        "target_population": population,
        "intended_users": _users(attrs, words, bool(name), language),
        "use_environment": _environments(attrs, words, language),
        "mechanism_of_action": _mechanism(attrs, words, bool(name), language),
        "key_components": _components(attrs, words, language),
        "device": classification.get("device"),
        "needs_review": not name or bool(classification.get("needs_review")),
        "to_be_established": gaps,
        "engine": "offline",
    }
