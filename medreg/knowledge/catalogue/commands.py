"""`flask kb …`: import official FDA / MFDS files into the local store that matching searches."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from medreg.knowledge.catalogue.importers import ImportFormatError, ImportReport, import_fda, import_mfds
from medreg.knowledge.catalogue.store import FDA_FILE, MFDS_FILE, read_entries, store_dir

kb_cli = AppGroup("kb", help="Manage the local store of imported official entries.")


def _echo(report: ImportReport, what: str) -> None:
    click.echo(f"Imported {report.imported} {what} ({report.read} rows read, {report.skipped} skipped); "
               f"{report.total_in_store} in the store at {report.path}")
    for reason, count in sorted(report.reasons.items()):
        click.echo(f"  skipped {count}: {reason}")


@kb_cli.command("import-fda")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_fda_command(file: Path) -> None:
    """Import FDA's product classification file (foiclass.txt, pipe-delimited, latin-1)."""
    try:
        report = import_fda(file, store_dir(current_app))
    except ImportFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    _echo(report, "FDA product codes")


@kb_cli.command("import-mfds")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_mfds_command(file: Path) -> None:
    """Import an MFDS item list (CSV with item_code, grade, name_ko; inactive rows skipped)."""
    try:
        report = import_mfds(file, store_dir(current_app))
    except (ImportFormatError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    _echo(report, "MFDS items")


@kb_cli.command("status")
def status_command() -> None:
    """Show where the store is and how many entries it holds."""
    directory = store_dir(current_app)
    click.echo(f"store: {directory}")
    click.echo(f"FDA product codes: {len(read_entries(directory, FDA_FILE))}")
    click.echo(f"MFDS items: {len(read_entries(directory, MFDS_FILE))}")


@kb_cli.command("clear")
def clear_command() -> None:
    """Remove every imported entry."""
    directory = store_dir(current_app)
    for name in (FDA_FILE, MFDS_FILE):
        (directory / name).unlink(missing_ok=True)
    click.echo(f"cleared {directory}")


def default_catalogue_path() -> Path:
    """Where the shipped catalogue lives in a source checkout (package data)."""
    return Path(__file__).resolve().parent.parent / "data" / "catalogue.json.gz"


@click.command("build")
@click.option("--fda", "fda", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="FDA foiclass.txt")
@click.option("--mfds", "mfds", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="MFDS item list CSV")
@click.option("--mfds-ivd", "mfds_ivd", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="MFDS IVD item list CSV")
@click.option("--mfds-annex", "mfds_annex", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="MFDS notice annex as text (English names, descriptions)")
@click.option("--mfds-ivd-annex", "mfds_ivd_annex", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="MFDS IVD notice annex as text")
@click.option("--emdn", "emdn", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="EMDN CSV")
@click.option("--cfr", "cfr", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path), help="directory of 21 CFR part-*.md")
@click.option("--version", "versions", multiple=True, metavar="SOURCE=TEXT", help="a source's version/date, e.g. fda='about Oct 2020' (repeatable)")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="output (default: the package's catalogue.json.gz)")
def build_command(fda: Path, mfds: Path, mfds_ivd: Path, mfds_annex: Path | None, mfds_ivd_annex: Path | None,
                  emdn: Path, cfr: Path, versions: tuple, out: Path | None) -> None:
    """Build the compact catalogue (gzip JSON) from the official files."""
    from medreg.knowledge.catalogue.build import build_catalogue, write_catalogue

    pairs = dict(v.split("=", 1) for v in versions if "=" in v)
    try:
        catalogue = build_catalogue(fda, mfds, mfds_ivd, emdn, cfr, pairs,
                                    {"mfds_annex": mfds_annex, "mfds_ivd_annex": mfds_ivd_annex})
    except ImportFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    target = out or default_catalogue_path()
    size = write_catalogue(catalogue, target)
    click.echo(f"wrote {target} ({size:,} bytes): {len(catalogue['fda'])} FDA product codes, "
               f"{len(catalogue['regulations'])} 21 CFR sections, {len(catalogue['mfds'])} MFDS items "
               f"({sum(1 for e in catalogue['mfds'].values() if e.get('name_en'))} with an English name, "
               f"{sum(1 for e in catalogue['mfds'].values() if e.get('description_ko'))} with a description), "
               f"{len(catalogue['emdn'])} EMDN terms, cross-market links for "
               f"{len(catalogue['links']['fda'])} FDA codes and {len(catalogue['links']['mfds'])} MFDS items")


kb_cli.add_command(build_command)
medreg_kb = click.Group("kb", help="The official catalogue shipped with medreg (`medreg kb build`).")
medreg_kb.add_command(build_command)
