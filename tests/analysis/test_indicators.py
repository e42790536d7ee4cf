"""Indicators from the store agree with the same figures counted directly from the documents."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from crossings.analysis.flatten import route_columns
from crossings.analysis.fx import load_rates
from crossings.analysis.indicators import BadRequest, Filters, compute, parse_period

YEAR = 2025


def incidents_of(records, country=None, year=YEAR):
    return [r for r in records if "incident_ref" in r.data
            and (country is None or r.country == country)
            and r.data["detection_date"].startswith(str(year))]


def as_dict(table, key="value"):
    return dict(zip(table.frame[table.by[0]], table.frame[key], strict=True))


def test_incidents_by_month_match_the_documents(records, store):
    mine = incidents_of(records, "KHM")
    expected = Counter(r.data["detection_date"][:7] for r in mine
                       if len(r.data["detection_date"]) >= 7)
    expected["EMPTY"] = sum(len(r.data["detection_date"]) == 4 for r in mine)
    table = compute(store, "incidents", Filters("KHM", period=parse_period("2025")), ["month"])
    assert as_dict(table) == {k: v for k, v in expected.items() if v}
    assert (table.frame["value"] == table.frame["n_incidents"]).all()


def test_a_quarter_leaves_out_incidents_dated_only_to_the_year(records, store):
    mine = incidents_of(records, "THA")
    expected = sum(r.data["detection_date"][5:7] in ("04", "05", "06") for r in mine)
    table = compute(store, "incidents", Filters("THA", period=parse_period("2025-Q2")))
    assert table.frame["value"].tolist() == [expected]
    assert any("year" in note for note in table.notes)


def test_migrants_by_sex_add_up_to_the_migrants(records, store):
    groups = [g for r in incidents_of(records, "KHM") for g in r.data.get("migrant_groups", [])]
    def s(name):
        return sum(g.get(name) or 0 for g in groups)
    rest = sum(max(g["total"] - (g.get("female") or 0) - (g.get("male") or 0)
                   - (g.get("sex_unknown") or 0), 0) for g in groups)
    table = compute(store, "migrants", Filters("KHM", period=parse_period("2025")), ["sex"])
    assert as_dict(table) == {"FEMALE": s("female"), "MALE": s("male"),
                              "UNKNOWN": s("sex_unknown"), "NOT_RECORDED": rest}
    assert table.frame["value"].sum() == s("total")


@pytest.mark.parametrize("flow", ["from", "through", "to"])
def test_from_through_and_to_follow_the_route_rule(records, store, flow):
    def selected(record):
        found = route_columns(record.data.get("route_legs", []),
                              record.data.get("migrant_groups", []))
        return {"from": found["origin"] == "THA", "to": found["destination"] == "THA",
                "through": "THA" in found["transit"]}[flow]
    chosen = [r for r in incidents_of(records) if selected(r)]
    expected = Counter()
    for record in chosen:
        for g in record.data.get("migrant_groups", []):
            expected[g["citizenship"]] += g["total"]
    table = compute(store, "migrants", Filters("THA", flow, parse_period("2025")),
                    ["citizenship"])
    assert {k: v for k, v in as_dict(table).items() if v} == {k: v for k, v in expected.items()
                                                                if v}
    assert chosen, "the sample should have such incidents"


def test_fee_quartiles_are_in_us_dollars_per_person(records, store):
    rates = load_rates()
    amounts = [f["amount"] / rates.rate(f["currency"], YEAR)[0]
               for r in incidents_of(records, "KHM") for f in r.data.get("fee_observations", [])
               if f.get("unit") == "PER_PERSON" and f.get("currency") == "THB"]
    table = compute(store, "fees", Filters("KHM", period=parse_period("2025")), ["currency"])
    row = table.frame.set_index("currency").loc["THB"]
    assert row["n_fees"] == len(amounts)
    assert row["fee_median_usd"] == pytest.approx(np.median(amounts))
    assert row["fee_q1_usd"] == pytest.approx(np.quantile(amounts, 0.25))


def test_deaths_follow_the_sdg_10_7_3_exclusion(records, store):
    harms = [h for r in incidents_of(records) for h in r.data.get("harm_observations", [])]
    kept = sum(h.get("dead") or 0 for h in harms if h.get("in_detention_or_after_return") != "YES")
    assert compute(store, "dead", Filters(period=parse_period("2025"))).frame["value"][0] == kept
    by_cause = compute(store, "dead", Filters(period=parse_period("2025")), ["cause_of_death"])
    assert by_cause.frame["value"].sum() == kept


def test_the_per_incident_shortcut_and_the_join_give_the_same_migrants(store):
    filters = Filters("MYS", period=parse_period("2024"))
    fast = compute(store, "migrants", filters, ["location_type"])
    joined = compute(store, "migrants", filters, ["location_type", "citizenship"])
    summed = joined.frame.groupby("location_type")["value"].sum().to_dict()
    assert as_dict(fast) == dict(summed.items())


def test_a_multi_valued_breakdown_is_flagged_as_not_additive(store):
    table = compute(store, "facilitators_detected", Filters(period=parse_period("2025")),
                    ["role"])
    total = compute(store, "facilitators_detected", Filters(period=parse_period("2025")))
    assert not table.additive and table.frame["value"].sum() >= total.frame["value"][0]


def test_every_figure_says_how_many_incidents_it_rests_on(store):
    table = compute(store, "fraudulent_documents", Filters(period=parse_period("2025")),
                    ["document_type"])
    assert (table.frame["n_incidents"] > 0).all()
    assert (table.frame["n_incidents"] <= table.frame["value"]).all()


@pytest.mark.parametrize(("indicator", "by", "period"), [
    ("nonsense", [], "2025"), ("migrants", ["shoe_size"], "2025"),
    ("migrants", ["sex", "age"], "2025"), ("children", ["sex"], "2025"),
    ("incidents", [], "2025-Q5"), ("incidents", [], "25"),
])
def test_bad_requests_say_what_is_wrong(store, indicator, by, period):
    with pytest.raises(BadRequest):
        compute(store, indicator, Filters(period=parse_period(period)), by)


def test_a_country_code_and_flow_are_checked():
    with pytest.raises(BadRequest):
        Filters("KHM'; DROP TABLE incidents; --")
    with pytest.raises(BadRequest):
        Filters("KHM", flow="sideways")


def test_periods_step_back_in_whole_periods():
    assert parse_period("2025-Q1").previous().label == "2024-Q4"
    assert parse_period("2025-H1").previous().label == "2024-H2"
    assert parse_period("2025-03").last_year().label == "2024-03"
    assert parse_period("2025").previous().label == "2024"
