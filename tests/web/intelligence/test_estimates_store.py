"""From the store to the estimate, end to end, against the generator's known totals.

The generated data (1,500 incidents, seed 2025, as in tests/estimation/test_demo_truth.py)
of the three countries whose units hold the lists is imported as each country's focal
point would (one batch per country, through its NFP unit) and approved; linkage runs per
country (``link_country``, first use), then PPRL encodings are matched across borders.

Measured (bootstrap 500, seed 1234), truth | people observed truth vs store | estimate
(interval):

* POIPET 2024 (bic): 1,050 | 372 vs 415 | 1,018 (813 to 1,856)
* POIPET 2025 (bic): 1,156 | 425 vs 486 | 1,260 (751 to 1,744)
* MAESOT 2024 (stepwise): 364 | 160 vs 164 | 478 (338 to 755)
* MAESOT 2025 (stepwise): 400 | 182 vs 190 | 390 (313 to 489)

Linkage under-links: at the PPRL threshold 0.8, 85 of the 122 Thai-Cambodian overlaps of
POIPET 2024 are found (93 of 149 in 2025; MAESOT 17 of 21 and 31 of 39), so the store
sees more people than there are, and missed overlaps inflate the estimate. That partly
offsets the heterogeneity that makes every method estimate too low (compare the truth
identities' estimates, 778 and 968 for POIPET): the intervals cover, but not because the
matching is right. The ``observed`` guard below fails if linkage gets much worse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from crossings.estimation import Estimator
from crossings.estimation.cli import estimate_frame
from crossings.estimation.lists import capture_histories
from crossings.synthetic import generate
from crossings.web.accounts.models import Unit
from crossings.web.intelligence.estimates import lists_from_store
from crossings.web.reporting.actions import import_files
from crossings.web.reporting.models import Record, Status
from tests.estimation.truth import populations

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
COUNTRIES = ("KHM", "MMR", "THA")
METHOD = {"POIPET": "bic", "MAESOT": "stepwise"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, incidents=1500, seed=2025)
    return out


def _load(out: Path) -> None:
    for code in COUNTRIES:
        unit = Unit.objects.get(country__code=code, kind="NFP")
        result = import_files(sorted((out / code).glob("*.csv")), unit.code)
        assert result.ok, result.problems[:3]
    Record.objects.update(status=Status.APPROVED, approved_at=timezone.now())


def test_store_estimate_covers_the_truth(generated: Path) -> None:
    _load(generated)
    found = []
    for name, pop in populations(generated).items():
        for year in ("2024", "2025"):
            drawn = lists_from_store(list(pop.units), year)
            frame = capture_histories(drawn.memberships, drawn.lists)
            results = estimate_frame(frame, Estimator(method=METHOD[name], bootstrap=500),
                                     count_column="count")
            truth = pop.years[year]
            low, high = results.interval
            found.append((name, year, truth["N"], truth["observed"], results.observed,
                          round(results.estimate), round(low), round(high)))
            assert sum(drawn.records.values()) == sum(truth["list_sizes"].values())
            assert 0.9 * truth["observed"] <= results.observed <= 1.25 * truth["observed"], found
    assert all(low <= n <= high for _, _, n, _, _, _, low, high in found), found
