"""Documents flattened into rows: the route rule, children, SDG 10.7.3, fees in US dollars."""

from __future__ import annotations

import datetime as dt

import pytest

from crossings.analysis.flatten import flatten, period_of, route_columns
from crossings.analysis.fx import load_rates
from crossings.analysis.schema import columns
from tests.analysis.conftest import group, incident, leg


def rows(table, *records):
    data = flatten(records).data[table]
    return [dict(zip(columns(table), values, strict=True)) for values in zip(*data.values(), strict=True)]


def test_the_route_runs_from_the_first_leg_through_the_others_to_the_intended_destination():
    found = route_columns([leg(2, "LAO", "THA"), leg(1, "VNM", "LAO")],
                          [group(5, intended_destination="MYS")])
    assert found["origin"] == "VNM" and found["destination"] == "MYS"
    assert found["transit"] == ["LAO", "THA"] and found["route"] == "VNM > LAO > THA > MYS"


def test_an_intended_destination_equal_to_the_last_leg_is_not_repeated():
    found = route_columns([leg(1, "KHM", "THA")], [group(3, intended_destination="THA")])
    assert (found["origin"], found["transit"], found["destination"]) == ("KHM", [], "THA")


def test_without_legs_the_largest_group_gives_origin_and_destination():
    groups = [group(2, origin_country="LAO", intended_destination="KHM"),
              group(9, group_no=2, origin_country="MMR", intended_destination="MYS")]
    found = route_columns([], groups)
    assert (found["origin"], found["destination"], found["transit"]) == ("MMR", "MYS", [])


def test_unknown_ends_are_unknown_and_never_transit():
    found = route_columns([leg(1, "UNKNOWN", "THA"), leg(2, "THA", "NOT_ASKED")], [])
    assert (found["origin"], found["destination"], found["transit"]) == ("UNKNOWN", "UNKNOWN",
                                                                         ["THA"])
    assert route_columns([], [])["route"] is None


def test_a_round_trip_passes_through_and_ends_where_it_began():
    found = route_columns([leg(1, "KHM", "THA"), leg(2, "THA", "KHM")], [])
    assert (found["origin"], found["transit"], found["destination"]) == ("KHM", ["THA"], "KHM")


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-02", {"year": 2025, "month": 3, "quarter": 1, "period_month": "2025-03",
                    "date_precision": "DAY", "detection_date": dt.date(2025, 3, 2)}),
    ("2025-11", {"year": 2025, "month": 11, "quarter": 4, "period_quarter": "2025-Q4",
                 "date_precision": "MONTH"}),
    ("2024", {"year": 2024, "date_precision": "YEAR", "detection_date": dt.date(2024, 1, 1)}),
])
def test_partial_dates_give_only_the_periods_they_know(value, expected):
    found = period_of(value)
    assert expected.items() <= found.items()
    if len(value) == 4:
        assert "month" not in found and "period_quarter" not in found


def test_children_come_from_the_count_or_else_from_the_age_bands():
    record = incident(migrant_groups=[group(6, age_0_4=1, age_12_17=2),
                                      group(4, group_no=2, children=3, age_0_4=0)])
    [row] = rows("incidents", record)
    assert row["migrants"] == 10 and row["children"] == 6
    assert [g["children"] for g in rows("migrant_groups", record)] == [3, 3]


def test_deaths_in_detention_or_after_return_are_kept_apart_for_sdg_10_7_3():
    harms = [{"harm_no": 1, "harm_type": "DEATH", "dead": 4, "in_detention_or_after_return": "NO"},
             {"harm_no": 2, "harm_type": "DEATH", "dead": 2, "in_detention_or_after_return": "YES"},
             {"harm_no": 3, "harm_type": "MISSING", "missing": 5}]
    [row] = rows("incidents", incident(harm_observations=harms))
    assert (row["dead"], row["missing"], row["dead_excluded"], row["missing_excluded"]) == (4, 5, 2,
                                                                                           None)


def test_fees_are_converted_with_the_rate_of_the_year_of_detection():
    rates = load_rates()
    fees = [{"fee_no": 1, "amount": 3529.0, "currency": "THB", "unit": "PER_PERSON"},
            {"fee_no": 2, "amount": 100.0, "currency": "EUR"}]
    found = rows("fee_observations", incident(detection_date="2024-06", fee_observations=fees))
    thb = rates.rates["THB"][2024]
    assert found[0]["amount_usd"] == pytest.approx(3529.0 / thb) and found[0]["fx_year"] == 2024
    assert found[0]["fee_unit"] == "PER_PERSON"
    assert found[1]["amount_usd"] is None  # a currency without a rate stays visibly missing


def test_a_year_outside_the_rate_table_takes_the_nearest_year():
    rates = load_rates()
    assert rates.rate("KHR", 2019) == (rates.rates["KHR"][2023], 2023)
    assert rates.rate("khr", 2031)[1] == max(rates.rates["KHR"])
    assert rates.metadata["compiled"] and "source" in rates.metadata


def test_every_rate_table_currency_has_every_year_2023_to_2026():
    rates = load_rates().rates
    assert set(rates) == {"THB", "KHR", "USD", "MYR", "LAK", "VND", "MMK", "IDR"}
    assert all(set(years) == {2023, 2024, 2025, 2026} for years in rates.values())


def test_nominal_records_never_reach_the_analytical_tables():
    person = incident(person_ref="P-1", full_name="Somebody")
    obj = incident(object_ref="O-1", plate="1A-2345")
    gathered = flatten([person, obj])
    assert all(gathered.size(table) == 0 for table in gathered.data)


def test_child_rows_carry_the_incident_period_and_country():
    record = incident(detection_date="2025-08-09", route_legs=[leg(1, "MMR", "THA")])
    [row] = rows("route_legs", record)
    assert (row["country"], row["year"], row["period_month"], row["unit"]) == (
        "KHM", 2025, "2025-08", "KHM-BLO-TEST")
