"""The `medreg` command: classify, purpose, standards, refine, run (all steps) and export,
in-process by default or against a server with --url; readable output, or --json."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import click

from medreg import __version__
from medreg.cli_output import (Progress, format_classification, format_plans, format_purpose,
                               format_refinement)
from medreg.client import InProcess, Remote, TransportError
from medreg.errors import message_for
from medreg.export import dossier_language, to_html, to_markdown
from medreg.language import language_of
from medreg.markets import MARKETS
from medreg.knowledge.catalogue.commands import medreg_kb
from medreg.knowledge.qualification.apply import is_not_a_device

STEP_TITLES = {
    "classify": {"ko": "분류", "en": "Classify"},
    "purpose": {"ko": "사용 목적", "en": "Intended purpose"},
    "standards": {"ko": "규격 계획", "en": "Standards plans"},
    "refine": {"ko": "계획 수정", "en": "Refine"},
}


class StepFailed(Exception):
    """A step ended with an `error` event (or without any terminal event)."""

    def __init__(self, error: dict) -> None:
        super().__init__(error.get("message") or error.get("code"))
        self.error = error


class Session:
    """One command's settings: where steps run, how progress and results are shown."""

    def __init__(self, url: Optional[str], api_key: Optional[str], as_json: bool,
                 lang: Optional[str], quiet: bool) -> None:
        self.transport = Remote(url, api_key) if url else InProcess()
        self.as_json = as_json
        self.lang = lang
        self.progress = Progress(click.get_text_stream("stderr"), enabled=not quiet)

    def run_step(self, step: str, body: dict) -> dict:
        """Stream one step, showing its progress; return its result or raise StepFailed."""
        if self.lang:
            body = {**body, "language": self.lang}
        self.progress.step(STEP_TITLES[step][self.lang or _guess_lang(body)])
        result: Optional[dict] = None
        error: Optional[dict] = None
        try:
            for event in self.transport.stream(step, body):
                data = event.data if isinstance(event.data, dict) else {}
                if event.event == "status":
                    self.progress.status(data.get("message", ""), data.get("progress"))
                elif event.event == "plan":
                    self.progress.plan(data.get("index", 0), data.get("total", 0), (data.get("data") or {}).get("title", ""))
                elif event.event == "result":
                    result = data.get("data")
                elif event.event == "error":
                    error = data
        finally:
            self.progress.finish()
        if error is not None:
            raise StepFailed(error)
        if result is None:
            raise StepFailed({"code": "incomplete", "message": "The stream ended before its result.", "retryable": True})
        return result

    def emit(self, data: Any, text: str) -> None:
        """Print the result: JSON for machines, or the readable text."""
        if self.as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            click.echo(text)


def _guess_lang(body: dict) -> str:
    return language_of(json.dumps(body, ensure_ascii=False)[:2000])


def common(func: Callable) -> Callable:
    """Options every command takes; the wrapped command receives a Session first."""

    @click.option("--url", envvar="MEDREG_URL", help="Base URL of a medreg server (default: run in-process).")
    @click.option("--api-key", envvar="MEDREG_API_KEY", help="Bearer key for a server that requires one.")
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @click.option("--lang", type=click.Choice(["ko", "en"]), help="Language of the answers (default: from the text).")
    @click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
    @functools.wraps(func)
    def wrapper(url, api_key, as_json, lang, quiet, **kwargs):
        session = Session(url, api_key, as_json, lang, quiet)
        try:
            return func(session, **kwargs)
        except StepFailed as exc:
            _fail(session, exc.error)
        except TransportError as exc:
            _fail(session, {"code": "unreachable", "message": str(exc), "retryable": True})
        except KeyboardInterrupt:
            # Leaving the stream's loop closed it, which stops the work behind it.
            session.progress.finish()
            click.echo("stopped", err=True)
            sys.exit(130)

    return wrapper


def _fail(session: Session, error: dict) -> None:
    if session.as_json:
        click.echo(json.dumps({"error": error}, ensure_ascii=False, indent=2))
    message = f"error ({error.get('code')}): {error.get('message')}"
    if error.get("fields"):
        message += f"\n  {json.dumps(error['fields'], ensure_ascii=False)}"
    click.echo(message, err=True)
    sys.exit(1)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="medreg")
def main() -> None:
    """medreg: classification, intended purpose and standards plans for a medical-device concept."""


@main.command()
@click.argument("concept")
@click.option("--context", help="More about the device.")
@market_option
@common
def classify(session: Session, concept: str, context: Optional[str], markets: tuple) -> None:
    """Classify CONCEPT in the US, EU and Korea."""
    body = {"concept": concept, "context": context, "markets": list(markets) or None}
    result = session.run_step("classify", {k: v for k, v in body.items() if v is not None})
    session.emit(result, format_classification(result, dossier_language(result, session.lang)))


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
    session.emit(result, format_purpose(result, session.lang or _guess_lang(body)))


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
    session.emit(result, format_plans(result.get("plans") or [], dossier_language(classification, session.lang)))


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
    session.emit(result, format_refinement(result, session.lang or _guess_lang({"f": feedback, "p": plans})))


@main.command()
@click.argument("concept")
@click.option("--context", help="More about the device.")
@market_option
@click.option("--feedback", multiple=True, help="Refine every plan with this feedback after planning (repeatable).")
@click.option("--export", "export_path", type=click.Path(dir_okay=False), help="Also write the dossier to a .md or .html file.")
@common
def run(session: Session, concept: str, context: Optional[str], markets: tuple, feedback: tuple,
        export_path: Optional[str]) -> None:
    """Every step in order: classify, purpose, standards, then refine with any --feedback."""
    extra = {k: v for k, v in {"context": context, "markets": list(markets) or None}.items() if v}
    classification = session.run_step("classify", {"concept": concept, **extra})
    lang = dossier_language(classification, session.lang)
    dossier: dict = {"concept": concept, "context": context, "language": lang, "markets": list(markets or MARKETS),
                     "classification": classification, "purpose": None, "plans": [], "refinements": []}
    if is_not_a_device(classification):
        # Not a medical device (or nothing recognisable): no purpose, no device plan, as the web app does.
        if export_path:
            render = to_html if export_path.lower().endswith((".html", ".htm")) else to_markdown
            Path(export_path).write_text(render(dossier, lang), encoding="utf-8")
        session.emit(dossier, format_classification(classification, lang) + "\n\n" + message_for("not_a_device", lang))
        return
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
        render = to_html if export_path.lower().endswith((".html", ".htm")) else to_markdown
        Path(export_path).write_text(render(dossier, lang), encoding="utf-8")
    text = "\n\n".join([format_classification(classification, lang), format_purpose(dossier["purpose"], lang),
                        format_plans(dossier["plans"], lang)]
                       + [format_refinement({**r, "plans": []}, lang) for r in dossier["refinements"]])
    session.emit(dossier, text)


@main.command("export")
@click.argument("dossier_file")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]), help="Report language (default: the dossier's).")
def export_command(dossier_file: str, fmt: str, lang: Optional[str]) -> None:
    """Render a dossier (from `medreg run --json`) as Markdown or printable HTML on stdout."""
    dossier = _load(dossier_file)
    click.echo((to_html if fmt == "html" else to_markdown)(dossier, dossier_language(dossier, lang)), nl=False)


main.add_command(medreg_kb)

if __name__ == "__main__":  # pragma: no cover
    main()

