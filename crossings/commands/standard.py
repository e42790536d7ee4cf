"""`crossings standard schema|docs`: the generated copies of the standard."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossings.standard.docs import markdown_reference
from crossings.standard.jsonschema import json_schema

SCHEMA_PATH = Path("docs/standard/crossings.schema.json")
DOCS_PATH = Path("docs/standard/reference.md")


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


@click.group()
def standard() -> None:
    """Write the JSON Schema or the Markdown reference of the data standard."""


def _write(text: str, out: str | None) -> None:
    if out in (None, "-"):
        click.echo(text, nl=False)
        return
    path = Path(str(out))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}", err=True)


@standard.command()
@click.option("--out", "-o", help=f"File to write (default: stdout; the committed copy is "
              f"{SCHEMA_PATH}).")
def schema(out: str | None) -> None:
    """JSON Schema (2020-12) of the nested JSON layout."""
    _write(schema_text(), out)


@standard.command()
@click.option("--out", "-o", help=f"File to write (default: stdout; the committed copy is "
              f"{DOCS_PATH}).")
def docs(out: str | None) -> None:
    """Markdown reference: every record type, field, type, code list and rule."""
    _write(markdown_reference(), out)


XLSFORM_PATH = Path("docs/standard/crossings_incident.xlsx")


@standard.command()
@click.option("--out", "-o", required=True,
              help=f"The .xlsx to write (the committed copy is {XLSFORM_PATH}); the XForm is "
                   "written beside it with the suffix .xml.")
def xlsform(out: str) -> None:
    """XLSForm of the incident for ODK Collect and KoboToolbox (English, Khmer, Thai)."""
    from crossings.standard.xlsform import xform_xml, xlsform_bytes  # noqa: PLC0415

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xlsform_bytes())
    xml = path.with_suffix(".xml")
    xml.write_text(xform_xml(path), encoding="utf-8")
    click.echo(f"wrote {path} and {xml}", err=True)
