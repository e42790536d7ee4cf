"""``crossings link``: person lists in, identities out.

``crossings link A.csv B.csv --out clusters.csv`` links person lists (the layout of
``PERSON_COLUMNS``) and writes ``record_id, identity_id, confidence``. ``--from-store`` links
one country's persons and objects in the record store instead and keeps the identities there.
Bad input is one line naming the file, row and column, and exit code 2.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click
import pyarrow as pa

from crossings.linkage.cluster import Decision, PairDecision
from crossings.linkage.model import PersonModel, latest_version, save_version
from crossings.linkage.pipeline import LinkResult, link_persons
from crossings.linkage.prepare import PERSON_COLUMNS, BadInput


class InputError(click.ClickException):
    """A user error: one line on stderr and exit code 2."""

    exit_code = 2


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "record_id" not in reader.fieldnames:
                raise InputError(f"{path}: row 1 (header), column record_id: the column is "
                                 f"missing; expected {', '.join(PERSON_COLUMNS)}")
            return list(reader)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the file is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None


def read_person_lists(paths: list[Path]) -> tuple[pa.Table, list[tuple[Path, int]]]:
    """All rows of the files as one table, and where each row came from (file, line)."""
    rows: list[dict[str, str]] = []
    origin: list[tuple[Path, int]] = []
    for path in paths:
        found = _read_csv(path)
        rows.extend(found)
        origin.extend((path, line) for line in range(2, len(found) + 2))
    columns = {c: [r.get(c) or None for r in rows] for c in (*PERSON_COLUMNS, "aliases")}
    return pa.table({c: pa.array(v, pa.string()) for c, v in columns.items()}), origin


def _located(error: BadInput, origin: list[tuple[Path, int]]) -> str:
    first = error.problems[0]
    path, line = origin[first.row - 1] if 0 < first.row <= len(origin) else (Path("?"), 0)
    more = len(error.problems) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}: row {line}, column {first.column}: {first.message}{tail}"


def read_decisions(path: Path) -> list[PairDecision]:
    """Reviewers' decisions from a CSV with ``left, right, decision`` columns."""
    out = []
    for line, row in enumerate(_read_csv_any(path), start=2):
        try:
            out.append(PairDecision(row["left"], row["right"], Decision(row["decision"].upper())))
        except (KeyError, ValueError, AttributeError):
            raise InputError(f"{path}: row {line}: expected left, right and a decision among "
                             f"{', '.join(d.value for d in Decision)}") from None
    return out


def _read_csv_any(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the file ({exc})") from None


def read_previous(path: Path) -> dict[str, str]:
    """record_id -> identity_id from a clusters file of an earlier run."""
    rows = _read_csv_any(path)
    if rows and not {"record_id", "identity_id"} <= set(rows[0]):
        raise InputError(f"{path}: row 1 (header): expected record_id and identity_id columns")
    return {r["record_id"]: r["identity_id"] for r in rows}


def write_clusters(result: LinkResult, out: Path | None) -> None:
    """``record_id, identity_id, confidence`` to a file, or to stdout."""
    handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        writer = csv.writer(handle)
        writer.writerow(("record_id", "identity_id", "confidence"))
        writer.writerows(result.rows())
    finally:
        if out:
            handle.close()


def _model(model_path: Path | None, model_dir: Path | None) -> PersonModel | None:
    try:
        if model_path:
            return PersonModel.load(model_path)
        return latest_version(model_dir) if model_dir else None
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{model_path or model_dir}: not a usable linkage model ({exc})") \
            from None


def summary(result: LinkResult) -> dict[str, Any]:
    """Counts a script can read (``--json``)."""
    return {"records": len(result.identities),
            "identities": len(set(result.identities.values())),
            "pairs_scored": result.pairs.num_rows, "to_review": len(result.review),
            "model_version": result.model.version, "trained_at": result.model.trained_at}


@click.command("link")
@click.argument("persons", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write record_id, identity_id, confidence (default: stdout).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("--model", "model_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Apply this trained model instead of training one.")
@click.option("--models", "model_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Model directory: use its newest version, save a new one after training.")
@click.option("--decisions", type=click.Path(path_type=Path, dir_okay=False),
              help="Reviewers' decisions: CSV with left, right, decision.")
@click.option("--previous", type=click.Path(path_type=Path, dir_okay=False),
              help="Clusters of an earlier run: their identity ids carry over.")
@click.option("--review", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the pairs to review (with their evidence) as JSON here.")
@click.option("--from-store", is_flag=True, help="Link the store's persons and objects.")
@click.option("--country", help="With --from-store: the country (alpha-3), e.g. KHM.")
def link(*, persons: tuple[Path, ...], out: Path | None, as_json: bool, model_path: Path | None,
          model_dir: Path | None, decisions: Path | None, previous: Path | None,
          review: Path | None, from_store: bool, country: str | None) -> None:
    """Link person records into identities (names in any of the region's scripts)."""
    if from_store:
        _link_store(country, as_json, persons)
        return
    if not persons:
        raise click.UsageError("give one or more person-list CSV files, or --from-store")
    missing = [str(p) for p in persons if not p.is_file()]
    if missing:
        raise InputError(f"no such file: {', '.join(missing)}")
    table, origin = read_person_lists(list(persons))
    model = _model(model_path, model_dir)
    try:
        result = link_persons(table, model, decisions=read_decisions(decisions) if decisions
                              else (), previous=read_previous(previous) if previous else None)
    except BadInput as exc:
        raise InputError(_located(exc, origin)) from None
    if model_dir and not (model and model.trained_at == result.model.trained_at):
        save_version(result.model, model_dir)
    write_clusters(result, out)
    if review:
        review.write_text(json.dumps([i.to_dict() for i in result.review], ensure_ascii=False,
                                     indent=1, default=str), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(summary(result), indent=2))
    else:
        s = summary(result)
        click.echo(f"{s['records']} records, {s['identities']} identities, "
                   f"{s['to_review']} pairs to review", err=True)


def _link_store(country: str | None, as_json: bool, persons: tuple[Path, ...]) -> None:
    if persons:
        raise click.UsageError("--from-store reads the store: give no files")
    if not country:
        raise click.UsageError("--from-store needs --country, e.g. --country KHM")
    from crossings.commands.common import require_store  # noqa: PLC0415 - Django on demand

    require_store()
    from crossings.web.intelligence.actions import UnknownCountry, link_country  # noqa: PLC0415

    try:
        outcome = link_country(country.upper())
    except UnknownCountry as exc:
        raise InputError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(outcome, indent=2))
    else:
        click.echo(f"{country.upper()}: {outcome['persons']} persons in "
                   f"{outcome['person_identities']} identities, {outcome['objects']} objects "
                   f"in {outcome['object_identities']} identities, "
                   f"{outcome['to_review']} pairs to review", err=True)
