"""The incident form, generated from the standard: sections, fields, widgets and choices.

Nothing here is written per field: each field's widget follows from its type in the standard,
its label and help from the standard's texts, its choices from its code list. Labels are
translated when a page is drawn (:func:`translated`), in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from crossings.standard.model import Field, RecordType, load_standard
from crossings.web.forms.i18n import choices, label_text

TEXTAREA_FROM = 500
"""Text fields longer than this are drawn as a text area."""

WIDGETS = {
    "reference": "text", "unit": "unit", "text": "text", "texts": "text", "integer": "integer",
    "decimal": "decimal", "date": "date", "partial_date": "partial_date", "period": "period",
    "code": "select", "codes": "checkboxes", "country": "datalist", "currency": "datalist",
    "phone": "text", "phones": "text", "imo": "text", "mmsi": "text",
}
NUMBERING = {"leg_no", "group_no", "item_no", "fee_no", "harm_no"}
"""Child fields that number the rows; the form fills them with the row's position."""


@dataclass(frozen=True)
class FormField:
    """One input of the form, as the standard defines it (labels still in English)."""

    name: str
    label: str
    widget: str
    required: bool
    codelist: str | None
    help: str
    max_length: int | None
    numbering: bool = False


@dataclass(frozen=True)
class Section:
    """The incident's own fields, or one repeatable child section (route legs, fees, ...)."""

    name: str
    label: str
    record_type: str
    fields: tuple[FormField, ...]
    repeatable: bool = False
    description: str = ""
    numbering: str = ""


@dataclass
class Row:
    """One drawn row of a section: the prefix of its inputs and its values and errors."""

    prefix: str
    index: int | None
    values: dict[str, Any]
    errors: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def _widget(fld: Field) -> str:
    if fld.type == "text" and (fld.max_length or 0) > TEXTAREA_FROM:
        return "textarea"
    return WIDGETS[fld.type]


def _form_field(fld: Field, child: bool) -> FormField:
    return FormField(name=fld.name, label=fld.label, widget=_widget(fld), required=fld.required,
                     codelist=fld.codelist, help=fld.description, max_length=fld.max_length,
                     numbering=child and fld.name in NUMBERING)


def _section(rtype: RecordType) -> Section:
    child = rtype.parent is not None
    fields = tuple(_form_field(f, child) for name, f in rtype.fields.items()
                   if not (child and name == "incident_ref"))
    numbering = next((f.name for f in fields if f.numbering), "")
    return Section(name=rtype.plural if child else rtype.name, label=rtype.label,
                   record_type=rtype.name, fields=fields, repeatable=child,
                   description=rtype.description, numbering=numbering)


@cache
def incident_sections() -> tuple[Section, ...]:
    """The incident's fields, then one section per child record type, in the standard's order."""
    standard = load_standard()
    children = standard.children.get("incident", ())
    return (_section(standard.record_type("incident")),
            *(_section(standard.record_type(name)) for name in children))


def section(name: str) -> Section:
    return next(s for s in incident_sections() if s.name == name)


def translated(fld: FormField) -> dict[str, Any]:
    """A field as a template draws it, in the active language."""
    return {"name": fld.name, "label": label_text(fld.label), "widget": fld.widget,
            "required": fld.required, "help": label_text(fld.help) if fld.help else "",
            "choices": choices(fld.codelist) if fld.widget in ("select", "checkboxes")
            and fld.codelist else [], "codelist": fld.codelist, "max_length": fld.max_length,
            "numbering": fld.numbering}
