"""Answerable questions: each question classify asks has an id, the attribute it decides and its options.

The user's answers come back with the next ClassifyRequest (`answers {id: value}`). They are facts
the user stated about the product, so they outrank anything read from the text, and are recorded in
`attribute_sources` as `answer`; a question whose attribute is answered is not asked again.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from medreg.knowledge.classification.confidence import MATCH_WEAK
from medreg.knowledge.classification.matching import Match
from medreg.language import Text, tr

ANSWER = "answer"   # the attribute source of a fact the user gave in answer to a question
YES_NO = (("yes", True, "Yes", "예"), ("no", False, "No", "아니요"))


@dataclass(frozen=True)
class Option:
    """One choice: the value sent back, the fact it means, and its label in both languages."""

    value: str
    fact: Any
    label: Text


@dataclass(frozen=True)
class Spec:
    """A question that can be answered by choosing an option."""

    id: str
    attribute: Optional[str]
    options: tuple[Option, ...]


def _options(*rows: tuple) -> tuple[Option, ...]:
    """Options from (value, fact, English label, Korean label) rows."""
    return tuple(Option(value, fact, {"en": en, "ko": ko}) for value, fact, en, ko in rows)


# The facts are the values the market rules read (MDR Annex VIII section 1 durations, Rule 11 impact).
SPECS: dict[str, Spec] = {spec.id: spec for spec in (
    Spec("duration", "duration", _options(
        ("transient", "transient", "Under 60 minutes", "60분 미만"),
        ("short_term", "short_term", "60 minutes to 30 days", "60분 이상 30일 이하"),
        ("long_term", "long_term", "More than 30 days", "30일 초과"))),
    Spec("wireless", "wireless", _options(*YES_NO)),
    Spec("home_use", "home_use", _options(
        ("yes", True, "Patients or lay people, at home", "환자·일반인이 가정에서 사용"),
        ("no", False, "Only professionals, in a clinic", "의료기관에서 전문가만 사용"))),
    Spec("software_decision", "software_decision", _options(
        ("death_or_irreversible", "death_or_irreversible",
         "It informs decisions that could cause death or an irreversible deterioration of health",
         "결과에 따른 결정이 사망이나 비가역적 건강 악화를 초래할 수 있음"),
        ("serious_deterioration", "serious_deterioration",
         "It informs decisions that could cause a serious deterioration of health or surgery",
         "결과에 따른 결정이 심각한 건강 악화나 수술을 초래할 수 있음"),
        ("other", "other", "It informs diagnostic or therapeutic decisions, with neither of those outcomes",
         "진단·치료 결정에 쓰이나 위와 같은 결과는 없음"),
        ("monitor_vital", "monitor_vital", "It monitors vital parameters whose change could mean immediate danger",
         "변화가 즉각적 위험이 될 수 있는 활력 징후를 감시함"),
        ("monitor_other", "monitor_other", "It monitors other physiological processes", "그 밖의 생리적 과정을 감시함"))),
    Spec("medical_claim", "medical_claim", _options(
        ("yes", True, "Yes, it claims a medical purpose", "예, 의료적 목적을 표방함"),
        ("no", False, "No medical claim anywhere", "아니요, 어디에도 의료적 주장이 없음"))),
    Spec("conflict", None, _options(
        ("different", True, "Yes, my product is different", "예, 제 제품은 다릅니다"),
        ("typical", False, "No, it is the typical device", "아니요, 일반적인 기기와 같습니다"))),
    # Options are the device types the concept matched, so they are built per answer (`device_type_options`).
    Spec("device_type", "device", ()),
)}

# The qualification's questions (qualification.json "questions"), by the key the data file uses.
QUALIFICATION_IDS = {"claim": "medical_claim", "what": "medical_claim"}


def unknown_answers(answers: dict, device_ids) -> dict[str, list[str]]:
    """Field errors (English; localised at the edge) for answers that name no question or no option."""
    errors: dict[str, list[str]] = {}
    for qid, value in answers.items():
        spec = SPECS.get(qid)
        if spec is None:
            errors[qid] = [f"Unknown question id: {qid}."]
        elif qid == "device_type":
            if value not in device_ids:
                errors[qid] = [f"Unknown device type id: {value}."]
        elif not any(o.value == value for o in spec.options):
            errors[qid] = [f"Not an option of {qid}: {value}. Options: {', '.join(o.value for o in spec.options)}."]
    return errors


def fact(qid: str, value: str) -> Any:
    """The attribute value an answer means."""
    return next(o.fact for o in SPECS[qid].options if o.value == value)


def apply_answers(attrs: dict, sources: dict, conflicts: list[str], text: dict,
                  device_attrs: dict, answers: dict) -> tuple[dict, dict, list[str]]:
    """Attributes with the answers applied over what the device type and the text said."""
    if not answers:
        return attrs, sources, conflicts
    attrs, sources, conflicts = dict(attrs), dict(sources), list(conflicts)
    for qid, value in answers.items():
        spec = SPECS.get(qid)
        if spec is None or spec.attribute in (None, "device"):
            continue
        attrs[spec.attribute], sources[spec.attribute] = fact(qid, value), ANSWER
    if "conflict" in answers and conflicts:
        key = conflicts.pop(0)   # the question asks about the first conflict only
        if answers["conflict"] == "different":
            attrs[key] = text[key]
            if key == "duration" and attrs.get("invasiveness") == "implantable":
                # temporary, so not an implant (MDR Article 2(5)): introduced by surgery, then removed
                attrs["invasiveness"], sources["invasiveness"] = "surgically_invasive", ANSWER
        elif key in device_attrs:
            attrs[key] = device_attrs[key]
        else:
            attrs.pop(key, None)
        sources[key] = ANSWER
    if attrs.get("software_decision") and sources.get("software_decision") == ANSWER and not attrs.get("software"):
        attrs["software"], sources["software"] = True, ANSWER
    return attrs, sources, conflicts


def _detail(qid: Optional[str], text: str, attribute: Optional[str], options, language: str) -> dict:
    return {"id": qid, "text": text, "attribute": attribute,
            "options": [{"value": o.value, "label": tr(o.label, language)} for o in options]}


def device_type_options(alternatives: list[dict]) -> tuple[Option, ...]:
    """The device types offered by the "which is closest" question, as options."""
    return tuple(Option(a["id"], a["id"], {"en": a.get("name") or a["id"], "ko": a.get("name_ko") or a.get("name") or a["id"]})
                 for a in alternatives if a.get("id"))


def details(asked: list[tuple[str, str]], language: str, *, device_options: tuple[Option, ...] = (),
            conflict_key: Optional[str] = None) -> list[dict]:
    """`question_details[]` for the (id, text) pairs asked, options in the user's language."""
    out = []
    for qid, text in asked:
        spec = SPECS.get(qid)
        if spec is None:   # a free-text question ("what does the device do?"): answered by rewording
            out.append(_detail(qid, text, None, (), language))
        elif qid == "device_type":
            out.append(_detail(qid, text, "device", device_options, language))
        else:
            attribute = conflict_key if qid == "conflict" else spec.attribute
            out.append(_detail(qid, text, attribute, spec.options, language))
    return out


