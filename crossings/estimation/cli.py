"""``crossings estimate``: multiple systems estimation from a capture-history CSV or the store.

The click command only parses options and prints; :func:`estimate_frame` does the work
on a DataFrame, so that other sources (such as the record store) can call it too. With
``--from-store`` the lists are drawn from the record store by
``crossings.web.intelligence.estimates.lists_from_store``, imported only then, so that the
table path needs no Django.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from crossings.estimation.estimator import Estimator
from crossings.estimation.lists import capture_histories
from crossings.estimation.results import INTERVAL_TITLES, EstimationResults
from crossings.estimation.strata import StratifiedResults, fit_strata, split_frame
from crossings.estimation.table import CaptureTable, TableError, read_csv

CLI_METHODS = ("stepwise", "bic", "aic", "bayes", "main")
CANDIDATES_SHOWN = 10


class InputError(click.ClickException):
    """A user error: one line on stderr and exit code 2."""

    exit_code = 2


def estimate_frame(
    frame: pd.DataFrame,
    estimator: Estimator,
    by: str | None = None,
    count_column: str | None = None,
    source: str = "table",
) -> EstimationResults | StratifiedResults:
    """Estimate from a capture-history DataFrame, by stratum when ``by`` is given.

    Raises:
        TableError: When the frame is not a valid capture-history table.
        ValueError: When the method cannot be applied (e.g. too many models).
    """
    if by is None:
        return estimator.fit(CaptureTable.from_frame(frame, count_column, source=source))
    return fit_strata(estimator, split_frame(frame, by, count_column, source), by)


@click.command("estimate")
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--from-store", is_flag=True,
              help="Draw the lists from the record store instead of TABLE.csv.")
@click.option("--lists", "units", default=None,
              help="--from-store: unit codes, one list each, comma-separated.")
@click.option("--period", default=None,
              help="--from-store: 2025, 2025-H1, 2025-Q3 or 2025-03.")
@click.option("--method", type=click.Choice(CLI_METHODS), default="stepwise", show_default=True,
              help="Model selection rule, or Bayesian model averaging.")
@click.option("--max-order", type=click.IntRange(1, 11), default=None,
              help="Highest interaction order searched by --method bic.")
@click.option("--bootstrap", "replicates", type=click.IntRange(0), default=1000,
              show_default=True, help="Bootstrap resamples for the BCa interval; 0: model-based.")
@click.option("--seed", type=int, default=1234, show_default=True,
              help="Seed of the bootstrap; the same seed gives the same interval.")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="p-value threshold (stepwise 0.02, aic 0.05).")
@click.option("--by", default=None, help="Column to estimate by (e.g. year; from the store: "
              "citizenship or sex); totals combined.")
@click.option("--count-column", default=None, help="Name of the count column if not obvious.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def estimate(
    *,
    table: Path | None,
    from_store: bool,
    units: str | None,
    period: str | None,
    method: str,
    max_order: int | None,
    replicates: int,
    seed: int,
    threshold: float | None,
    by: str | None,
    count_column: str | None,
    as_json: bool,
) -> None:
    """Estimate how many people the lists in TABLE.csv missed, with an interval.

    TABLE.csv has one 0/1 column per list, a count column and, with --by, a stratum
    column. Or, with --from-store --lists UNIT,UNIT --period 2025, the lists are the
    smuggled migrants each unit reported in the period, recognised across lists (and
    borders) by linkage.
    """
    estimator = Estimator(method=method, max_order=max_order, bootstrap=replicates, seed=seed,
                          threshold=threshold)
    if from_store == (table is not None):
        raise click.UsageError("give either TABLE.csv or --from-store, not both or neither")
    if from_store:
        frame, source, count_column = _store_frame(units, period, by), "store", "count"
    elif units is not None or period is not None:
        raise click.UsageError("--lists and --period go with --from-store")
    source = "store" if from_store else str(table)
    try:
        if table is not None:
            frame = read_csv(table)
        results = estimate_frame(frame, estimator, by, count_column, source)
    except TableError as exc:
        raise InputError(exc.one_line()) from exc
    except ValueError as exc:
        raise InputError(f"{source}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(results.to_dict(), indent=2, allow_nan=False))
    else:
        click.echo(render(results))


def _store_frame(units: str | None, period: str | None, by: str | None) -> pd.DataFrame:
    """The capture histories of the store's lists (Django is set up only here)."""
    if not units or not period:
        raise click.UsageError("--from-store needs --lists UNIT,UNIT[,...] and --period")
    from crossings.commands.common import require_store  # noqa: PLC0415 - Django on demand

    require_store()
    from crossings.web.intelligence.estimates import (  # noqa: PLC0415
        EstimateInputError,
        lists_from_store,
    )

    try:
        drawn = lists_from_store(units.split(","), period, by=by, user=None)
        frame = capture_histories(drawn.memberships, drawn.lists, by=by, source="store")
    except EstimateInputError as exc:
        raise InputError(str(exc)) from exc
    except TableError as exc:
        raise InputError(f"{exc.one_line()} (period {period})") from exc
    if drawn.linked:
        click.echo(f"linked {', '.join(drawn.linked)} first (no current linkage run)", err=True)
    account = drawn.to_dict()
    click.echo(f"{account['people_observed']:,} people on {len(drawn.lists)} lists in "
               f"{drawn.period.label}; encodings sent {account['encodings_sent']}, "
               f"matched across borders {account['cross_border_matches']}", err=True)
    return frame


