"""Merging a device type's attributes with what the concept's text states (the market rules' inputs)."""
from __future__ import annotations

# The text may override these (the maker's choice); other rule inputs only fill gaps or raise a question.
TEXT_WINS = {"wireless", "connected", "home_use", "software", "ai", "single_use", "sterile", "measuring",
             "medicinal_substance"}  # Rule 14 rests on the product's own make-up, which the text states
DEFAULTS = {"invasiveness": "non_invasive", "active": False, "software": False, "wireless": False,
            "home_use": False, "sterile": False}
# Gaps in a curated type that the text may fill.
TEXT_FILLS = {"duration", "body_contact", "home_use"}
# Text attributes that, if they contradict the device type, suggest a different device.
CONFLICT_KEYS = {"invasiveness", "software_only", "ivd"}
# Flags a type sets to false only when their presence makes it another type (or regulation).
DECLARED_ABSENT = {"wireless", "software", "sterile"}


def merge_attributes(device_attrs: dict, text: dict, curated: bool) -> tuple[dict, dict, list[str]]:
    """Device-type attributes overlaid with the text's; returns attributes, sources, conflicts.

    For a curated type the text may override the maker's choices (TEXT_WINS) and fill in
    duration, body contact and home use; a text fact that contradicts the type on a key that
    would mean a different device (CONFLICT_KEYS) is reported, not applied. Without a curated
    type the text fills every gap.
    """
    attrs = dict(device_attrs)
    sources = {key: "device_type" for key in device_attrs}
    conflicts: list[str] = []
    for key, value in text.items():
        if curated and key in DECLARED_ABSENT and value is True and device_attrs.get(key) is False:
            # The type is the variant without it (an ESD hearing aid has no wireless; the wireless
            # one is another regulation): take the user's word, and say the type may be wrong.
            conflicts.append(key)
        if curated and key == "single_use" and key in device_attrs and device_attrs[key] != value:
            # Single-use and reusable variants are often other items and grades (MFDS lists reusable
            # instruments apart; MDR Rule 6 keeps reusable surgical instruments in class I): the text
            # wins, and the type may be the other variant.
            conflicts.append(key)
        if (curated and key == "duration" and value in ("transient", "short_term")
                and device_attrs.get("invasiveness") == "implantable"):
            # MDR Article 2(5): an implant remains in place, a partly introduced device for at least
            # 30 days; a temporary one is another device type (a temporary pacing lead is not an implant).
            conflicts.append(key)
            continue
        if key in TEXT_WINS or (key not in attrs and (not curated or key in TEXT_FILLS)):
            attrs[key], sources[key] = value, "text"
        elif curated and key in CONFLICT_KEYS and attrs.get(key, DEFAULTS.get(key, False)) != value:
            conflicts.append(key)
    if (text.get("wound_dressing") == "dermis_breach" and attrs.get("body_contact") == "injured_skin"
            and attrs.get("wound_dressing") not in ("barrier", "mechanical", "dermis_breach")):
        # A dressing for wounds that breached the dermis (Rule 4, IIb); a plain barrier stays a barrier.
        attrs["wound_dressing"], sources["wound_dressing"] = "dermis_breach", "text"
    if text.get("single_use") and attrs.get("reusable_surgical"):
        attrs["reusable_surgical"], sources["reusable_surgical"] = False, "text"
    if attrs.get("ai") and not attrs.get("software"):
        attrs["software"], sources["software"] = True, sources.get("ai", "text")
    for key, value in DEFAULTS.items():
        if key not in attrs:
            attrs[key], sources[key] = value, "default"
    if "firmware" not in attrs and attrs.get("active") and not attrs.get("software") and not attrs.get("ivd"):
        # Electronic devices nearly always run firmware, which IEC 62304 treats as software: assumed,
        # and shown as assumed, until the maker says the device has none.
        attrs["firmware"], sources["firmware"] = True, "default"
    return attrs, sources, conflicts