def sync_details(classification: dict, qualification_questions: dict) -> dict:
    """`question_details` made to follow `questions` one to one (the qualification may have rewritten them)."""
    language = "ko" if classification.get("language") == "ko" else "en"
    by_text = {d.get("text"): d for d in classification.get("question_details") or [] if isinstance(d, dict)}
    for key, texts in qualification_questions.items():
        text = texts.get(language)
        qid = QUALIFICATION_IDS.get(key, key)
        if text and text not in by_text:
            spec = SPECS.get(qid)
            by_text[text] = _detail(qid, text, spec.attribute if spec else None, spec.options if spec else (), language)
    out = []
    for n, text in enumerate(q for q in classification.get("questions") or [] if isinstance(q, str)):
        # A question an engine added in words only (a model's disagreement) is answered by rewording.
        out.append(by_text.get(text) or _detail(f"open_{n + 1}", text, None, (), language))
    classification["question_details"] = out
    return classification


def choose_device(kb, found, device_id: Optional[str]):
    """classify's matches with the device type the user chose as primary (its score kept, floored at weak)."""
    if not device_id:
        return found
    ranked = [m for m in found.curated if m.candidate.id == device_id]
    if ranked:
        match = ranked[0]
    else:
        match = Match(next(c for c in kb.device_index().candidates if c.id == device_id), 0.0, "")
    # The user's choice settles which type it is; a weak text match must not send it back to review.
    match = Match(match.candidate, max(match.score, MATCH_WEAK), match.phrase, match.share, match.explained)
    curated = [match] + [m for m in found.curated if m.candidate.id != device_id]
    return replace(found, curated=curated, primary=match)
