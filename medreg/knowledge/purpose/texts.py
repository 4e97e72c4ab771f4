"""Korean and English wording of the Purpose: device functions and mechanisms by attribute
(taken from the MDR's definitions, so that nothing claims more than the type implies) and
the statements of what the manufacturer must establish. The tables: knowledge/data/wording/purpose.json."""
from __future__ import annotations

from medreg.language import Text, wording


def flags(attrs: dict) -> dict:
    """The attributes plus the derived flags the texts are keyed on."""
    out = dict(attrs)
    out["implantable"] = attrs.get("invasiveness") == "implantable"
    out["therapeutic"] = attrs.get("active_function") == "therapeutic"
    out["diagnostic"] = attrs.get("active_function") in ("diagnostic", "monitoring") or bool(attrs.get("monitors_vital"))
    out["hardware"] = bool(attrs.get("active")) and not attrs.get("software_only")
    return out


def function_key(attrs: dict) -> str:
    """Which function phrase describes the device type best (first that holds)."""
    f = flags(attrs)
    for key in ("ivd", "administers_medicine", "contraceptive", "therapeutic", "diagnostic", "software_only", "implantable"):
        if f.get(key):
            return key
    return "default"


def with_ro(name: str) -> str:
    """A Korean noun with the particle 로/으로 chosen by its last syllable."""
    last = name[-1:] if name else ""
    if "\uac00" <= last <= "\ud7a3":
        coda = (ord(last) - 0xAC00) % 28
        return name + ("로" if coda in (0, 8) else "으로")   # 8 = ㄹ, which takes 로
    return name + "(으)로"


_WORDING = wording("purpose")
FUNCTIONS: dict[str, Text] = _WORDING["functions"]
# Ordered: the sentence order of the mechanism of action.
MECHANISMS: dict[str, Text] = _WORDING["mechanisms"]
COMPONENTS_BY_ATTRIBUTE: dict[str, Text] = _WORDING["components_by_attribute"]
LAY_USERS: Text = _WORDING["lay_users"]
DEFAULT_USERS: dict[str, Text] = _WORDING["default_users"]
DEFAULT_ENVIRONMENT: dict[str, Text] = _WORDING["default_environment"]
TEMPLATES: dict[str, Text] = _WORDING["templates"]
GAPS: dict[str, Text] = _WORDING["gaps"]
