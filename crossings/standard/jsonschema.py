"""JSON Schema (draft 2020-12) of the standard, generated from the record types.

The schema describes the nested JSON import layout: an incident with its child lists, and the
other top-level records. Cross-field rules cannot be expressed in JSON Schema; they are listed in
the Markdown reference and enforced by the validator.
"""

from __future__ import annotations

from typing import Any

from crossings.standard.model import FIELD_TYPES, Field, RecordType, Standard, load_standard
from crossings.standard.values import REFERENCE_RE, UNIT_RE

SCHEMA_ID = "https://crossings.example.org/schema/{version}/crossings.schema.json"
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def field_schema(fld: Field, standard: Standard) -> dict[str, Any]:
    """The JSON Schema of one field."""
    scalar = _scalar_schema(fld, standard)
    scalar["description"] = FIELD_TYPES[fld.type] + (f". {fld.description}" if fld.description
                                                       else "")
    if fld.is_multi:
        item = {k: v for k, v in scalar.items() if k != "description"}
        return {"type": "array", "items": item, "description": scalar["description"],
                "title": fld.label}
    return {"title": fld.label, **scalar}


def _scalar_schema(fld: Field, standard: Standard) -> dict[str, Any]:
    if fld.codelist:
        return {"type": "string", "enum": list(standard.codelists[fld.codelist].codes)}
    schema: dict[str, Any] = {
        "integer": {"type": "integer"},
        "decimal": {"type": "number"},
        "date": {"type": "string", "format": "date"},
        "partial_date": {"type": "string", "pattern": PARTIAL_DATE},
        "period": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "reference": {"type": "string", "pattern": REFERENCE_RE.pattern},
        "unit": {"type": "string", "pattern": UNIT_RE.pattern},
        "phone": {"type": "string", "pattern": r"^\+?[0-9 ()\-.]{6,24}$"},
        "phones": {"type": "string", "pattern": r"^\+?[0-9 ()\-.]{6,24}$"},
        "imo": {"type": "string", "pattern": r"^(IMO ?)?\d{7}$"},
        "mmsi": {"type": "string", "pattern": r"^\d{9}$"},
    }.get(fld.type, {"type": "string"})
    schema = dict(schema)
    if fld.minimum is not None:
        schema["minimum"] = fld.minimum
    if fld.maximum is not None:
        schema["maximum"] = fld.maximum
    if fld.max_length is not None:
        schema["maxLength"] = fld.max_length
    return schema


def record_schema(rtype: RecordType, standard: Standard, *, nested: bool = False) -> dict[str, Any]:
    """The schema of one record type; a nested child may leave out its incident_ref."""
    properties = {name: field_schema(fld, standard) for name, fld in rtype.fields.items()}
    required = [name for name, fld in rtype.fields.items() if fld.required]
    if nested:
        required = [name for name in required if name != "incident_ref"]
    for child in standard.children.get(rtype.name, ()):
        child_type = standard.record_type(child)
        properties[child_type.plural] = {"type": "array",
                                         "items": {"$ref": f"#/$defs/{child}"}}
    return {"type": "object", "title": rtype.label, "description": rtype.description,
            "properties": properties, "required": required, "additionalProperties": False}


def json_schema(standard: Standard | None = None) -> dict[str, Any]:
    """The whole JSON Schema: a document of incidents, aggregate returns, persons, objects."""
    standard = standard or load_standard()
    defs = {name: record_schema(rtype, standard, nested=rtype.parent is not None)
            for name, rtype in standard.record_types.items()}
    top = [rt for rt in standard.record_types.values() if rt.parent is None]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(version=standard.version),
        "title": f"Crossings data standard {standard.version}",
        "type": "object",
        "properties": {rt.plural: {"type": "array", "items": {"$ref": f"#/$defs/{rt.name}"}}
                       for rt in top},
        "additionalProperties": False,
        "$defs": defs,
        "x-standard-version": standard.version,
    }
