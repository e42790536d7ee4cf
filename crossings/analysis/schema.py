"""The tables of the analytical store, their columns and DuckDB types, written once.

Every table derived from an incident carries the record's ``uid`` and, denormalised, the
reporting ``country``, ``unit`` and the detection period (``year``, ``quarter``, ``month``,
``period_quarter`` like ``2025-Q1``, ``period_month`` like ``2025-03``) and its sharing
(``sharing_scope``, ``partners``), so that most indicators
are one scan of one table. Sub-year fields are NULL when the detection date is known only to the
year. Per-incident totals (migrants, facilitators, SDG 10.7.3 deaths and missing) are also kept on
``incidents`` so that breakdowns by incident fields need no join.
"""

from __future__ import annotations

from typing import Final

PERIOD: Final = (("uid", "UUID"), ("country", "VARCHAR"), ("unit", "VARCHAR"),
                 ("year", "SMALLINT"), ("quarter", "TINYINT"), ("month", "TINYINT"),
                 ("period_quarter", "VARCHAR"), ("period_month", "VARCHAR"),
                 ("sharing_scope", "VARCHAR"), ("partners", "VARCHAR[]"))
"""Columns every table carries. ``sharing_scope`` and ``partners`` (ISO-3 codes of a BILATERAL
scope) say who beyond ``country`` may count the record (see ``crossings.analysis.scope``); the
scope is NATIONAL_ONLY for a record that is approved but not shared."""

CODED_INCIDENT_FIELDS: Final = (
    "location_type", "border_country", "movement_direction", "detection_method",
    "legal_qualification", "benefit_element", "iccs_code", "transport_mode", "concealment",
    "source_type", "confidence")
"""Single-valued coded fields of an incident, copied as they are."""

MULTI_INCIDENT_FIELDS: Final = ("event_types", "related_conduct", "aggravating", "danger_factors")

MIGRANT_COUNTS: Final = (
    "total", "female", "male", "sex_unknown", "age_0_4", "age_5_11", "age_12_17", "age_18_24",
    "age_25_59", "age_60_plus", "age_unknown", "children", "unaccompanied_children",
    "separated_children", "asylum_claims", "suspected_tip_victims", "referred_to_protection")

TABLES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "incidents": (
        *PERIOD, ("version", "INTEGER"), ("incident_ref", "VARCHAR"),
        ("detection_date", "DATE"), ("date_precision", "VARCHAR"), ("report_date", "DATE"),
        ("latitude", "DOUBLE"), ("longitude", "DOUBLE"), ("location_name", "VARCHAR"),
        *((name, "VARCHAR") for name in CODED_INCIDENT_FIELDS),
        ("border_section", "VARCHAR"),
        *((name, "VARCHAR[]") for name in MULTI_INCIDENT_FIELDS),
        ("origin", "VARCHAR"), ("destination", "VARCHAR"), ("transit", "VARCHAR[]"),
        ("route", "VARCHAR"), ("n_legs", "SMALLINT"),
        ("migrants", "INTEGER"), ("children", "INTEGER"), ("unaccompanied_children", "INTEGER"),
        ("facilitators_detected", "INTEGER"), ("facilitators_arrested", "INTEGER"),
        ("dead", "INTEGER"), ("missing", "INTEGER"), ("dead_excluded", "INTEGER"),
        ("missing_excluded", "INTEGER")),
    "route_legs": (
        *PERIOD, ("leg_no", "SMALLINT"), ("from_country", "VARCHAR"), ("to_country", "VARCHAR"),
        ("transport_mode", "VARCHAR"), ("facilitated", "VARCHAR")),
    "migrant_groups": (
        *PERIOD, ("group_no", "SMALLINT"), ("citizenship", "VARCHAR"),
        ("nationality_basis", "VARCHAR"), *((name, "INTEGER") for name in MIGRANT_COUNTS),
        ("origin_country", "VARCHAR"), ("intended_destination", "VARCHAR"),
        ("status_after_detection", "VARCHAR")),
    "facilitator_groups": (
        *PERIOD, ("group_no", "SMALLINT"), ("citizenship", "VARCHAR"), ("detected", "INTEGER"),
        ("arrested", "INTEGER"), ("female", "INTEGER"), ("male", "INTEGER"),
        ("roles", "VARCHAR[]"), ("legal_status", "VARCHAR")),
    "document_fraud_items": (
        *PERIOD, ("item_no", "SMALLINT"), ("document_type", "VARCHAR"),
        ("fraud_type", "VARCHAR"), ("issuing_country", "VARCHAR"), ("count", "INTEGER")),
    "fee_observations": (
        *PERIOD, ("fee_no", "SMALLINT"), ("amount", "DOUBLE"), ("currency", "VARCHAR"),
        ("amount_usd", "DOUBLE"), ("fx_year", "SMALLINT"), ("fee_unit", "VARCHAR"),
        ("leg_no", "SMALLINT"), ("payment_method", "VARCHAR"), ("payment_timing", "VARCHAR"),
        ("source", "VARCHAR")),
    "harm_observations": (
        *PERIOD, ("harm_no", "SMALLINT"), ("harm_type", "VARCHAR"), ("dead", "INTEGER"),
        ("missing", "INTEGER"), ("injured", "INTEGER"), ("dead_female", "INTEGER"),
        ("dead_male", "INTEGER"), ("dead_children", "INTEGER"), ("survivors", "INTEGER"),
        ("cause_of_death", "VARCHAR"), ("abuse_types", "VARCHAR[]"),
        ("perpetrator_smuggler", "VARCHAR"), ("in_detention_or_after_return", "VARCHAR")),
    "aggregate_returns": (
        *PERIOD, ("version", "INTEGER"), ("return_ref", "VARCHAR"), ("indicator", "VARCHAR"),
        ("border_country", "VARCHAR"), ("border_type", "VARCHAR"), ("citizenship", "VARCHAR"),
        ("sex", "VARCHAR"), ("age_group", "VARCHAR"), ("value", "BIGINT")),
}
"""Table name -> ordered (column, DuckDB type)."""

CHILD_TABLES: Final = {"route_legs": "route_legs", "migrant_groups": "migrant_groups",
                       "facilitator_groups": "facilitator_groups",
                       "document_fraud_items": "document_fraud_items",
                       "fee_observations": "fee_observations",
                       "harm_observations": "harm_observations"}
"""Child table -> the list of the incident document it is read from (same name here)."""

SCHEMA_VERSION: Final = "2"
"""Changed with the columns; a store of another version is rebuilt (see ``AnalyticsStore``)."""


def columns(table: str) -> tuple[str, ...]:
    """Column names of a table, in order."""
    return tuple(name for name, _ in TABLES[table])


def create_sql(table: str) -> str:
    """The CREATE TABLE statement of a table."""
    body = ", ".join(f'"{name}" {kind}' for name, kind in TABLES[table])
    return f'CREATE TABLE IF NOT EXISTS "{table}" ({body})'
