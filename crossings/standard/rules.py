"""Cross-field rules of the standard: checks that involve more than one field or record.

Each rule is registered with a stable code, a message an officer understands and a hint, and is
listed in the generated reference. Row rules see one cleaned row; document rules see an incident
with its child rows. Every rule returns the problems it finds (empty when the data is fine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise
from typing import Any

from crossings.standard.model import MISSING_VALUES
from crossings.standard.problems import Problem, problem, rule

Row = Mapping[str, Any]
RowRule = Callable[[Row], Iterable[Problem]]
DocumentRule = Callable[[Row], Iterable[Problem]]

ROW_RULES: dict[str, list[RowRule]] = {}
DOCUMENT_RULES: list[DocumentRule] = []


def row_rule(record_type: str) -> Callable[[RowRule], RowRule]:
    def register(fn: RowRule) -> RowRule:
        ROW_RULES.setdefault(record_type, []).append(fn)
        return fn

    return register


def document_rule(fn: DocumentRule) -> DocumentRule:
    DOCUMENT_RULES.append(fn)
    return fn


def _sum(row: Row, names: Iterable[str]) -> int | None:
    """Sum of the given counts, or None when none of them is filled in."""
    total = None
    for name in names:
        value = row.get(name)
        if value is not None:
            total = value if total is None else total + value
    return total


def _exceeds(row: Row, parts: tuple[str, ...], whole: str, code: str) -> list[Problem]:
    part_sum, total = _sum(row, parts), row.get(whole)
    if part_sum is None or total is None or part_sum <= total:
        return []
    return [problem(code, field=parts[0], value=part_sum, parts=" + ".join(parts), whole=whole,
                    total=total)]


rule("BREAKDOWN_EXCEEDS_TOTAL", "{parts} add up to {value}, more than {whole} ({total}).",
     "A breakdown can never be larger than its total: check the counts.", scope="row")

SEX_PARTS = ("female", "male", "sex_unknown")
AGE_PARTS = ("age_0_4", "age_5_11", "age_12_17", "age_18_24", "age_25_59", "age_60_plus",
             "age_unknown")
CHILD_AGE_PARTS = ("age_0_4", "age_5_11", "age_12_17")


@row_rule("migrant_group")
def migrant_breakdowns(row: Row) -> list[Problem]:
    found = _exceeds(row, SEX_PARTS, "total", "BREAKDOWN_EXCEEDS_TOTAL")
    found += _exceeds(row, AGE_PARTS, "total", "BREAKDOWN_EXCEEDS_TOTAL")
    for part in ("children", "asylum_claims", "suspected_tip_victims", "referred_to_protection"):
        found += _exceeds(row, (part,), "total", "BREAKDOWN_EXCEEDS_TOTAL")
    found += _exceeds(row, CHILD_AGE_PARTS, "children", "BREAKDOWN_EXCEEDS_TOTAL")
    children = "children" if row.get("children") is not None else "total"
    found += _exceeds(row, ("unaccompanied_children", "separated_children"), children,
                      "BREAKDOWN_EXCEEDS_TOTAL")
    return found


@row_rule("facilitator_group")
def facilitator_breakdowns(row: Row) -> list[Problem]:
    found = _exceeds(row, ("arrested",), "detected", "BREAKDOWN_EXCEEDS_TOTAL")
    return found + _exceeds(row, ("female", "male"), "detected", "BREAKDOWN_EXCEEDS_TOTAL")


rule("HARM_COUNT_MISSING", "A {harm_type} harm needs the number of persons in {field}.",
     "Give the number (at least 1), or write the harm under another kind.", scope="row")
HARM_COUNT_FIELD = {"DEATH": "dead", "MISSING": "missing", "INJURY": "injured"}


@row_rule("harm_observation")
def harm_counts(row: Row) -> list[Problem]:
    found = _exceeds(row, ("dead_female", "dead_male"), "dead", "BREAKDOWN_EXCEEDS_TOTAL")
    found += _exceeds(row, ("dead_children",), "dead", "BREAKDOWN_EXCEEDS_TOTAL")
    count_field = HARM_COUNT_FIELD.get(row.get("harm_type", ""))
    if count_field and not row.get(count_field):
        found.append(problem("HARM_COUNT_MISSING", field=count_field,
                             value=row.get(count_field, ""), harm_type=row["harm_type"]))
    return found


rule("FEE_NOT_POSITIVE", "A fee must be more than zero; found {value}.",
     "Leave the fee out if nothing was paid, or correct the amount.", scope="row")
rule("FEE_CURRENCY_MISSING", "The fee of {amount} has no currency.",
     "Add the ISO 4217 code of the currency it was paid in, e.g. THB, KHR, USD.", scope="row")


@row_rule("fee_observation")
def fee_amount(row: Row) -> list[Problem]:
    found = []
    if row.get("amount") is not None and row["amount"] <= 0:
        found.append(problem("FEE_NOT_POSITIVE", field="amount", value=row["amount"]))
    if row.get("amount") is not None and not row.get("currency"):
        found.append(problem("FEE_CURRENCY_MISSING", field="currency", amount=row["amount"]))
    return found


rule("DATES_OUT_OF_ORDER", "{field} ({value}) is before {earlier_field} ({earlier}).",
     "Check both dates: the later event cannot come first.", scope="row")


def _order(row: Row, earlier: str, later: str) -> list[Problem]:
    first, second = row.get(earlier), row.get(later)
    if first is None or second is None:
        return []
    # Partial dates compare correctly on the precision both share (2025-03 vs 2025-03-14).
    width = min(len(first), len(second))
    if second[:width] >= first[:width]:
        return []
    return [problem("DATES_OUT_OF_ORDER", field=later, value=second, earlier_field=earlier,
                    earlier=first)]


row_rule("incident")(lambda row: _order(row, "detection_date", "report_date"))
row_rule("route_leg")(lambda row: _order(row, "start_date", "end_date"))

rule("LOCATION_INCOMPLETE", "Only one of latitude and longitude is given.",
     "Give both coordinates, or neither.", scope="row")
rule("BORDER_IS_OWN_COUNTRY", "The neighbouring country of the border section is {value}, the"
     " reporting country itself.", "Name the country on the other side of the border.",
     scope="row")


@row_rule("incident")
def incident_location(row: Row) -> list[Problem]:
    if (row.get("latitude") is None) != (row.get("longitude") is None):
        missing = "longitude" if row.get("longitude") is None else "latitude"
        return [problem("LOCATION_INCOMPLETE", field=missing)]
    return []


rule("MIGRANT_AS_OFFENDER", "A smuggled migrant cannot have the legal status {value}.",
     "Under the Smuggling Protocol (Art. 5) migrants are not prosecuted for having been smuggled;"
     " leave legal status empty, or record the person as a facilitator if they are one.",
     scope="row")
NOT_AN_OFFENDER = (None, "NONE", *MISSING_VALUES)


@row_rule("person")
def migrant_not_offender(row: Row) -> list[Problem]:
    if row.get("role") == "SMUGGLED_MIGRANT" and row.get("legal_status") not in NOT_AN_OFFENDER:
        return [problem("MIGRANT_AS_OFFENDER", field="legal_status", value=row["legal_status"])]
    return []


rule("OBJECT_WITHOUT_IDENTIFIER", "The {object_type} has no identifier.",
     "Give a plate, vessel name, IMO, MMSI, phone or account number.", scope="row")
OBJECT_IDENTIFIERS = ("plate", "vessel_name", "imo", "mmsi", "phone", "account_number")


@row_rule("object")
def object_identified(row: Row) -> list[Problem]:
    if any(row.get(name) for name in OBJECT_IDENTIFIERS) or row.get("description"):
        return []
    return [problem("OBJECT_WITHOUT_IDENTIFIER", field="object_type",
                    object_type=str(row.get("object_type", "object")).lower())]


rule("ROUTE_NOT_CONTIGUOUS", "Route leg {leg} starts in {value} but leg {previous} ended in"
     " {ended}.", "Each leg starts where the one before it ended; add the missing leg.",
     scope="document")
rule("ROUTE_LEGS_NOT_NUMBERED", "Route legs are numbered {value}; they must run 1, 2, 3 ...",
     "Number the legs of the journey in order, without gaps.", scope="document")


@document_rule
def route_contiguous(doc: Row) -> list[Problem]:
    legs = sorted((leg for leg in doc.get("route_legs", []) if "leg_no" in leg),
                  key=lambda leg: leg["leg_no"])
    numbers = [leg["leg_no"] for leg in legs]
    if numbers != list(range(1, len(legs) + 1)):
        return [problem("ROUTE_LEGS_NOT_NUMBERED", field="leg_no",
                        value=", ".join(map(str, numbers)))]
    found = []
    for before, after in pairwise(legs):
        ended, started = before.get("to_country"), after.get("from_country")
        if ended != started and not {ended, started} & {None, *MISSING_VALUES}:
            found.append(problem("ROUTE_NOT_CONTIGUOUS", field="from_country", value=started,
                                 leg=after["leg_no"], previous=before["leg_no"], ended=ended))
    return found


rule("DEATHS_EXCEED_PERSONS", "{value} dead or missing, but the migrant groups count only {total}"
     " persons.", "Migrant group totals include those who died or are missing: check both.",
     scope="document")


@document_rule
def deaths_within_persons(doc: Row) -> list[Problem]:
    groups = doc.get("migrant_groups", [])
    if not groups:
        return []
    total = sum(g.get("total", 0) for g in groups)
    harmed = sum((h.get("dead") or 0) + (h.get("missing") or 0)
                 for h in doc.get("harm_observations", []))
    if harmed <= total:
        return []
    return [problem("DEATHS_EXCEED_PERSONS", field="dead", value=harmed, total=total)]


rule("FEE_LEG_UNKNOWN", "The fee names route leg {value}, which the incident does not have.",
     "Give the number of one of the incident's route legs, or leave it empty.", scope="document")


@document_rule
def fee_legs_exist(doc: Row) -> list[Problem]:
    legs = {leg.get("leg_no") for leg in doc.get("route_legs", [])}
    return [problem("FEE_LEG_UNKNOWN", field="leg_no", value=fee["leg_no"])
            for fee in doc.get("fee_observations", [])
            if fee.get("leg_no") is not None and fee["leg_no"] not in legs]


rule("DUPLICATE_REFERENCE", "{record_label} {value} appears more than once in this batch.",
     "Each record is sent once per batch; remove or renumber the repeated row.", scope="batch")
rule("INCIDENT_NOT_FOUND", "Incident {value} is neither in this batch nor already stored.",
     "Send the incident in the same batch, or check the reference.", scope="batch")
rule("UNIT_NOT_FOUND", "There is no unit {value}.",
     "Use a unit code listed by `crossings units`, e.g. KHM-BLO-POIPET.", scope="batch")
rule("UNIT_OTHER_COUNTRY", "Unit {value} belongs to another country than the uploading unit.",
     "A unit may only report for units of its own country.", scope="batch")
rule("UNREADABLE_FILE", "The file cannot be read: {message}.", "To fix it: {hint}.", scope="batch")
rule("UNKNOWN_RECORD_TYPE", "Cannot tell which kind of record '{value}' holds.",
     "Name the file or sheet after the record type (e.g. incidents.csv, sheet route_legs), or "
     "map it under record_types in the mapping file.", scope="batch")
rule("UNKNOWN_COLUMN", "Column '{value}' is not a field of {record_label}.",
     "Rename it to a field of the standard, map it under columns in the mapping file, or list it"
     " under ignore.", scope="batch")
rule("DUPLICATE_COLUMN", "Two columns both mean '{field}'.", "Keep one of them.", scope="batch")
rule("NO_RECORDS", "The upload has no records: its files have headers only.",
     "Check that you chose the right files.", scope="batch")
rule("FORMULA_NOT_EVALUATED", "The cell holds the formula {value} and no computed value.",
     "Open the file in Excel or LibreOffice and save it again, or paste the values only.",
     scope="batch")
rule("INCIDENT_NOT_IN_BATCH", "The {record_label} belongs to incident {value}, which is not in "
     "this upload.", "Send an incident together with all its rows: a corrected incident is sent "
     "whole.", scope="batch")
