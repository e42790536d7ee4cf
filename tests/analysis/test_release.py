"""Releases at each level: national as computed, partner and public through disclosure control."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crossings.analysis.disclosure import TOTAL
from crossings.analysis.indicators import BadRequest, Filters, compute, parse_period
from crossings.analysis.privacy import BudgetExceeded, Ledger, noisy_counts, privacy_loss
from crossings.analysis.release import release

FILTERS = Filters("KHM", period=parse_period("2025"))


def test_a_national_release_is_the_table_as_computed(store):
    table = compute(store, "migrants", FILTERS, ["citizenship"])
    out = release(table, "national")
    assert out.table.frame["value"].tolist() == table.frame["value"].tolist()


@pytest.mark.parametrize("by", [["month"], ["quarter", "sex"], ["location_type"],
                                ["citizenship", "age"]])
def test_a_partner_release_shows_no_small_count_and_only_multiples_of_five(store, by):
    table = compute(store, "migrants", FILTERS, by)
    frame = release(table, "partner").table.frame
    shown = frame["value"].dropna()
    assert ((shown == 0) | (shown >= 10)).all() and (shown % 5 == 0).all()
    assert set(frame.loc[frame["value"].isna(), "status"]) <= {"C"}
    assert (frame[by[0]] == TOTAL).any()  # margins are part of the release


def test_suppressed_cells_do_not_say_why(store):
    frame = release(compute(store, "migrants", FILTERS, ["quarter", "age"]), "partner").table.frame
    assert set(frame["status"]) <= {"", "C"}


def test_fee_statistics_need_enough_fees(store):
    table = compute(store, "fees", FILTERS, ["currency"])
    frame = release(table, "public").table.frame
    small = table.frame["n_fees"] < 10
    assert frame.loc[small.values, "fee_median_usd"].isna().all()
    assert frame.loc[~small.values, "fee_median_usd"].notna().all()


def test_a_public_noisy_release_is_recorded_in_the_ledger(store, tmp_path):
    ledger = Ledger(tmp_path / "ledger.jsonl", budget=1.5)
    table = compute(store, "incidents", FILTERS, ["location_type"])
    out = release(table, "public", epsilon=1.0, ledger=ledger)
    [entry] = ledger.entries()
    assert entry.epsilon == 1.0 and entry.scale == 1.0 and entry.cells >= len(table.frame)
    assert json.loads((tmp_path / "ledger.jsonl").read_text())["description"].startswith(
        "incidents by location_type")
    assert out.epsilon == 1.0 and out.table.frame["value"].dropna().mod(5).eq(0).all()
    with pytest.raises(BudgetExceeded):
        release(table, "public", epsilon=1.0, ledger=ledger)
    assert len(ledger.entries()) == 1


def test_noise_is_refused_where_its_calibration_does_not_hold(store, tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    with pytest.raises(BadRequest):
        release(compute(store, "migrants", FILTERS, ["sex"]), "public", epsilon=1.0, ledger=ledger)
    with pytest.raises(BadRequest):
        release(compute(store, "incidents", FILTERS, ["conduct"]), "public", epsilon=1.0,
                ledger=ledger)
    with pytest.raises(BadRequest):
        release(compute(store, "incidents", FILTERS), "partner", epsilon=1.0, ledger=ledger)
    assert not ledger.entries()


def test_discrete_laplace_noise_has_the_promised_scale():
    noisy = np.array(noisy_counts([100] * 4000, epsilon=0.5))
    assert noisy.dtype.kind == "i"
    # discrete Laplace with scale 2: mean 0, variance 2 e^{-1/2} / (1 - e^{-1/2})^2 = 7.84
    assert abs(noisy.mean() - 100) < 0.3
    assert 6.5 < noisy.var() < 9.0
    assert privacy_loss(0.5) == pytest.approx(0.5)
