"""The catalogue of measures and breakdowns, and the SQL that computes them on the store.

A *measure* (incidents, migrants, facilitators detected, ...) lives in one *home* table. It can
be broken down by the dimensions of its home table, by those of the incident (joined on ``uid``
when the home is a child table) and by the period and reporting country every table carries.
Measures that the store also keeps as per-incident totals are computed from ``incidents`` alone
when no dimension of their home table is asked for: the same figure, one scan instead of a join.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final


@dataclass(frozen=True)
class Dimension:
    """A breakdown: a SQL expression over the home table ``t`` or the incident ``i``."""

    name: str
    label: str
    expr: str
    on_incident: bool = False
    multi: bool = False  # a list column: one incident may count under several codes


@dataclass(frozen=True)
class Measure:
    """A figure: its home table, its aggregate and how many incidents it rests on."""

    name: str
    label: str
    table: str
    value: str
    n_incidents: str = "count(DISTINCT t.uid)"
    unit: str = "PERSONS"
    iccs: str = "08051"
    shortcut: tuple[str, str] | None = None  # (value, n_incidents) over incidents alone
    where: str = ""
    additive: bool = True
    wide: dict[str, dict[str, str]] = field(default_factory=dict)  # dim -> {code: count column}

    @property
    def is_count(self) -> bool:
        """A count (of persons, incidents, documents), as opposed to fee statistics."""
        return self.table != "fee_observations"


def _dims(*items: Dimension) -> dict[str, Dimension]:
    return {d.name: d for d in items}


COMMON: Final = _dims(
    Dimension("year", "Year", "t.year"),
    Dimension("quarter", "Quarter", "t.period_quarter"),
    Dimension("month", "Month", "t.period_month"),
    Dimension("country", "Reporting country", "t.country"),
    Dimension("unit", "Reporting unit", "t.unit"),
)
INCIDENT: Final = _dims(*(
    Dimension(name, label, f"i.{column}", on_incident=True) for name, label, column in (
        ("border_section", "Border section", "border_section"),
        ("location_type", "Kind of place", "location_type"),
        ("direction", "Direction of movement", "movement_direction"),
        ("detection_method", "Detection method", "detection_method"),
        ("transport_mode", "Mode of transport", "transport_mode"),
        ("concealment", "Concealment", "concealment"),
        ("legal_qualification", "Legal qualification", "legal_qualification"),
        ("benefit", "Benefit element", "benefit_element"),
        ("source_type", "Source of information", "source_type"),
        ("confidence", "Confidence", "confidence"),
        ("iccs", "ICCS code", "iccs_code"),
        ("origin", "Country of origin", "origin"),
        ("destination", "Country of destination", "destination"),
        ("route", "Route (origin > transit > destination)", "route"),
    )), *(
    Dimension(name, label, f"i.{column}", on_incident=True, multi=True)
    for name, label, column in (
        ("event_type", "What was observed", "event_types"),
        ("conduct", "Conduct (Protocol Art. 6)", "related_conduct"),
        ("aggravating", "Aggravating circumstances", "aggravating"),
        ("danger", "Dangers observed", "danger_factors"),
        ("transit", "Transit country", "transit"),
    )))
OWN: Final[dict[str, dict[str, Dimension]]] = {
    "incidents": {},
    "migrant_groups": _dims(
        Dimension("citizenship", "Citizenship", "t.citizenship"),
        Dimension("nationality_basis", "How citizenship is known", "t.nationality_basis"),
        Dimension("status_after_detection", "What happened to them", "t.status_after_detection"),
        Dimension("sex", "Sex", ""), Dimension("age", "Age band", "")),
    "facilitator_groups": _dims(
        Dimension("citizenship", "Citizenship", "t.citizenship"),
        Dimension("legal_status", "Legal status", "t.legal_status"),
        Dimension("role", "Role", "t.roles", multi=True)),
    "document_fraud_items": _dims(
        Dimension("document_type", "Kind of document", "t.document_type"),
        Dimension("fraud_type", "Kind of fraud", "t.fraud_type"),
        Dimension("issuing_country", "Issuing state", "t.issuing_country")),
    "fee_observations": _dims(
        Dimension("fee_unit", "What the fee pays for", "t.fee_unit"),
        Dimension("currency", "Currency paid", "t.currency"),
        Dimension("payment_method", "Payment method", "t.payment_method"),
        Dimension("payment_timing", "Payment timing", "t.payment_timing")),
    "harm_observations": _dims(
        Dimension("harm_type", "Kind of harm", "t.harm_type"),
        Dimension("cause_of_death", "Cause of death", "t.cause_of_death")),
    "aggregate_returns": _dims(
        Dimension("return_indicator", "Indicator of the return", "t.indicator"),
        Dimension("border_country", "Neighbouring country", "t.border_country"),
        Dimension("border_type", "Kind of border", "t.border_type"),
        Dimension("citizenship", "Citizenship", "t.citizenship"),
        Dimension("sex", "Sex", "t.sex"), Dimension("age", "Age group", "t.age_group")),
}
SEX_COLUMNS: Final = {"FEMALE": "female", "MALE": "male", "UNKNOWN": "sex_unknown"}
AGE_COLUMNS: Final = {"Y0T4": "age_0_4", "Y5T11": "age_5_11", "Y12T17": "age_12_17",
                      "Y18T24": "age_18_24", "Y25T59": "age_25_59", "Y_GE60": "age_60_plus",
                      "UNKNOWN": "age_unknown"}
WIDE: Final = {"sex": SEX_COLUMNS, "age": AGE_COLUMNS}
NOT_SDG = "coalesce(t.in_detention_or_after_return, '') <> 'YES'"

MEASURES: Final = {m.name: m for m in (
    Measure("incidents", "Incidents", "incidents", "count(*)", "count(*)", unit="INCIDENTS"),
    Measure("migrants", "Smuggled migrants", "migrant_groups", "sum(t.total)",
            shortcut=("sum(i.migrants)", "count(i.migrants)"), wide=WIDE),
    Measure("children", "Children (under 18)", "migrant_groups", "sum(t.children)",
            "count(DISTINCT t.uid) FILTER (WHERE t.children IS NOT NULL)",
            shortcut=("sum(i.children)", "count(i.children)")),
    Measure("unaccompanied_children", "Unaccompanied children", "migrant_groups",
            "sum(t.unaccompanied_children)",
            "count(DISTINCT t.uid) FILTER (WHERE t.unaccompanied_children IS NOT NULL)",
            shortcut=("sum(i.unaccompanied_children)", "count(i.unaccompanied_children)")),
    Measure("facilitators_detected", "Facilitators detected", "facilitator_groups",
            "sum(t.detected)",
            shortcut=("sum(i.facilitators_detected)", "count(i.facilitators_detected)")),
    Measure("facilitators_arrested", "Facilitators arrested", "facilitator_groups",
            "sum(t.arrested)",
            "count(DISTINCT t.uid) FILTER (WHERE t.arrested IS NOT NULL)",
            shortcut=("sum(i.facilitators_arrested)", "count(i.facilitators_arrested)")),
    Measure("dead", "Dead (SDG 10.7.3 rules)", "harm_observations", "sum(t.dead)",
            "count(DISTINCT t.uid) FILTER (WHERE t.dead IS NOT NULL)", where=NOT_SDG,
            shortcut=("sum(i.dead)", "count(i.dead) FILTER (WHERE i.dead IS NOT NULL)")),
    Measure("missing", "Missing (SDG 10.7.3 rules)", "harm_observations", "sum(t.missing)",
            "count(DISTINCT t.uid) FILTER (WHERE t.missing IS NOT NULL)", where=NOT_SDG,
            shortcut=("sum(i.missing)", "count(i.missing)")),
    Measure("fraudulent_documents", "Fraudulent documents", "document_fraud_items",
            "sum(coalesce(t.count, 1))", unit="DOCUMENTS", iccs="07023"),
    Measure("fees", "Smuggling fees in US dollars", "fee_observations", "", unit="USD",
            additive=False),
    Measure("aggregate_returns", "Counts from aggregate returns", "aggregate_returns",
            "sum(t.value)", "count(*)", unit="PERSONS", iccs=""),
)}
FEE_STATS: Final = {"fee_q1_usd": "quantile_cont(t.amount_usd, 0.25)",
                    "fee_median_usd": "quantile_cont(t.amount_usd, 0.5)",
                    "fee_q3_usd": "quantile_cont(t.amount_usd, 0.75)",
                    "n_fees": "count(t.amount_usd)"}


class UnknownBreakdown(ValueError):
    """A breakdown that the measure's table cannot give."""


def dimension(measure: Measure, name: str) -> Dimension:
    """The dimension ``name`` as seen from a measure's home table."""
    if name not in breakdowns(measure):
        raise UnknownBreakdown(f"'{name}' is not a breakdown of {measure.name}; choose from "
                               f"{', '.join(sorted(breakdowns(measure)))}")
    for source in (COMMON, OWN[measure.table], INCIDENT if measure.table != "aggregate_returns"
                   else {}):
        if name in source:
            return source[name]
    raise UnknownBreakdown(f"'{name}' is not a breakdown of {measure.name}; choose from "
                           f"{', '.join(sorted(breakdowns(measure)))}")


def breakdowns(measure: Measure) -> list[str]:
    """Every dimension a measure can be broken down by."""
    names = [*COMMON, *OWN[measure.table]]
    if measure.table != "aggregate_returns":
        names += list(INCIDENT)
    if measure.wide == {} and measure.table == "migrant_groups":
        names = [n for n in names if n not in WIDE]
    return names
