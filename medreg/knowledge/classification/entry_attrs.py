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

from medreg.knowledge.catalogue.fda_ivd import fda_is_ivd
from medreg.knowledge.catalogue.link import STRONG
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


def fda_flags(row: dict, code: str, basis: list[str], linked: bool = False, ivd: bool = True) -> dict:
    """The rule inputs an FDA row's own fields state (shipped catalogue entry or imported foiclass row):
    IVD by its regulation (catalogue/fda_ivd.py), the implant and the life-sustaining flags."""
    attrs: dict = {}
    said = " (linked)" if linked else ""
    if ivd and fda_is_ivd(row):
        attrs["ivd"] = True
        basis.append(f"FDA {code}: 21 CFR {row.get('regulation') or '-'} (in vitro diagnostic)")
    if row.get("implant"):
        attrs["invasiveness"] = "implantable"
        basis.append(f"FDA {code} implant flag{said}")
    if row.get("life_sustaining"):
        attrs["life_supporting"] = True
        basis.append(f"FDA {code} life-sustaining flag{said}")
    return attrs


def imported_attributes(row: dict) -> dict:
    """The rule inputs of a row the user imported (`flask kb import-fda` / `import-mfds`): an FDA
    row's flags, or an MFDS row's IVD mark; nothing else is read from an imported row."""
    attrs = fda_flags(row, str(row.get("code") or ""), [])
    if row.get("ivd"):
        attrs["ivd"] = True   # the MFDS IVD list: the IVDR classifies it in the EU
    return attrs


def entry_attributes(catalogue: Catalogue, source: str, code: str) -> tuple[dict, list[str]]:
    """The attributes an FDA code (`fda`) or MFDS item (`mfds`) states, and where each came from."""
    attrs: dict = {}
    basis: list[str] = []
    if source == "fda":
        entry = catalogue.fda.get(code) or {}
        attrs.update(_named(entry.get("name", ""), basis))
        attrs.update(fda_flags(entry, code, basis))
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
            # (an IVD item links only to IVD codes, so the linked code's IVD reading adds nothing)
            attrs.update(fda_flags(linked, fda_links[0][0], basis, linked=True, ivd=False))
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
