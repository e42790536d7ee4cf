"""Releasing an indicator table at a level: national, partner (also the hub) or public.

* ``national``: the table as computed, for use inside the owning country.
* ``partner``: disclosure control (:mod:`crossings.analysis.disclosure`): margins added,
  small cells suppressed, secondary suppression audited, counts rounded to base 5.
* ``public``: as partner, optionally after differentially private noise (:mod:`privacy`) on
  incident counts, recorded in the privacy ledger.

Suppressed cells are released empty with status ``C`` (confidential); nothing says whether a
cell was suppressed for being small or to protect another (that would tell which are small).
Fee statistics (quartiles) are released only when they rest on at least ``threshold`` fees and
``min_incidents`` incidents, rounded to whole US dollars.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from crossings.analysis import disclosure as sdc
from crossings.analysis.indicators import BadRequest, IndicatorTable
from crossings.analysis.privacy import Ledger, noisy_counts
from crossings.analysis.queries import MEASURES, dimension
from crossings.standard.model import load_standard

LEVELS = ("national", "partner", "public")
CODELIST_OF = {"location_type": "location_type", "direction": "movement_direction",
               "detection_method": "detection_method", "transport_mode": "transport_mode",
               "concealment": "concealment", "legal_qualification": "legal_qualification",
               "benefit": "benefit_element", "source_type": "source_type",
               "confidence": "confidence", "document_type": "document_type",
               "fraud_type": "fraud_type", "harm_type": "harm_type",
               "cause_of_death": "cause_of_death"}
"""Breakdowns with a code list: the domain of a noisy histogram (every code, even if absent)."""


@dataclass
class Release:
    """A table ready to leave: its frame (with margins and ``status``), level and rules."""

    table: IndicatorTable
    level: str
    rules: sdc.Rules
    suppressed: int = 0
    epsilon: float | None = None
    notes: list[str] = field(default_factory=list)


def release(table: IndicatorTable, level: str, rules: sdc.Rules | None = None, *,
            epsilon: float | None = None, ledger: Ledger | None = None) -> Release:
    """Apply the disclosure rules of ``level`` to an indicator table."""
    if level not in LEVELS:
        raise BadRequest(f"release level must be one of {', '.join(LEVELS)}, not '{level}'")
    rules = rules or sdc.Rules()
    if epsilon is not None and level != "public":
        raise BadRequest("differentially private noise is for public releases")
    if level == "national":
        frame = table.frame.assign(status="")
        return Release(replace(table, frame=frame), level, rules)
    if table.values != ("value",):
        return _release_statistics(table, level, rules)
    noted: list[str] = []
    if epsilon is not None:
        table = _noisy(table, epsilon, ledger or _no_ledger())
        noted.append(f"differentially private noise, epsilon {epsilon} (discrete Laplace)")
    protected = sdc.protect(_as_table(table), rules)
    frame = _frame(table, protected)
    noted.append(f"cells under {rules.threshold} suppressed, with secondary suppression; "
                 f"counts rounded to base {rules.base}")
    return Release(replace(table, frame=frame), level, rules, len(protected.suppressed),
                   epsilon, noted)


def _no_ledger() -> Ledger:
    raise BadRequest("a noisy release must be recorded: give the privacy ledger")


def _axes(table: IndicatorTable) -> list[bool]:
    measure = MEASURES[table.indicator]
    return [not dimension(measure, b).multi for b in table.by]


def _cells(table: IndicatorTable, column: str) -> dict[sdc.Key, int]:
    keys = table.frame[list(table.by)].astype(str).itertuples(index=False, name=None)
    return {tuple(k): int(v) for k, v in zip(keys, table.frame[column], strict=True)}


def _as_table(table: IndicatorTable) -> sdc.Table:
    values, counts = _cells(table, "value"), _cells(table, "n_incidents")
    if not table.by:
        return sdc.Table(values, [], counts)
    return sdc.cube(values, additive_axes=_axes(table), n_incidents=counts)


def _frame(table: IndicatorTable, protected: sdc.Protected) -> pd.DataFrame:
    rows = []
    for key in protected.table.cells:
        value, n = protected.released[key], protected.released_n.get(key)
        rows.append((*key, value, n, "C" if value is None else ""))
    frame = pd.DataFrame(rows, columns=[*table.by, "value", "n_incidents", "status"])
    frame["value"] = frame["value"].astype("Int64")
    frame["n_incidents"] = frame["n_incidents"].astype("Int64")
    return frame.sort_values(list(table.by)).reset_index(drop=True) if table.by else frame


def _release_statistics(table: IndicatorTable, level: str, rules: sdc.Rules) -> Release:
    frame = table.frame.copy()
    small = (frame["n_fees"] < rules.threshold) | (frame["n_incidents"] < rules.min_incidents)
    for column in table.values:
        if column == "n_fees":
            frame[column] = frame[column].map(lambda v: sdc.round_to(int(v), rules.base))
        else:
            frame[column] = frame[column].round(0)
        frame.loc[small, column] = None
    frame["n_incidents"] = [None if s else sdc.round_to(int(n), rules.base)
                            for s, n in zip(small, frame["n_incidents"], strict=True)]
    frame["status"] = ["C" if s else "" for s in small]
    return Release(replace(table, frame=frame), level, rules, int(small.sum()), None,
                   [f"statistics resting on fewer than {rules.threshold} fees suppressed"])


def _domain(table: IndicatorTable) -> list[list[str]]:
    standard = load_standard()
    axes = []
    for name in table.by:
        seen = set(table.frame[name].astype(str))
        if name in CODELIST_OF:
            seen |= set(standard.codelists[CODELIST_OF[name]].codes)
        elif name == "month" and table.filters.period:
            p = table.filters.period
            seen |= {f"{p.year:04d}-{m:02d}" for m in range(p.first_month, p.last_month + 1)}
        axes.append(sorted(seen))
    return axes


def _noisy(table: IndicatorTable, epsilon: float, ledger: Ledger) -> IndicatorTable:
    """Incident counts with discrete Laplace noise over the whole domain of the breakdown."""
    if table.indicator != "incidents" or not all(_axes(table)):
        raise BadRequest("noise is calibrated for incident counts by single-valued breakdowns "
                         "(each incident in one cell); use the partner rules for this table")
    cells = _cells(table, "value")
    keys = [tuple(k) for k in itertools.product(*_domain(table))] if table.by else [()]
    noisy = noisy_counts([cells.get(k, 0) for k in keys], epsilon)
    ledger.record(f"{table.indicator} by {', '.join(table.by) or 'total'} "
                  f"({table.filters.country or 'all'}, "
                  f"{table.filters.period.label if table.filters.period else 'all periods'})",
                  epsilon, 1, len(keys))
    clamped = [max(0, v) for v in noisy]
    frame = pd.DataFrame([(*k, v, v) for k, v in zip(keys, clamped, strict=True)],
                         columns=[*table.by, "value", "n_incidents"])
    return replace(table, frame=frame)


def ledger_at(var_dir: Path, budget: float | None = None) -> Ledger:
    """The privacy ledger of a node, under its var directory."""
    return Ledger(var_dir / "privacy_ledger.jsonl", budget)
