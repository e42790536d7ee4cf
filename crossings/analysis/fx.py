"""Exchange rates shipped with Crossings, to normalise smuggling fees to US dollars.

The rates are yearly averages in ``data/exchange_rates.csv`` (national currency per US dollar);
their source, compilation date and caveats are in ``data/exchange_rates.yaml``. A fee is
converted with the rate of the year of its incident's detection; a year outside the table takes
the nearest year in it. A currency not in the table gives no US dollar amount (NULL), so that it
is visible as missing instead of silently wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class RateTable:
    """Units of each currency per US dollar, by year, with the table's metadata."""

    rates: dict[str, dict[int, float]]
    metadata: dict[str, Any]

    def rate(self, currency: str, year: int) -> tuple[float, int] | None:
        """The rate for a currency in a year, and the year it was taken from."""
        by_year = self.rates.get(currency.upper())
        if not by_year:
            return None
        used = year if year in by_year else min(by_year, key=lambda y: (abs(y - year), -y))
        return by_year[used], used

    def to_usd(self, amount: float | None, currency: str | None,
               year: int) -> tuple[float | None, int | None]:
        """An amount in US dollars and the rate year used; (None, None) when not convertible."""
        if amount is None or not currency:
            return None, None
        found = self.rate(currency, year)
        if found is None:
            return None, None
        rate, used = found
        return amount / rate, used


@cache
def load_rates(path: Path | None = None) -> RateTable:
    """Read the shipped rate table (or another file of the same layout)."""
    path = path or DATA / "exchange_rates.csv"
    rates: dict[str, dict[int, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rates.setdefault(row["currency"], {})[int(row["year"])] = float(row["units_per_usd"])
    meta_path = path.with_suffix(".yaml")
    metadata = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return RateTable(rates, metadata)
