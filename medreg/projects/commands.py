"""`medreg db upgrade` and `medreg projects list|show|diff|export`, on the local projects database
(MEDREG_DATABASE_URL, else ~/.local/share/medreg/medreg.db)."""
from __future__ import annotations

import json
from typing import Optional

import click

from medreg.projects.db import cli_database_url, current_revision, make_engine, session_factory, upgrade
from medreg.projects.diff import diff_versions
from medreg.projects.repository import Projects

OWNER_HELP = "Whose projects: `local` (made without an API key), or an API key's id as the server logs it."


def _projects(database: Optional[str]) -> Projects:
    engine = make_engine(database or cli_database_url())
    upgrade(engine)
    return Projects(session_factory(engine))


def _project_or_exit(projects: Projects, owner: str, project_id: str):
    project = projects.get(owner, project_id, include_deleted=True)
    if project is None:
        raise click.ClickException(f"no project {project_id} for {owner}")
    return project


database_option = click.option("--database", help="Database URL (default: MEDREG_DATABASE_URL, else the user's data dir).")
owner_option = click.option("--owner", default="local", show_default=True, help=OWNER_HELP)


@click.group("db")
def db_cli() -> None:
    """The projects database."""


@db_cli.command("upgrade")
@database_option
def db_upgrade(database: Optional[str]) -> None:
    """Create or migrate the database to the newest schema."""
    url = database or cli_database_url()
    engine = make_engine(url)
    upgrade(engine)
    click.echo(f"{engine.url.render_as_string(hide_password=True)}: revision {current_revision(engine)}")


@click.group("projects")
def projects_cli() -> None:
    """Device projects kept in the database."""


@projects_cli.command("list")
@database_option
@owner_option
@click.option("--deleted", is_flag=True, help="List the deleted projects instead.")
def list_command(database: Optional[str], owner: str, deleted: bool) -> None:
    """Projects, newest change first: id, latest version, name."""
    for project in _projects(database).list(owner, deleted=deleted):
        click.echo(f"{project.id}  v{project.latest_version}  {project.name}")


@projects_cli.command("show")
@click.argument("project_id")
@click.option("--version", "number", type=int, help="A version (default: the latest).")
@database_option
@owner_option
def show_command(project_id: str, number: Optional[int], database: Optional[str], owner: str) -> None:
    """A project's history, and one version as JSON."""
    projects = _projects(database)
    project = _project_or_exit(projects, owner, project_id)
    click.echo(f"{project.name} ({project.id})", err=True)
    for version in projects.versions(project.id):
        click.echo(f"  v{version.number}  {version.step or 'created':9}  {version.author}  "
                   f"{version.as_dict()['created_at']}", err=True)
    version = projects.version(project.id, number or project.latest_version)
    if version is None:
        raise click.ClickException("no such version")
    click.echo(json.dumps(version.as_dict(), ensure_ascii=False, indent=2))


@projects_cli.command("diff")
@click.argument("project_id")
@click.option("--from", "start", type=int)
@click.option("--to", "end", type=int)
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True)
@database_option
@owner_option
def diff_command(project_id: str, start: Optional[int], end: Optional[int], lang: str, database: Optional[str],
                 owner: str) -> None:
    """What changed between two versions (default: the two latest), one line per change."""
    projects = _projects(database)
    project = _project_or_exit(projects, owner, project_id)
    end = end or project.latest_version
    start = start or end - 1
    old, new = projects.version(project.id, start), projects.version(project.id, end)
    if old is None or new is None:
        raise click.ClickException("no such version")
    diff = diff_versions(old.as_dict(), new.as_dict())
    click.echo(f"v{start} → v{end}: {diff['summary'][lang]}")
    for change in diff["changes"]:
        click.echo(f"  - {change[lang]}")


@projects_cli.command("export")
@click.argument("project_id")
@click.option("--version", "number", type=int, help="A version (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]))
@database_option
@owner_option
def export_command(project_id: str, number: Optional[int], fmt: str, lang: Optional[str], database: Optional[str],
                   owner: str) -> None:
    """A version as a dated memo: project, version, date and author, then the dossier."""
    from medreg.export import dossier_language, to_html, to_markdown

    projects = _projects(database)
    project = _project_or_exit(projects, owner, project_id)
    version = projects.version(project.id, number or project.latest_version)
    if version is None:
        raise click.ClickException("no such version")
    dossier = version.as_dict()
    language = dossier_language(dossier, lang)
    stamp = dossier["created_at"][:10]
    memo = (f"{project.name} — 버전 {version.number} — {stamp} — {version.author}" if language == "ko"
            else f"{project.name} — version {version.number} — {stamp} — {version.author}")
    if fmt == "markdown":
        click.echo(f"<!-- {memo} -->\n**{memo}**\n\n" + to_markdown(dossier, language), nl=False)
    else:
        page = to_html(dossier, language)
        click.echo(page.replace("<body>", f"<body><p><strong>{_escape(memo)}</strong></p>", 1), nl=False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
