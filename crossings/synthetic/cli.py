"""``crossings generate``: write a seeded synthetic data set (the lead wires it into the CLI)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crossings.synthetic.generate import generate as run


@click.command("generate")
@click.option("--incidents", type=int, default=None,
              help="Number of incidents (default 1,000, or persons / 5).")
@click.option("--persons", type=int, default=None,
              help="About this many person records (default incidents x 5).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Same seed and options give byte-identical files.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.argument("out", type=click.Path(path_type=Path))
def generate(incidents: int | None, persons: int | None, seed: int, as_json: bool,
             out: Path) -> None:
    """Write synthetic incidents, persons, objects and ground truth to OUT."""
    for name, value in (("--incidents", incidents), ("--persons", persons)):
        if value is not None and value < 1:
            raise click.UsageError(f"{name} must be at least 1, not {value}.")
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"{out} exists and is not a directory.")
    progress = _progress if sys.stderr.isatty() else None
    summary = run(out, incidents=incidents, persons=persons, seed=seed, progress=progress)
    if progress:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(f"{summary.incidents} incidents, {summary.persons} persons written to {out}")


def _progress(done: int, total: int) -> None:
    click.echo(f"\r{done:,} / {total:,} incidents", err=True, nl=False)
