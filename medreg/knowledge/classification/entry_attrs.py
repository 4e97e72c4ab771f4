"""The rule inputs an official catalogue entry itself states, for the EU (and derived KR) rules of a
catalogue-only answer: the FDA implant and life-sustaining flags (for an MFDS item, those of its
strongly linked FDA code), the FDA regulation part (IVD), a few
unambiguous words of the official name (powered, laser, X-ray, infusion, implant, drug-eluting) and
the chapter of the linked EMDN term where the chapter itself decides an input (EMDN J active
implantable, P implantable, L reusable surgical instruments, W IVD, Z11/Z12 active equipment).

Inputs none of these state stay unknown (the rules' defaults) and are listed, so the EU block says
which of its inputs were not known.
"""
from __future__ import annotations

from medreg.knowledge.catalogue.link import STRONG, fda_is_ivd
from medreg.knowledge.catalogue.shipped import Catalogue
from medreg.knowledge.classification.attributes import extract

# Words of an official name that state a rule input, and only those (a name's "monitor" or
# "diagnostic" says little about invasiveness, so the rest of extract() is not used here).
NAME_KEYS = ("active", "ionizing_radiation", "administers_medicine", "medicinal_substance")
# EMDN chapters (first letters / three characters) whose definition decides a rule input.
EMDN_INPUTS = {
    "J": {"invasiveness": "implantable", "active": True},          # active-implantable devices
    "P": {"invasiveness": "implantable"},                          # implantable prosthetic, osteosynthesis
    "W": {"ivd": True},                                            # in vitro diagnostic medical devices
    "Z11": {"active": True},                                       # bioimaging and radiotherapy instruments
    "Z12": {"active": True},                                       # functional explorations, therapeutic interventions
}
REUSABLE_SURGICAL = ("L01", "L02", "L03", "L04", "L05", "L06", "L07", "L08", "L09", "L10", "L11", "L12",
                     "L13", "L14", "L15", "L17", "L19", "L20", "L21", "L22", "L23", "L24", "L25", "L26")
RULE_INPUTS = ("invasiveness", "active", "duration")   # without these the Annex VIII result is a guess


def _from_emdn(code: str) -> dict:
    attrs: dict = {}
    for key in (code[:1], code[:3]):
        attrs.update(EMDN_INPUTS.get(key, {}))
    if code[:3] in REUSABLE_SURGICAL:
        # EMDN L: reusable surgical instruments, i.e. transient surgically invasive (Rule 6, "Ir")
        attrs.update({"invasiveness": "surgically_invasive", "duration": "transient", "reusable_surgical": True})
    return attrs


def _named(name: str, basis: list[str]) -> dict:
    stated = extract(name).values
    attrs = {k: stated[k] for k in NAME_KEYS if k in stated}
    if attrs:
        basis.append(f"the official name ({', '.join(sorted(attrs))})")
    return attrs


def entry_attributes(catalogue: Catalogue, source: str, code: str) -> tuple[dict, list[str]]:
    """The attributes an FDA code (`fda`) or MFDS item (`mfds`) states, and where each came from."""
    attrs: dict = {}
    basis: list[str] = []
    if source == "fda":
        entry = catalogue.fda.get(code) or {}
        attrs.update(_named(entry.get("name", ""), basis))
        if fda_is_ivd(entry):
            attrs["ivd"] = True
            basis.append(f"FDA {code}: 21 CFR {entry.get('regulation') or '-'} (in vitro diagnostic)")
        if entry.get("implant"):
            attrs["invasiveness"] = "implantable"
            basis.append(f"FDA {code} implant flag")
        if entry.get("life_sustaining"):
            attrs["life_supporting"] = True
            basis.append(f"FDA {code} life-sustaining flag")
    else:
        entry = catalogue.mfds.get(code) or {}
        attrs.update(_named(entry.get("name_ko", ""), basis))
        if entry.get("ivd"):
            attrs["ivd"] = True
            basis.append(f"MFDS {code} in vitro diagnostic item")
        # MFDS items carry no implant flag: a strongly linked FDA code's flags stand in for it
        fda_links = catalogue.linked("mfds", code, "fda")
        if fda_links and fda_links[0][1] >= STRONG:
            linked = catalogue.fda.get(fda_links[0][0]) or {}
            if linked.get("implant"):
                attrs["invasiveness"] = "implantable"
                basis.append(f"FDA {fda_links[0][0]} implant flag (linked)")
            if linked.get("life_sustaining"):
                attrs["life_supporting"] = True
                basis.append(f"FDA {fda_links[0][0]} life-sustaining flag (linked)")
    links = catalogue.linked(source, code, "emdn")
    if links and links[0][1] >= STRONG:
        emdn = links[0][0]
        chapter = _from_emdn(emdn)
        if "invasiveness" in attrs:
            # the FDA flags already placed the device; the chapter's invasive reading must not blur it
            chapter = {k: v for k, v in chapter.items() if k not in ("invasiveness", "duration", "reusable_surgical")}
        for key, value in chapter.items():
            attrs.setdefault(key, value)
        if chapter:
            basis.append(f"EMDN {emdn} (chapter {emdn[:3]})")
    if attrs.get("invasiveness") == "implantable":
        attrs.setdefault("duration", "long_term")
    return attrs, basis


def unknown_inputs(attrs: dict, sources: dict) -> list[str]:
    """The Annex VIII inputs neither the entry, the text nor an answer stated."""
    out = [k for k in RULE_INPUTS if sources.get(k) in (None, "default")]
    if "duration" in out and attrs.get("invasiveness") in (None, "non_invasive"):
        out.remove("duration")   # duration only matters for invasive devices
    return out
