"""An XLSForm of the incident, generated from the standard, for ODK Collect and KoboToolbox.

Officers without a connection collect incidents on a phone; their server's export is imported
by ``crossings import`` (see ``crossings/ingest/odk.py``). The form is the standard's: one group
``incident`` with the incident's fields, one repeat per child section (named after its plural:
``route_legs``, ``migrant_groups``, ...), the code lists as choices, labels and constraint
messages in English, Khmer and Thai (from the interface's gettext catalogues), and constraints
for the rules a phone can check alone (minimum, maximum, length, reference format, dates in
order, a positive fee). Row numbers of repeats are calculated (``position(..)``).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl

from crossings.standard.model import VERSION, Field, RecordType, load_standard
from crossings.standard.problems import RULES
from crossings.standard.validate import rule_codes

FORM_ID = "crossings_incident"
LANGUAGES = (("en", "English"), ("km", "Khmer"), ("th", "Thai"))
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
ISO_DOMAINS = {"country": "iso3166-1", "currency": "iso4217"}
NUMBERING = {"leg_no", "group_no", "item_no", "fee_no", "harm_no"}
REFERENCE_REGEX = r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]{0,63}$"
UNIT_REGEX = r"^[A-Z]{3}-[A-Z]{2,4}-[A-Z0-9_]{2,40}$"
TYPES = {"reference": "text", "unit": "text", "text": "text", "texts": "text",
         "integer": "integer", "decimal": "decimal", "date": "date", "partial_date": "date",
         "period": "text", "phone": "text", "phones": "text", "imo": "text", "mmsi": "text"}
SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message",
                  "constraint", "constraint_message", "calculation", "appearance")
Row = dict[str, Any]


@cache
def _catalogue(language: str, domain: str = "django",
               folder: str = str(LOCALE_DIR)) -> gettext.NullTranslations:
    return gettext.translation(domain, folder, languages=[language], fallback=True)


def _translations(text: str, domain: str | None = None) -> dict[str, str]:
    """``text`` in each language of the form (English where no translation exists)."""
    import pycountry  # noqa: PLC0415 - only for country and currency names

    found = {}
    for code, _name in LANGUAGES:
        if code == "en":
            found[code] = text
        elif domain is None:
            found[code] = _catalogue(code).gettext(text)
        else:
            found[code] = _catalogue(code, domain, pycountry.LOCALES_DIR).gettext(text)
    return found


def _columns(name: str, texts: dict[str, str]) -> Row:
    return {f"{name}::{label} ({code})": texts[code] for code, label in LANGUAGES}


def _message(rule_code: str, **params: Any) -> dict[str, str]:
    rule = RULES[rule_code]
    return {code: text.format(**{k: (v[code] if isinstance(v, dict) else v)
                                 for k, v in params.items()})
            for code, text in _translations(rule.message).items()}


PATTERNS = {"reference": (REFERENCE_REGEX, "INVALID_REFERENCE"),
            "unit": (UNIT_REGEX, "INVALID_UNIT_CODE")}


def _range(fld: Field, labels: dict[str, str]) -> tuple[str, dict[str, str]]:
    if fld.maximum is not None:
        return (f". >= {fld.minimum} and . <= {fld.maximum}",
                _message("ABOVE_MAXIMUM", label=labels, maximum=fld.maximum, value="…"))
    return f". >= {fld.minimum}", _message("BELOW_MINIMUM", label=labels, minimum=fld.minimum,
                                           value="…")


def _constraint(fld: Field, labels: dict[str, str]) -> tuple[str, dict[str, str] | None]:
    """The XPath constraint of one field and its message, when a phone can check it alone."""
    if fld.type in PATTERNS:
        regex, rule = PATTERNS[fld.type]
        return f"regex(., '{regex}')", _message(rule, label=labels, value="…")
    if fld.type in ("integer", "decimal") and fld.minimum is not None:
        return _range(fld, labels)
    if fld.max_length:
        return f"string-length(.) <= {fld.max_length}", _message(
            "TOO_LONG", label=labels, max_length=fld.max_length)
    if "date" in fld.type:
        return ". <= today()", _message("DATE_IN_FUTURE", label=labels, value="…")
    return "", None


ROW_CONSTRAINTS = {
    # Rules across two fields that a phone can check: field -> (constraint, rule, earlier).
    "report_date": (". >= ${detection_date}", "DATES_OUT_OF_ORDER", "detection_date"),
    "end_date": (". >= ${start_date}", "DATES_OUT_OF_ORDER", "start_date"),
    "amount": (". > 0", "FEE_NOT_POSITIVE", ""),
}


def _row_constraint(fld: Field, rtype: RecordType) -> tuple[str, dict[str, str]] | None:
    found = ROW_CONSTRAINTS.get(fld.name)
    if found is None:
        return None
    constraint, rule, earlier = found
    if earlier and earlier not in rtype.fields:
        return None
    params = {"field": fld.name, "value": "…", "earlier_field": earlier, "earlier": ""}
    return constraint, _message(rule, **params)


def _survey_row(fld: Field, rtype: RecordType) -> Row:
    labels = _translations(fld.label)
    if fld.name in NUMBERING and rtype.parent:
        return {"type": "calculate", "name": fld.name, "calculation": "position(..)"}
    if fld.codelist:
        kind = "select_multiple" if fld.is_multi else "select_one"
        row: Row = {"type": f"{kind} {fld.codelist}"}
        if fld.codelist in ISO_DOMAINS:
            row["appearance"] = "autocomplete"
    else:
        row = {"type": TYPES[fld.type]}
    row |= {"name": fld.name, **_columns("label", labels)}
    if fld.description:
        row |= _columns("hint", _translations(fld.description))
    if fld.required:
        row["required"] = "yes"
        row |= _columns("required_message", _message("REQUIRED_MISSING", label=labels))
    constraint, message = _constraint(fld, labels)
    extra = _row_constraint(fld, rtype)
    if extra is not None:
        constraint = f"({constraint}) and ({extra[0]})" if constraint else extra[0]
        message = extra[1]
    if constraint and message:
        row |= {"constraint": constraint, **_columns("constraint_message", message)}
    return row


def survey_rows() -> Iterator[Row]:
    """The survey sheet: the incident group, then one repeat per child section."""
    standard = load_standard()
    incident = standard.record_type("incident")
    yield {"type": "begin_group", "name": "incident",
           **_columns("label", _translations(incident.label))}
    for fld in incident.fields.values():
        row = _survey_row(fld, incident)
        if fld.name == "incident_ref":  # the submission's instance id stands in when empty
            row.pop("required", None)
            row = {k: v for k, v in row.items() if not k.startswith("required_message")}
        yield row
    yield {"type": "end_group", "name": "incident"}
    for child_name in standard.children["incident"]:
        child = standard.record_type(child_name)
        yield {"type": "begin_repeat", "name": child.plural,
               **_columns("label", _translations(child.label))}
        for fld in child.fields.values():
            if fld.name != "incident_ref":
                yield _survey_row(fld, child)
        yield {"type": "end_repeat", "name": child.plural}


def _used_codelists() -> list[str]:
    standard = load_standard()
    names: list[str] = []
    for rtype in (standard.record_type(n) for n in ("incident", *standard.children["incident"])):
        for fld in rtype.fields.values():
            if fld.codelist and fld.codelist not in names:
                names.append(fld.codelist)
    return names


def choice_rows() -> Iterator[Row]:
    """The choices sheet: every code list the form uses, labels in each language."""
    standard = load_standard()
    for name in _used_codelists():
        domain = ISO_DOMAINS.get(name)
        for code, label in standard.codelists[name].codes.items():
            special = code in ("UNKNOWN", "NOT_ASKED", "STATELESS")
            texts = _translations(label, None if special else domain)
            yield {"list_name": name, "name": code, **_columns("label", texts)}


def settings_row() -> Row:
    return {"form_title": "Crossings incident", "form_id": FORM_ID,
            "version": VERSION.replace(".", "") + "00",
            "default_language": "English (en)", "instance_name": "${incident_ref}"}


def _sheet(book: Any, title: str, rows: list[Row], columns: list[str]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])


def _all_columns(rows: list[Row], first: tuple[str, ...]) -> list[str]:
    columns = list(first)
    for row in rows:
        columns += [k for k in row if k not in columns]
    order = {c: i for i, c in enumerate(first)}
    return sorted(columns, key=lambda c: (order.get(c.split("::")[0], len(order)),
                                          columns.index(c)))


def xlsform_bytes() -> bytes:
    """The XLSForm as an .xlsx file (the same bytes for the same standard)."""
    _ = rule_codes()  # registers every rule, whose messages the constraints use
    book = openpyxl.Workbook()
    book.remove(book.active)
    survey = list(survey_rows())
    choices = list(choice_rows())
    _sheet(book, "survey", survey, _all_columns(survey, SURVEY_COLUMNS))
    _sheet(book, "choices", choices, _all_columns(choices, ("list_name", "name", "label")))
    settings = settings_row()
    _sheet(book, "settings", [settings], list(settings))
    for sheet in book.worksheets:
        sheet.sheet_properties.tabColor = None
    book.properties.created = book.properties.modified = _EPOCH
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xform_xml(xlsx: Path) -> str:
    """The XForm (XML) that ODK Collect reads, converted by pyxform without Java."""
    from pyxform.xls2xform import convert  # noqa: PLC0415

    result = convert(xlsform=str(xlsx), validate=False, pretty_print=True)
    return str(result.xform)


import datetime as _dt  # noqa: E402 - a fixed timestamp keeps the file reproducible

_EPOCH = _dt.datetime(2025, 1, 1)
