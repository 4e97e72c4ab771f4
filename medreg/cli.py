"""The `medreg` command: classify, purpose, standards, refine, run (all steps) and export,
in-process by default or against a server with --url; readable output, or --json.
Sessions, colour, errors and exit codes: cli_session.py; the questions: cli_questions.py."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import click

from medreg import __version__
from medreg.cli_output import format_classification, format_plans, format_purpose, format_refinement
from medreg.cli_questions import answer_option, interactive, settle
from medreg.cli_session import Session, common, interrupted, review_exit
from medreg.errors import message_for
from medreg.export import dossier_language, provenance, to_html, to_markdown
from medreg.knowledge import get_knowledge
from medreg.markets import MARKETS
from medreg.knowledge.qualification.apply import is_not_a_device

def _load(path: str) -> Any:
    """JSON from a file, or from stdin when the path is '-'."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{path}: {exc}") from None


def _pick(document: Any, key: str) -> Any:
    """A classification/purpose file may be the result itself or a whole dossier."""
    if isinstance(document, dict) and isinstance(document.get(key), dict):
        return document[key]
    return document


def _plans_of(document: Any) -> list[dict]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "activities" in document:
        return [document]
    plans = document.get("plans") if isinstance(document, dict) else None
    if isinstance(plans, dict):
        plans = plans.get("plans")
    if not isinstance(plans, list) or not plans:
        raise click.BadParameter("no plans found: give a plan, a list of plans, a standards result or a dossier")
    return plans


market_option = click.option("-m", "--market", "markets", multiple=True, type=click.Choice(MARKETS),
                             help="Market to cover (repeatable; default US, EU and KR).")


