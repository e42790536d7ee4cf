"""Aggregate returns: monthly indicator counts from states that report totals, not incidents.

Malaysia and Indonesia report only these; Thailand and Cambodia add a few series. Levels scale
with the size of the generation and follow the land or sea season.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pyarrow as pa

from crossings.synthetic import formats as fm
from crossings.synthetic.population import YEAR_FACTOR, YEARS
from crossings.synthetic.scenarios import Catalogue

# indicator, border country, border type, citizenships, sexes, season, monthly level per 1,000
SERIES: dict[str, tuple[tuple[str, str | None, str, tuple[str, ...], bool, str, float], ...]] = {
    "MYS": (
        ("SMUGGLED_MIGRANTS_IDENTIFIED", "THA", "LAND", ("MMR", "KHM", "THA", "STATELESS"), True,
         "land", 6.0),
        ("SMUGGLED_MIGRANTS_IDENTIFIED", None, "SEA", ("STATELESS", "MMR", "BGD", "IDN"), True,
         "sea", 8.0),
        ("IRREGULAR_ENTRIES_BETWEEN_BCP", "THA", "LAND", ("MMR", "KHM", "STATELESS"), False,
         "land", 5.0),
        ("ILLEGAL_STAY", None, "LAND", ("IDN", "MMR", "BGD", "VNM", "KHM"), False, "flat", 12.0),
        ("FACILITATORS_DETECTED", None, "SEA", ("MYS", "MMR", "IDN", "STATELESS"), False, "sea",
         1.0),
        ("FALSE_DOCUMENT_USERS", None, "AIR", ("VNM", "MMR", "BGD"), False, "flat", 1.5),
        ("REFUSALS_OF_ENTRY", None, "AIR", ("VNM", "BGD", "MMR"), False, "flat", 4.0),
        ("RETURNS", None, "LAND", ("IDN", "MMR", "BGD"), False, "flat", 9.0),
        ("DEATHS", None, "SEA", ("STATELESS",), False, "sea", 0.4),
    ),
    "IDN": (
        ("SMUGGLED_MIGRANTS_IDENTIFIED", None, "SEA", ("STATELESS", "BGD", "MMR"), True, "sea",
         7.0),
        ("ILLEGAL_EXITS", "MYS", "SEA", ("IDN",), True, "flat", 6.0),
        ("FACILITATORS_DETECTED", None, "SEA", ("IDN", "MYS", "STATELESS"), False, "sea", 0.8),
        ("RETURNS", "MYS", "SEA", ("IDN",), False, "flat", 10.0),
        ("DEATHS", None, "SEA", ("STATELESS", "IDN"), False, "sea", 0.5),
    ),
    "THA": (("RETURNS", "KHM", "LAND", ("KHM",), False, "land", 6.0),
            ("RETURNS", "MMR", "LAND", ("MMR",), False, "land", 7.0)),
    "KHM": (("SMUGGLED_MIGRANTS_IDENTIFIED", "THA", "LAND", ("KHM",), False, "land", 5.0),),
}


def aggregate_returns(country: str, cat: Catalogue, scale: float,
                      rng: np.random.Generator) -> dict[str, pa.Array]:
    """Every monthly row of ``country``'s returns, 2023-01 to 2025-12."""
    rows: dict[str, list[Any]] = {k: [] for k in (
        "period", "indicator", "border_country", "border_type", "citizenship", "sex",
        "age_group", "mean")}
    months = [(y, m, f) for y, f in zip(YEARS, YEAR_FACTOR, strict=True) for m in range(1, 13)]
    for indicator, border, btype, cits, by_sex, season, level in SERIES.get(country, ()):
        weights = cat.seasons[season]
        sexes: tuple[str | None, ...] = ("FEMALE", "MALE") if by_sex else (None,)
        for (year, month, factor), cit, sex in itertools.product(months, cits, sexes):
            share = 1.0 / (1 + cits.index(cit)) / len(sexes)
            rows["period"].append(f"{year}-{month:02d}")
            for key, value in (("indicator", indicator), ("border_country", border),
                               ("border_type", btype), ("citizenship", cit), ("sex", sex),
                               ("age_group", "_T" if by_sex else None)):
                rows[key].append(value)
            rows["mean"].append(level * scale * factor * weights[month - 1] * share)
    n = len(rows["period"])
    counts = rng.poisson(np.array(rows["mean"], dtype=float))
    table = {k: pa.array(v, pa.string()) for k, v in rows.items() if k != "mean"}
    table["value"] = fm.text(counts)
    table["return_ref"] = fm.join(f"{country}-AGG-", fm.digits(np.arange(1, n + 1), 6))
    return table
