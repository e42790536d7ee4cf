"""Partner formats as data: a YAML mapping adapts a country's own spreadsheet to the standard.

Example::

    # mappings/tha-immigration.yaml
    encoding: windows-874          # optional: forced text encoding
    delimiter: ";"                 # optional
    header_row: 2                  # optional: 1-based; detected when absent
    buddhist_era: true             # years in dates are Thai Buddhist era (2568 = 2025)
    date_format: "%d/%m/%Y"        # optional: strptime format of dates
    record_types:                  # file stems or sheet names -> record type
      Cases: incident
      Nationals: migrant_group
    columns:                       # partner column -> field of the standard
      Case No: incident_ref
      Nationality: citizenship
    codes:                         # field -> partner value -> code of the standard
      citizenship: {KH: KHM, TH: THA, "Myanmar": MMR}
    ignore: [Remarks (internal)]   # partner columns deliberately not imported
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crossings.standard.model import load_standard
from crossings.standard.values import ParseOptions


class MappingError(Exception):
    """The mapping file itself is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Mapping:
    """Column names, codes and reading options of one partner format."""

    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    record_types: dict[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    buddhist_era: bool = False
    date_format: str | None = None

    def field_for(self, column: str) -> str:
        """The standard's field name for a partner column (case and spaces forgiven)."""
        key = normalise_column(column)
        return self.columns.get(key, key.replace(" ", "_"))

    def parse_options(self) -> ParseOptions:
        return ParseOptions(buddhist_era=self.buddhist_era, date_format=self.date_format)

    def translate(self, fieldname: str, value: Any) -> Any:
        """Replace a partner's code by the standard's, in single and multi-valued cells."""
        table = self.codes.get(fieldname)
        if not table or value is None:
            return value
        if isinstance(value, list):
            return [table.get(str(v).strip().casefold(), v) for v in value]
        text = str(value).strip()
        if "|" in text:
            return "|".join(table.get(part.strip().casefold(), part) for part in text.split("|"))
        return table.get(text.casefold(), value)


def normalise_column(name: str) -> str:
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


def load_mapping(path: Path | None) -> Mapping:
    """Read and check a mapping file; no file means the standard's own column names."""
    if path is None:
        return Mapping()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"{path}: cannot read the mapping file: {exc}") from None
    if not isinstance(raw, dict):
        raise MappingError(f"{path}: a mapping file must be a YAML dictionary.")
    return _checked(path, raw)


ALLOWED_KEYS = {"encoding", "delimiter", "header_row", "buddhist_era", "date_format",
                "record_types", "columns", "codes", "ignore"}


def _checked(path: Path, raw: dict[str, Any]) -> Mapping:
    standard = load_standard()
    fields = {name for rt in standard.record_types.values() for name in rt.fields}
    unknown = set(raw) - ALLOWED_KEYS
    if unknown:
        raise MappingError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: "
                           f"{sorted(ALLOWED_KEYS)}.")
    columns = {normalise_column(k): str(v) for k, v in (raw.get("columns") or {}).items()}
    for column, target in columns.items():
        if target not in fields:
            raise MappingError(f"{path}: columns: '{column}' maps to '{target}', which is not a "
                               "field of the standard (see `crossings standard docs`).")
    record_types = {normalise_column(k): str(v) for k, v in (raw.get("record_types") or {}).items()}
    for name, rtype in record_types.items():
        if rtype not in standard.record_types:
            raise MappingError(f"{path}: record_types: '{name}' maps to unknown record type "
                               f"'{rtype}'; known: {', '.join(standard.record_types)}.")
    codes = {}
    for target, table in (raw.get("codes") or {}).items():
        if target not in fields or not isinstance(table, dict):
            raise MappingError(f"{path}: codes: '{target}' must be a field of the standard "
                               "with a dictionary of partner value -> code.")
        codes[target] = {str(k).strip().casefold(): str(v) for k, v in table.items()}
    return Mapping(columns=columns, codes=codes, record_types=record_types,
                   ignore=frozenset(normalise_column(c) for c in raw.get("ignore") or []),
                   encoding=raw.get("encoding"), delimiter=raw.get("delimiter"),
                   header_row=raw.get("header_row"), buddhist_era=bool(raw.get("buddhist_era")),
                   date_format=raw.get("date_format"))
