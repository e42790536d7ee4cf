"""The `crossings` command. Subcommands are verbs; results go to stdout, messages to stderr.

Exit codes:
  0  success
  1  the data was rejected: problems were found and nothing was stored
  2  usage error: a missing file, an unknown unit, a wrong option or mapping
  3  the store is not ready (run `crossings init`) or cannot be reached
  70 internal error (a bug: please report it; CROSSINGS_DEBUG=1 shows the traceback)
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from crossings.commands import access, analysis, data, demo, report, standard
from crossings.commands.common import EXIT_INTERNAL
from crossings.estimation.cli import estimate
from crossings.linkage.cli import link
from crossings.synthetic.cli import generate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crossings")
def cli() -> None:
    """Crossings: report, share and analyse data on the smuggling of migrants."""


for command in (demo.init, demo.demo, demo.serve, data.import_command, data.export, data.units,
                standard.standard, generate, estimate, access.token, access.audit,
                analysis.analytics, analysis.indicators, report.report, link):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: user errors are one line and an exit code, never a traceback."""
    try:
        return cli.main(args=argv, prog_name="crossings", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence for users
        if os.environ.get("CROSSINGS_DEBUG") == "1":
            raise
        click.echo(f"crossings: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("Please report this; run with CROSSINGS_DEBUG=1 to see the details.",
                   err=True)
        sys.exit(EXIT_INTERNAL)
