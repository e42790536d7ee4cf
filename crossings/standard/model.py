"""The Crossings data standard as typed objects, loaded once from the YAML files beside this module.

The YAML files are the single source of truth: record types in ``records/``, code lists in
``codelists.yaml``. Everything else (JSON Schema, Markdown reference, ORM documents, forms) is
derived from the objects built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

VERSION = "1.0.0"
"""Version of the standard. Every stored record carries the version it was validated against."""

UNKNOWN = "UNKNOWN"
NOT_ASKED = "NOT_ASKED"
MISSING_VALUES = (UNKNOWN, NOT_ASKED)
MULTI_SEPARATOR = "|"
"""Separator of several values in one flat-file cell (e.g. ``IRREGULAR_CROSSING|SOM_SUSPECTED``)."""

SENSITIVITIES = ("IDENTIFYING", "QUASI_IDENTIFYING", "OPERATIONAL_SENSITIVE", "NON_SENSITIVE")
FIELD_TYPES = {
    "reference": "An identifier: letters, digits and - _ . / : (at most 64 characters)",
    "unit": "A reporting unit code COUNTRY-KIND-PLACE, e.g. KHM-BLO-POIPET",
    "text": "Free text in any script",
    "texts": "Several free texts, separated by |",
    "integer": "A whole number",
    "decimal": "A number, with . as decimal mark",
    "date": "A date YYYY-MM-DD",
    "partial_date": "A date YYYY-MM-DD, or YYYY-MM or YYYY when only that is known",
    "period": "A month YYYY-MM",
    "code": "One code from the code list",
    "codes": "One or more codes from the code list, separated by |",
    "country": "ISO 3166-1 alpha-3 code (e.g. KHM), or UNKNOWN / NOT_ASKED",
    "currency": "ISO 4217 currency code (e.g. THB)",
    "phone": "A phone number in international form (+855...)",
    "phones": "One or more phone numbers, separated by |",
    "imo": "IMO ship number: 7 digits with a valid check digit",
    "mmsi": "MMSI: 9 digits",
}
MULTI_TYPES = frozenset({"codes", "texts", "phones"})
HERE = Path(__file__).parent
RECORD_ORDER = ("incident", "route_leg", "migrant_group", "facilitator_group",
                "document_fraud_item", "fee_observation", "harm_observation",
                "aggregate_return", "person", "object")
TOP_LEVEL = ("incident", "aggregate_return", "person", "object")
"""Record types stored as records of their own; the others are nested in their incident."""


@dataclass(frozen=True)
class CodeList:
    """A named list of codes with English labels; UNKNOWN / NOT_ASKED appended when allowed."""

    name: str
    label: str
    codes: dict[str, str]
    allows_unknown: bool = True

    def __contains__(self, code: object) -> bool:
        return code in self.codes


@dataclass(frozen=True)
class Field:
    """One field of a record type."""

    name: str
    type: str
    label: str
    required: bool = False
    codelist: str | None = None
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    sensitivity: str = "NON_SENSITIVE"

    @property
    def is_multi(self) -> bool:
        return self.type in MULTI_TYPES


@dataclass(frozen=True)
class RecordType:
    """A kind of record: top-level (incident, return, person, object) or a child of one."""

    name: str
    label: str
    plural: str
    description: str
    key: tuple[str, ...]
    fields: dict[str, Field]
    parent: str | None = None
    nominal: bool = False

    @property
    def reference_field(self) -> str:
        """The field holding the owner's reference of the top-level record this row belongs to."""
        return "incident_ref" if self.parent else self.key[0]


@dataclass(frozen=True)
class Standard:
    """The whole standard: its version, record types and code lists."""

    version: str
    record_types: dict[str, RecordType]
    codelists: dict[str, CodeList]
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def record_type(self, name: str) -> RecordType:
        return self.record_types[name]

    def codelist_for(self, fld: Field) -> CodeList:
        assert fld.codelist is not None, f"{fld.name} has no code list"
        return self.codelists[fld.codelist]


def _field(name: str, spec: dict[str, Any]) -> Field:
    assert spec["type"] in FIELD_TYPES, f"unknown type {spec['type']} for {name}"
    if spec["type"] in ("country", "currency"):
        spec = {**spec, "codelist": spec["type"]}
    return Field(
        name=name,
        type=spec["type"],
        label=spec.get("label", name),
        required=bool(spec.get("required", False)),
        codelist=spec.get("codelist"),
        description=" ".join(str(spec.get("description", "")).split()),
        minimum=spec.get("min"),
        maximum=spec.get("max"),
        max_length=spec.get("max_length"),
        sensitivity=spec.get("sensitivity", "NON_SENSITIVE"),
    )


def _record_type(spec: dict[str, Any]) -> RecordType:
    return RecordType(
        name=spec["name"],
        label=spec["label"],
        plural=spec["plural"],
        description=" ".join(spec.get("description", "").split()),
        key=tuple(spec["key"]),
        fields={name: _field(name, f) for name, f in spec["fields"].items()},
        parent=spec.get("parent"),
        nominal=bool(spec.get("nominal", False)),
    )


def _codelist(name: str, spec: dict[str, Any]) -> CodeList:
    allows_unknown = spec.get("unknown", True)
    codes = {str(code): label for code, label in spec["codes"].items()}
    if allows_unknown:
        codes |= {UNKNOWN: "Unknown", NOT_ASKED: "Not asked"}
    return CodeList(name=name, label=spec["label"], codes=codes, allows_unknown=allows_unknown)


def country_codelist() -> CodeList:
    """ISO 3166-1 alpha-3 countries; STATELESS for citizenship; UNKNOWN and NOT_ASKED."""
    codes = {c.alpha_3: c.name for c in pycountry.countries}
    codes |= {"STATELESS": "Stateless", UNKNOWN: "Unknown", NOT_ASKED: "Not asked"}
    return CodeList(name="country", label="Country (ISO 3166-1 alpha-3)", codes=codes)


def currency_codelist() -> CodeList:
    """ISO 4217 currencies."""
    codes = {c.alpha_3: c.name for c in pycountry.currencies}
    return CodeList(name="currency", label="Currency (ISO 4217)", codes=codes, allows_unknown=False)


def m49(alpha_3: str) -> str | None:
    """The UN M49 numeric code of a country (used by SDMX REF_AREA), e.g. KHM -> '116'."""
    country = pycountry.countries.get(alpha_3=alpha_3)
    return None if country is None else str(country.numeric)


@cache
def load_standard() -> Standard:
    """Load and check the standard once per process."""
    raw_lists = yaml.safe_load((HERE / "codelists.yaml").read_text(encoding="utf-8"))
    codelists = {name: _codelist(name, spec) for name, spec in raw_lists.items()}
    codelists["country"] = country_codelist()
    codelists["currency"] = currency_codelist()
    record_types = {}
    for name in RECORD_ORDER:
        path = HERE / "records" / f"{name}.yaml"
        rtype = _record_type(yaml.safe_load(path.read_text(encoding="utf-8")))
        record_types[rtype.name] = rtype
    assert len(record_types) == len(list((HERE / "records").glob("*.yaml")))
    children: dict[str, tuple[str, ...]] = {}
    for rtype in record_types.values():
        if rtype.parent:
            children[rtype.parent] = (*children.get(rtype.parent, ()), rtype.name)
        for fld in rtype.fields.values():
            assert fld.codelist is None or fld.codelist in codelists, fld
    return Standard(VERSION, record_types, codelists, children)