class _Group(click.Group):
    """Ctrl-C anywhere (in a prompt too) ends with one line and exit 130, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.Abort):
            interrupted("en")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="medreg")
def main() -> None:
    """medreg: classification, intended purpose and standards plans for a medical-device concept.

    \b
    Exit codes:
      0  answered
      1  error (the server's message is printed; unreachable server)
      2  usage error
      3  answered, but it needs review or the product is not a medical device
      130 interrupted (Ctrl-C)
    """


def _classified(session: Session, body: dict, answers: dict) -> tuple[dict, list[dict]]:
    """Classify with the --answer values; on a terminal, ask the open questions and classify again."""
    def classify(given: dict) -> dict:
        return session.run_step("classify", {**body, **({"answers": given} if given else {})})

    result, answered = classify(answers), []
    if not session.as_json and interactive(sys.stdin, sys.stdout):
        result, answered = settle(classify, result, answers, dossier_language(result, session.lang))
    return result, answered


def _write_memo(path: str, dossier: dict, lang: str) -> None:
    """The dossier as a dated memo (.html: printable HTML, else Markdown)."""
    render = to_html if path.lower().endswith((".html", ".htm")) else to_markdown
    Path(path).write_text(render(dossier, lang, provenance(dossier, get_knowledge())), encoding="utf-8")


@main.command()
@click.argument("concept")
@click.option("--context", help="More about the device.")
@market_option
@answer_option
@common
def classify(session: Session, concept: str, context: Optional[str], markets: tuple, answers: dict) -> None:
    """Classify CONCEPT in the US, EU and Korea (exit 3 when it needs review or is not a device)."""
    body = {"concept": concept, "context": context, "markets": list(markets) or None}
    result, _ = _classified(session, {k: v for k, v in body.items() if v is not None}, answers)
    session.emit(result, format_classification(result, dossier_language(result, session.lang), colour=session.colour))
    sys.exit(review_exit(result))


@main.command()
@click.argument("concept")
@click.option("--classification", "classification_file", help="Classification JSON (file or '-').")
@click.option("--context", help="More about the device.")
@common
def purpose(session: Session, concept: str, classification_file: Optional[str], context: Optional[str]) -> None:
    """Write the intended purpose of CONCEPT."""
    body: dict = {"concept": concept}
    if classification_file:
        body["classification"] = _pick(_load(classification_file), "classification")
    if context:
        body["context"] = context
    result = session.run_step("purpose", body)
    session.emit(result, format_purpose(result, session.language(body), colour=session.colour))


@main.command()
@click.argument("concept", required=False)
@click.option("--classification", "classification_file", help="Classification JSON (file or '-'); else CONCEPT is classified first.")
@click.option("--purpose", "purpose_file", help="Purpose JSON (file or '-').")
@market_option
@common
def standards(session: Session, concept: Optional[str], classification_file: Optional[str],
              purpose_file: Optional[str], markets: tuple) -> None:
    """Plan the standards work for a classification (or for CONCEPT, classified first)."""
    if classification_file:
        classification = _pick(_load(classification_file), "classification")
    elif concept:
        classification = session.run_step("classify", {"concept": concept, **({"markets": list(markets)} if markets else {})})
    else:
        raise click.UsageError("give CONCEPT or --classification FILE")
    body: dict = {"classification": classification, "category": classification.get("category")}
    if purpose_file:
        body["purposeMechanism"] = _pick(_load(purpose_file), "purpose")
    if markets:
        body["markets"] = list(markets)
    result = session.run_step("standards", body)
    session.emit(result, format_plans(result.get("plans") or [], dossier_language(classification, session.lang),
                                      colour=session.colour))


@main.command()
@click.argument("feedback")
@click.option("--plans", "plans_file", required=True, help="Plans JSON: a plan, a standards result or a dossier (file or '-').")
@click.option("--plan-id", help="Refine only this plan.")
@common
def refine(session: Session, feedback: str, plans_file: str, plan_id: Optional[str]) -> None:
    """Revise plans from FEEDBACK, e.g. "we sell in Korea only"."""
    document = _load(plans_file)
    plans = _plans_of(document)
    body: dict = {"feedback": feedback}
    if plan_id:
        chosen = [p for p in plans if p.get("id") == plan_id]
        if not chosen:
            raise click.BadParameter(f"no plan with id {plan_id!r}", param_hint="--plan-id")
        body["plan"] = chosen[0]
    elif len(plans) == 1:
        body["plan"] = plans[0]
    else:
        body["plans"] = plans
    if isinstance(document, dict) and isinstance(document.get("classification"), dict):
        body["classification"] = document["classification"]
    result = session.run_step("refine", body)
    session.emit(result, format_refinement(result, session.language(body), colour=session.colour))


@main.command()
@click.argument("concept")
@click.option("--context", help="More about the device.")
@market_option
@click.option("--feedback", multiple=True, help="Refine every plan with this feedback after planning (repeatable).")
@click.option("--export", "export_path", type=click.Path(dir_okay=False), help="Also write the dossier to a .md or .html file.")
@answer_option
@common
def run(session: Session, concept: str, context: Optional[str], markets: tuple, feedback: tuple,
        export_path: Optional[str], answers: dict) -> None:
    """Every step in order: classify, purpose, standards, then refine with any --feedback (exit 3: needs review)."""
    extra = {k: v for k, v in {"context": context, "markets": list(markets) or None}.items() if v}
    classification, answered = _classified(session, {"concept": concept, **extra}, answers)
    lang = dossier_language(classification, session.lang)
    dossier: dict = {"concept": concept, "context": context, "language": lang, "markets": list(markets or MARKETS),
                     "classification": classification, "answered": answered, "purpose": None, "plans": [],
                     "refinements": []}
    if is_not_a_device(classification):
        # Not a medical device (or nothing recognisable): no purpose, no device plan, as the web app does.
        if export_path:
            _write_memo(export_path, dossier, lang)
        session.emit(dossier, format_classification(classification, lang, colour=session.colour)
                     + "\n\n" + message_for("not_a_device", lang))
        sys.exit(review_exit(classification))
    dossier["purpose"] = session.run_step("purpose", {"concept": concept, "classification": classification,
                                                      **({"context": context} if context else {})})
    plans = session.run_step("standards", {"classification": classification, "category": classification.get("category"),
                                           "purposeMechanism": dossier["purpose"], **({"markets": list(markets)} if markets else {})})
    dossier["plans"] = plans.get("plans") or []
    for text in feedback:
        result = session.run_step("refine", {"plans": dossier["plans"], "feedback": text, "classification": classification,
                                             "purposeMechanism": dossier["purpose"]})
        updated = {p["id"]: p for p in result.get("plans") or ([result["plan"]] if result.get("plan") else [])}
        dossier["plans"] = [updated.pop(p["id"], p) for p in dossier["plans"]] + list(updated.values())
        dossier["refinements"].append({"plan_id": None, "feedback": text, "changes": result.get("changes") or [],
                                       "not_applied": result.get("not_applied") or [], "engine": result.get("engine")})
    if export_path:
        _write_memo(export_path, dossier, lang)
    colour = session.colour
    text = "\n\n".join([format_classification(classification, lang, colour=colour),
                        format_purpose(dossier["purpose"], lang, colour=colour), format_plans(dossier["plans"], lang, colour=colour)]
                       + [format_refinement({**r, "plans": []}, lang, colour=colour) for r in dossier["refinements"]])
    session.emit(dossier, text)
    sys.exit(review_exit(classification))


@main.command("export")
@click.argument("dossier_file")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]), help="Report language (default: the dossier's).")
def export_command(dossier_file: str, fmt: str, lang: Optional[str]) -> None:
    """Render a dossier (from `medreg run --json`) as Markdown or printable HTML on stdout."""
    dossier = _load(dossier_file)
    meta = provenance(dossier, get_knowledge())
    click.echo((to_html if fmt == "html" else to_markdown)(dossier, dossier_language(dossier, lang), meta), nl=False)


# Projects (issue 17): `medreg db upgrade`, `medreg projects list|show|diff|export`.
from medreg.projects.commands import db_cli, projects_cli  # noqa: E402

main.add_command(db_cli)
main.add_command(projects_cli)


if __name__ == "__main__":  # pragma: no cover
    main()
