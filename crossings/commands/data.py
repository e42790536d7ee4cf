"""`crossings import`, `export` and `units`: records in and out of the store."""

from __future__ import annotations

import csv
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from tqdm import tqdm

from crossings.commands.common import (
    EXIT_REJECTED,
    echo_json,
    existing_paths,
    require_store,
)
from crossings.standard.problems import Problem

if TYPE_CHECKING:
    from crossings.web.reporting.actions import ImportResult

SHOWN_PROBLEMS = 30
ERROR_COLUMNS = ["file", "sheet", "row", "column", "value", "rule", "message", "hint"]


@click.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option("--unit", "-u", required=True,
              help="Code of the uploading unit, e.g. KHM-BLO-POIPET.")
@click.option("--mapping", "-m", "mapping_file", type=click.Path(exists=True, dir_okay=False),
              help="YAML mapping of a partner's columns and codes to the standard.")
@click.option("--dry-run", is_flag=True, help="Validate only; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_command(files: tuple[str, ...], unit: str, mapping_file: str | None, dry_run: bool,
                   as_json: bool) -> None:
    """Import CSV, XLSX or JSON files (or ODK Central / Kobo exports) as one batch: all of it,
    or nothing.

    Every row and field is checked; all problems are printed and written to FILE.errors.csv
    beside each file. Importing the same file again stores nothing new; a record sent again
    with the same reference and new content becomes a new version.
    """
    from crossings.ingest.mapping import MappingError  # noqa: PLC0415

    paths = existing_paths(files)
    require_store()
    from crossings.ingest.odk import prepare_exports  # noqa: PLC0415
    from crossings.web.reporting.actions import UnknownUnit, import_files  # noqa: PLC0415

    try:
        with tempfile.TemporaryDirectory(prefix="crossings-odk-") as workdir, \
                _progress() as bar:
            prepared = prepare_exports(paths, Path(workdir))  # ODK Central and Kobo exports
            result = import_files(prepared.paths, unit, mapping_path=Path(mapping_file)
                                  if mapping_file else None, dry_run=dry_run,
                                  progress=bar.update)
            prepared.restore(result.problems)
    except UnknownUnit:
        raise click.UsageError(f"there is no unit '{unit}'; `crossings units` lists them.")\
            from None
    except MappingError as exc:
        raise click.UsageError(str(exc)) from None
    error_files = write_error_files(paths, result.problems)
    if as_json:
        echo_json(_result_dict(result, error_files))
    else:
        _print_result(result, error_files)
    if not result.ok:
        sys.exit(EXIT_REJECTED)


def _progress() -> tqdm[Any]:

    return tqdm(unit=" records", disable=not sys.stderr.isatty(), file=sys.stderr, leave=False)


def write_error_files(paths: list[Path], problems: list[Problem]) -> list[Path]:
    """Write FILE.errors.csv beside each file that has problems; remove stale ones."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for found in problems:
        by_file[found.file].append(found)
    written = []
    for path in paths:
        target = path.with_name(path.name + ".errors.csv")
        if str(path) not in by_file:
            target.unlink(missing_ok=True)
            continue
        try:
            handle = target.open("w", encoding="utf-8-sig", newline="")
        except OSError:
            target = Path.cwd() / target.name
            handle = target.open("w", encoding="utf-8-sig", newline="")
        with handle:
            writer = csv.DictWriter(handle, ERROR_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(p.as_dict() for p in by_file[str(path)])
        written.append(target)
    return written


def _print_result(result: ImportResult, error_files: list[Path]) -> None:
    if result.ok:
        verb = "would store" if result.dry_run else "stored"
        if not result.dry_run and not result.stored:
            click.echo(f"Nothing new: all {result.unchanged} records are already stored.")
            return
        click.echo(f"{result.rows} rows valid; {verb} {result.created} new and "
                   f"{result.revised} revised records; {result.unchanged} unchanged"
                   + (f" (batch {result.batch_id})." if result.batch_id else "."))
        return
    click.echo(f"{result.problem_count} problem(s) found; nothing was stored.", err=True)
    for found in result.problems[:SHOWN_PROBLEMS]:
        value = f" [{found.value}]" if found.value not in ("", None) else ""
        click.echo(f"  {found.where()}{value}: {found.message} ({found.code})", err=True)
        if found.hint:
            click.echo(f"      → {found.hint}", err=True)
    if result.problem_count > SHOWN_PROBLEMS:
        click.echo(f"  ... and {result.problem_count - SHOWN_PROBLEMS} more.", err=True)
    for path in error_files:
        click.echo(f"All problems are listed in {path}", err=True)


def _result_dict(result: ImportResult, error_files: list[Path]) -> dict[str, object]:
    return {"ok": result.ok, "stored": result.stored, "dry_run": result.dry_run,
            "rows": result.rows, "created": result.created, "revised": result.revised,
            "unchanged": result.unchanged, "batch": result.batch_id,
            "problem_count": result.problem_count,
            "problems": [p.as_dict() for p in result.problems],
            "error_files": [str(p) for p in error_files]}


@click.command()
@click.argument("out")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True,
              help="csv: a folder with one file per record type; xlsx: one sheet per type; "
                   "json: the nested layout.")
@click.option("--country", "-c", multiple=True, help="Only these countries (ISO3); repeatable.")
@click.option("--include-nominal", is_flag=True,
              help="Also export persons and objects (restricted: names, phones, plates).")
@click.option("--user", "username",
              help="Export what this user may see, as they see it (the visibility rule).")
def export(out: str, fmt: str, country: tuple[str, ...], include_nominal: bool,
           username: str | None) -> None:
    """Export the stored records in the import layout (so they can be imported again).

    Without --user this is the node operator's export of everything stored. Either way the
    export is written to the audit log.
    """
    require_store()
    from crossings.exchange.records import write_csv, write_json, write_xlsx  # noqa: PLC0415
    from crossings.web.reporting.reads import (  # noqa: PLC0415
        UnknownUser,
        audited_export,
    )

    writer = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}[fmt]
    try:
        counts = audited_export(lambda records: writer(records, Path(out)), username=username,
                                countries=[c.upper() for c in country],
                                include_nominal=include_nominal)
    except UnknownUser:
        raise click.UsageError(f"there is no user '{username}'.") from None
    summary = ", ".join(f"{n} {plural}" for plural, n in counts.items()) or "no records"
    click.echo(f"wrote {out}: {summary}", err=True)


@click.command()
@click.option("--country", "-c", help="Only this country (ISO3).")
@click.option("--json", "as_json", is_flag=True)
def units(country: str | None, as_json: bool) -> None:
    """List the reporting units and their codes."""
    require_store()
    from crossings.web.accounts.models import Unit  # noqa: PLC0415

    query = Unit.objects.select_related("country", "agency").order_by("code")
    if country:
        query = query.filter(country__code=country.upper())
    rows = [{"code": u.code, "name": u.name, "kind": u.kind, "country": u.country.code,
             "agency": u.agency.name} for u in query]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['code']:32} {row['kind']:4} {row['name']}")
