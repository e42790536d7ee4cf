"""`crossings analytics` (the analytical store) and `crossings indicators` (released tables)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crossings.commands.common import EXIT_USAGE, echo_json, require_store, setup_django

if TYPE_CHECKING:
    from crossings.analysis.release import Release
    from crossings.analysis.store import AnalyticsStore

FORMATS = ("csv", "xlsx", "sdmx-ml", "sdmx-csv", "json")
DEFAULT_INDICATORS = ("incidents", "migrants", "children", "unaccompanied_children",
                      "facilitators_detected", "facilitators_arrested", "dead", "missing",
                      "fraudulent_documents")


@click.group("analytics")
def analytics() -> None:
    """The analytical store (DuckDB, beside the record store), derived from approved records."""


@analytics.command("rebuild")
def rebuild() -> None:
    """Rebuild the analytical store from every approved or shared record."""
    require_store()
    from crossings.web.dashboards.sync import rebuild_analytics, store_path  # noqa: PLC0415

    count = rebuild_analytics()
    click.echo(f"{count} records in {store_path()}", err=True)


@analytics.command("sync")
def sync() -> None:
    """Apply what changed since the last refresh (approvals, revisions, withdrawals)."""
    require_store()
    from crossings.web.dashboards.sync import sync_analytics  # noqa: PLC0415

    result = sync_analytics()
    click.echo(f"{result.upserted} updated, {result.removed} removed "
               f"({result.seconds:.2f} s)", err=True)


def _store(path: str | None) -> AnalyticsStore:
    from crossings.analysis.store import AnalyticsStore  # noqa: PLC0415

    if path:
        if not Path(path).is_file():
            raise click.UsageError(f"no such analytical store: {path}")
        return AnalyticsStore(path)
    setup_django()
    from crossings.web.dashboards.sync import store_path  # noqa: PLC0415

    if not store_path().is_file():
        raise click.UsageError("the analytical store is missing: run `crossings analytics "
                               "rebuild` first")
    return AnalyticsStore(store_path())


def _releases(store: AnalyticsStore, names: list[str], *, country: str | None, flow: str,
              period: str | None, by: list[str], level: str,
              epsilon: float | None) -> list[Release]:
    from crossings.analysis.indicators import Filters, compute, parse_period  # noqa: PLC0415
    from crossings.analysis.release import ledger_at, release  # noqa: PLC0415

    filters = Filters(country.upper() if country else None, flow,
                      parse_period(period) if period else None)
    ledger = None
    if epsilon is not None:
        setup_django()
        from django.conf import settings  # noqa: PLC0415

        ledger = ledger_at(Path(settings.VAR_DIR))
    return [release(compute(store, name, filters, by), level, epsilon=epsilon, ledger=ledger)
            for name in names]


def _write(releases: list[Release], fmt: str, out: str | None) -> None:
    from crossings.exchange import sdmx, tables  # noqa: PLC0415

    if fmt in ("xlsx", "sdmx-ml") and not out and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} needs --out FILE (or a redirect)")
    target = Path(out) if out else None
    if fmt == "json":
        echo_json([{**r.table.to_dict(), "release": r.level, "release_notes": r.notes}
                   for r in releases])
    elif fmt == "csv":
        (target.write_text(tables.to_csv(releases), encoding="utf-8-sig") if target
         else click.echo(tables.to_csv(releases), nl=False))
    elif fmt == "xlsx":
        tables.write_xlsx(releases, target or Path("/dev/stdout"))
    else:
        path = target or Path("/dev/stdout")
        sdmx.write(releases, fmt, path)


@click.command("indicators")
@click.option("--country", help="ISO 3166-1 alpha-3 code, e.g. KHM.")
@click.option("--flow", type=click.Choice(["reported", "from", "through", "to"]),
              default="reported", show_default=True,
              help="Incidents reported by the country, or whose route starts in, passes "
                   "through or ends in it.")
@click.option("--period", help="2025, 2025-H1, 2025-Q3 or 2025-03.")
@click.option("--indicator", "-i", "names", multiple=True,
              help="Indicator(s); default: every count indicator.")
@click.option("--by", "by", multiple=True,
              help="Breakdown(s), e.g. --by month --by sex (or month,sex).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--out", "-o", help="Write to this file instead of stdout.")
@click.option("--release", "level", type=click.Choice(["national", "partner", "public"]),
              default="partner", show_default=True,
              help="Disclosure rules: national (none), partner or public (suppression, "
                   "secondary suppression, rounding to 5).")
@click.option("--epsilon", type=float,
              help="Public releases: add differentially private noise (incident counts), "
                   "recorded in the privacy ledger.")
@click.option("--store", "store_file", help="Path of an analytical store (default: the node's).")
def indicators(*, country: str | None, flow: str, period: str | None, names: tuple[str, ...],
               by: tuple[str, ...], fmt: str, out: str | None, level: str,
               epsilon: float | None, store_file: str | None) -> None:
    """Indicator tables from the analytical store, through disclosure control."""
    from crossings.analysis.indicators import BadRequest  # noqa: PLC0415
    from crossings.analysis.privacy import BudgetExceeded  # noqa: PLC0415
    from crossings.exchange.sdmx import SdmxError  # noqa: PLC0415

    store = _store(store_file)
    breakdown = [part for item in by for part in item.split(",") if part]
    chosen = list(names) or list(DEFAULT_INDICATORS)
    try:
        releases = _releases(store, chosen, country=country, flow=flow, period=period,
                             by=breakdown, level=level, epsilon=epsilon)
        _write(releases, fmt, out)
    except (BadRequest, SdmxError, BudgetExceeded) as exc:
        click.echo(f"crossings indicators: {exc}", err=True)
        sys.exit(EXIT_USAGE)
