"""Validation of rows and incident documents against the standard.

Every field of every row is checked and every problem is returned: the caller decides whether to
store (no problems) or to report them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crossings.standard.model import CodeList, Field, RecordType, Standard, load_standard
from crossings.standard.problems import RULES, Problem, problem
from crossings.standard.rules import DOCUMENT_RULES, ROW_RULES
from crossings.standard.values import PARSERS, BadValue, ParseOptions, Parser, is_empty

REPEATING_TYPES = frozenset({"code", "codes", "country", "currency", "integer", "decimal",
                             "date", "partial_date", "period", "unit"})
MEMO_SIZE = 50_000
_MISSING = object()


class RowValidator:
    """Validates rows of one record type; built once per file, used for every row."""

    def __init__(self, record_type: RecordType, standard: Standard | None = None,
                 options: ParseOptions | None = None):
        standard = standard or load_standard()
        self.record_type = record_type
        self.options = options or ParseOptions()
        self._fields = [
            (name, self._parser(fld), fld,
             standard.codelists[fld.codelist] if fld.codelist else None)
            for name, fld in record_type.fields.items()
        ]
        self._rules = ROW_RULES.get(record_type.name, [])

    @staticmethod
    def _parser(fld: Field) -> Parser:
        """The field's parser; memoised for types whose cells repeat (codes, counts, dates).

        A file of a million rows holds a few hundred distinct dates and codes: each is parsed
        once. Names and references rarely repeat and are parsed every time.
        """
        parse = PARSERS[fld.type]
        if fld.type not in REPEATING_TYPES:
            return parse
        seen: dict[str, Any] = {}

        def memoised(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> Any:
            if raw.__class__ is not str:
                return parse(raw, fld, opts, cl)
            outcome = seen.get(raw, _MISSING)
            if outcome is _MISSING:
                try:
                    outcome = parse(raw, fld, opts, cl)
                except BadValue as bad:
                    outcome = bad
                if len(seen) < MEMO_SIZE:
                    seen[raw] = outcome
            if outcome.__class__ is BadValue:
                raise outcome
            return list(outcome) if outcome.__class__ is list else outcome

        return memoised

    def validate(self, row: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        """Return the cleaned row (empty cells left out) and every problem in it."""
        clean: dict[str, Any] = {}
        problems: list[Problem] = []
        get = row.get
        for name, parse, fld, codelist in self._fields:
            raw = get(name)
            kind = raw.__class__
            if raw is None or (kind is str and (not raw or raw.isspace())) or (
                    kind is not str and (raw == [] or is_empty(raw))):
                if fld.required:
                    problems.append(problem("REQUIRED_MISSING", field=name, label=fld.label))
                continue
            try:
                value = parse(raw, fld, self.options, codelist)
            except BadValue as bad:
                problems.append(problem(bad.code, field=name, value=raw, label=fld.label,
                                        **bad.params))
                continue
            if value != []:
                clean[name] = value
        if not problems:
            for check in self._rules:
                problems.extend(check(clean))
        for p in problems:
            p.record_type = self.record_type.name
        return clean, problems


def validate_document(document: Mapping[str, Any]) -> list[Problem]:
    """Rules across an incident and its child rows (route legs, groups, fees, harms)."""
    problems = [p for check in DOCUMENT_RULES for p in check(document)]
    for p in problems:
        p.record_type = "incident"
        p.reference = str(document.get("incident_ref", ""))
    return problems


def validate_record(record_type: str, data: Mapping[str, Any],
                    options: ParseOptions | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one whole record as nested data (the JSON layout): fields and child lists.

    This is the entry point for the API, the web form and JSON files.
    """
    standard = load_standard()
    rtype = standard.record_type(record_type)
    clean, problems = RowValidator(rtype, standard, options).validate(data)
    for child_name in standard.children.get(record_type, ()):
        child = standard.record_type(child_name)
        validator = RowValidator(child, standard, options)
        rows = []
        for raw in data.get(child.plural) or []:
            row = {**raw, "incident_ref": raw.get("incident_ref") or data.get("incident_ref")}
            child_clean, child_problems = validator.validate(row)
            rows.append(child_clean)
            problems += child_problems
        if rows:
            clean[child.plural] = rows
    if record_type == "incident":
        problems += validate_document(clean)
    return clean, problems


def rule_codes() -> list[str]:
    """Every stable rule code, for documentation and tests."""
    return sorted(RULES)
