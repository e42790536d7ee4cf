"""`crossings report`: the situation report of one country and period, as PDF and HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crossings.commands.common import EXIT_USAGE, require_store


@click.command("report")
@click.option("--country", required=True, help="ISO 3166-1 alpha-3 code, e.g. KHM.")
@click.option("--period", required=True, help="2025, 2025-H1, 2025-Q3 or 2025-03.")
@click.option("--lang", type=click.Choice(["en", "km", "th"]), default="en", show_default=True)
@click.option("--flow", type=click.Choice(["from", "through", "to"]), default="from",
              show_default=True, help="Routes, crossing points and trends from, through or to "
                                      "the country.")
@click.option("--release", "level", type=click.Choice(["national", "partner", "public"]),
              default="national", show_default=True,
              help="national: the country's own records exact, others' disclosure-controlled; "
                   "partner, public: every figure disclosure-controlled.")
@click.option("--out", "-o", help="The PDF to write (the HTML goes beside it); default "
                                  "report-COUNTRY-PERIOD-LANG.pdf.")
def report(*, country: str, period: str, lang: str, flow: str, level: str,
           out: str | None) -> None:
    """Write the situation report (PDF and HTML) of a country and period."""
    require_store()
    from crossings.analysis.indicators import BadRequest, parse_period  # noqa: PLC0415
    from crossings.analysis.panels import View  # noqa: PLC0415
    from crossings.analysis.report import build  # noqa: PLC0415
    from crossings.web.dashboards.scope import country_scope  # noqa: PLC0415
    from crossings.web.dashboards.sync import current_store  # noqa: PLC0415
    from crossings.web.dashboards.views import places  # noqa: PLC0415

    code = country.upper()
    try:
        view = View(code, parse_period(period), flow)
    except BadRequest as exc:
        click.echo(f"crossings report: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    target = Path(out or f"report-{code}-{view.period.label}-{lang}.pdf")
    made = build(current_store(), country_scope(code, level), view, places(), lang=lang)
    made.write_pdf(target)
    target.with_suffix(".html").write_text(made.document(), encoding="utf-8")
    click.echo(f"{target} and {target.with_suffix('.html')}", err=True)