def render(results: EstimationResults | StratifiedResults) -> str:
    """Human-readable report: the estimate, then the candidates, then the warnings."""
    if isinstance(results, StratifiedResults):
        return _render_strata(results)
    data = results.to_dict()
    low, high = data["interval"]
    level = f"{100 * data['level']:g}% {INTERVAL_TITLES[data['interval_kind']]}"
    lines = [
        f"Method     {data['method']}",
        f"Lists      {', '.join(data['lists'])}",
        f"Observed   {data['observed']:,}",
        f"Model      {data['model']}",
        f"Estimate   {_fmt(data['estimate'])}",
        f"Interval   {_fmt(low)} to {_fmt(high)}  ({level})",
        "",
        *_candidate_table(data["candidates"]),
    ]
    if data["warnings"]:
        lines += ["", "Warnings:", *[f"  - {w}" for w in data["warnings"]]]
    return "\n".join(lines)


def _render_strata(results: StratifiedResults) -> str:
    data = results.to_dict()
    rows = [(label, s["observed"], s["estimate"], *s["interval"], s["model"])
            for label, s in data["strata"].items()]
    rows.append(("TOTAL", data["observed"], data["estimate"], *data["interval"], ""))
    width = max(len(str(r[0])) for r in rows) + 2
    lines = [f"{data['by']:<{width}}{'observed':>10}{'estimate':>10}{'lower':>10}{'upper':>10}"
             "  model"]
    lines += [f"{r[0]:<{width}}{r[1]:>10,}{_fmt(r[2]):>10}{_fmt(r[3]):>10}{_fmt(r[4]):>10}"
              f"  {r[5]}" for r in rows]
    lines += ["", f"Total interval: {data['combination']}."]
    return "\n".join(lines)


def _candidate_table(candidates: list[dict[str, Any]]) -> list[str]:
    """The first candidates as a fixed-width table."""
    if not candidates:
        return []
    if "posterior_probability" in candidates[0]:
        head = f"{'model':<40}{'posterior':>10}{'estimate':>10}"
        body = [f"{c['model'][:39]:<40}{c['posterior_probability']:>10.3f}"
                f"{_fmt(c['estimate']):>10}" for c in candidates[:CANDIDATES_SHOWN]]
    else:
        head = f"{'model':<40}{'estimate':>10}{'deviance':>10}{'AIC':>9}{'BIC':>9}{'df':>5}  MLE"
        body = [
            f"{c['model'][:39]:<40}{_fmt(c['estimate']):>10}{_fmt(c['deviance'], 1):>10}"
            f"{_fmt(c['aic'], 1):>9}{_fmt(c['bic'], 1):>9}{c['df']:>5}  "
            f"{'yes' if c['mle_exists'] and c['identifiable'] else 'no'}"
            for c in candidates[:CANDIDATES_SHOWN]
        ]
    more = len(candidates) - CANDIDATES_SHOWN
    tail = [f"... and {more} more candidate models (see --json)"] if more > 0 else []
    return ["Candidate models:", head, *body, *tail]


def _fmt(value: float | None, digits: int = 0) -> str:
    """Thousands-separated number, ``-`` when missing."""
    return "-" if value is None else f"{value:,.{digits}f}"
