"""Released indicator tables as SDMX: SDMX-ML 2.1 structure-specific data and SDMX-CSV 2.0.

The Crossings data structure definition (agency ``CROSSINGS``, id ``DSD_SMUGGLING``):

| component | role | codes |
|---|---|---|
| INDICATOR | dimension | CL_INDICATOR: the count indicators of ``crossings.analysis.queries`` |
| REF_AREA | dimension | CL_AREA: UN M49 (116 Cambodia, 764 Thailand, ...); ``_T`` all reporters |
| FLOW | dimension | CL_FLOW: REPORTED (by REF_AREA), FROM, THROUGH, TO (the route rule) |
| TIME_PERIOD | dimension | 2025, 2025-S1, 2025-Q1, 2025-03 |
| SEX, AGE, CITIZENSHIP | dimensions | see below |
| LOCATION_TYPE, TRANSPORT_MODE | dimensions | see below |
| OBS_VALUE | measure | integer; empty when suppressed |
| CONF_STATUS | attribute | F free, C confidential (suppressed) |
| UNIT_MEASURE | attribute | PERSONS, INCIDENTS, DOCUMENTS |
| ICCS | attribute | CL_ICCS (UNODC ICCS 08051, 07023, ...) |
| N_INCIDENTS | attribute | incidents the figure rests on (rounded as the value) |

Breakdown dimensions are ``_T`` when the table is not broken down by them; ``_U`` means unknown
and ``_X`` not asked or not recorded. pysdmx writes codes without checking them against the code
lists, so :func:`to_sdmx_frame` checks every code first and raises :class:`SdmxError` naming the
bad ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd
from pysdmx.io import write_sdmx
from pysdmx.io.format import Format
from pysdmx.io.pd import PandasDataset
from pysdmx.model import Code, Codelist, Concept, ConceptScheme, DataType
from pysdmx.model.dataflow import Component, Components, DataStructureDefinition, Role, Schema

from crossings.analysis.queries import MEASURES
from crossings.analysis.release import Release
from crossings.standard.model import load_standard, m49

AGENCY, DSD_ID, VERSION = "CROSSINGS", "DSD_SMUGGLING", "1.0"
SPECIAL = {"_T": "Total", "_U": "Unknown", "_X": "Not asked or not recorded"}
MISSING = {"UNKNOWN": "_U", "NOT_ASKED": "_X", "EMPTY": "_X", "NOT_RECORDED": "_X"}
DIMENSIONS = ("INDICATOR", "REF_AREA", "FLOW", "TIME_PERIOD", "SEX", "AGE", "CITIZENSHIP",
              "LOCATION_TYPE", "TRANSPORT_MODE")
BREAKDOWN_TO_DIM = {"sex": "SEX", "age": "AGE", "citizenship": "CITIZENSHIP",
                    "location_type": "LOCATION_TYPE", "transport_mode": "TRANSPORT_MODE",
                    "country": "REF_AREA"}
TIME_BREAKDOWNS = ("year", "quarter", "month")
FORMATS = {"sdmx-ml": Format.DATA_SDMX_ML_2_1_STR, "sdmx-csv": Format.DATA_SDMX_CSV_2_0_0}


class SdmxError(ValueError):
    """A table that cannot be written as SDMX, with the reason."""


def _codelist(id_: str, codes: dict[str, str]) -> Codelist:
    return Codelist(id=id_, agency=AGENCY, version=VERSION, name=id_,
                    items=[Code(id=c, name=n) for c, n in codes.items()])


@cache
def codelists() -> dict[str, Codelist]:
    """The code lists of the DSD, built from the standard."""
    standard = load_standard()
    countries = {code: name for c, name in standard.codelists["country"].codes.items()
                 if (code := m49(c)) is not None}
    coded = {name: {c: n for c, n in standard.codelists[name].codes.items() if c not in MISSING}
             for name in ("location_type", "transport_mode", "iccs")}
    sex = {"F": "Female", "M": "Male", "_O": "Other"}
    ages = {c: n for c, n in standard.codelists["age_group"].codes.items()
            if c not in MISSING and c != "_T"}
    counted = {name.upper(): m.label for name, m in MEASURES.items() if m.is_count}
    return {
        "INDICATOR": _codelist("CL_INDICATOR", counted),
        "REF_AREA": _codelist("CL_AREA", countries | {"_T": "All reporting countries"}),
        "FLOW": _codelist("CL_FLOW", {"REPORTED": "Reported by the area",
                                      "FROM": "From the area (route origin)",
                                      "THROUGH": "Through the area (transit)",
                                      "TO": "To the area (route destination)"}),
        "SEX": _codelist("CL_SEX", sex | SPECIAL),
        "AGE": _codelist("CL_AGE", ages | SPECIAL),
        "CITIZENSHIP": _codelist("CL_CITIZENSHIP", countries | {"XXA": "Stateless"} | SPECIAL),
        "LOCATION_TYPE": _codelist("CL_LOCATION_TYPE", coded["location_type"] | SPECIAL),
        "TRANSPORT_MODE": _codelist("CL_TRANSPORT_MODE", coded["transport_mode"] | SPECIAL),
        "CONF_STATUS": _codelist("CL_CONF_STATUS", {"F": "Free", "C": "Confidential"}),
        "UNIT_MEASURE": _codelist("CL_UNIT_MEASURE", {"PERSONS": "Persons",
                                                      "INCIDENTS": "Incidents",
                                                      "DOCUMENTS": "Documents"}),
        "ICCS": _codelist("CL_ICCS", coded["iccs"]),
    }


def _component(id_: str, role: Role, dtype: DataType = DataType.STRING, *,
               required: bool = True, attachment: str | None = None) -> Component:
    lists = codelists()
    urn = (f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={AGENCY}:CS_CROSSINGS"
           f"({VERSION}).{id_}")
    return Component(id=id_, required=required, role=role, concept=Concept(id=id_, urn=urn),
                     local_dtype=dtype, local_codes=lists.get(id_),
                     attachment_level=attachment)


@cache
def components() -> Components:
    """The DSD's components, in order."""
    dims = [_component(d, Role.DIMENSION, DataType.PERIOD if d == "TIME_PERIOD"
                       else DataType.STRING) for d in DIMENSIONS]
    return Components([
        *dims,
        _component("OBS_VALUE", Role.MEASURE, DataType.INTEGER, required=False),
        _component("CONF_STATUS", Role.ATTRIBUTE, required=True, attachment="O"),
        _component("UNIT_MEASURE", Role.ATTRIBUTE, required=True, attachment="O"),
        _component("ICCS", Role.ATTRIBUTE, required=False, attachment="O"),
        _component("N_INCIDENTS", Role.ATTRIBUTE, DataType.INTEGER, required=False,
                   attachment="O")])


def schema() -> Schema:
    """The data structure as pysdmx wants it for writing data."""
    return Schema(context="datastructure", agency=AGENCY, id=DSD_ID, version=VERSION,
                  components=components())


def structure() -> DataStructureDefinition:
    """The data structure definition (for a structure message)."""
    return DataStructureDefinition(id=DSD_ID, agency=AGENCY, version=VERSION,
                                   name="Smuggling of migrants (Crossings)", is_final=True,
                                   components=components())


def _code(dim: str, value: str) -> str:
    if value == "_T" or value in MISSING:
        return MISSING.get(value, value)
    if dim in ("REF_AREA", "CITIZENSHIP"):
        return "XXA" if value == "STATELESS" else (m49(value) or value)
    if dim == "SEX":
        return {"FEMALE": "F", "MALE": "M", "OTHER": "_O"}.get(value, value)
    return value


def _time(value: str, default: str) -> str:
    if value == "_T":
        return default
    return value


def _sdmx_period(label: str) -> str:
    return label.replace("-H", "-S")


def _rows(item: Release) -> pd.DataFrame:
    table = item.table
    unsupported = [b for b in table.by if b not in BREAKDOWN_TO_DIM and b not in TIME_BREAKDOWNS]
    if unsupported or not MEASURES[table.indicator].is_count:
        raise SdmxError(f"{table.indicator} by {', '.join(table.by)} has no SDMX form "
                        f"(breakdowns: {', '.join([*BREAKDOWN_TO_DIM, *TIME_BREAKDOWNS])}; "
                        "count indicators only): write CSV or XLSX")
    filters, frame = table.filters, table.frame
    period = _sdmx_period(filters.period.label) if filters.period else ""
    time_by = next((b for b in table.by if b in TIME_BREAKDOWNS), None)
    if time_by:
        frame = frame[frame[time_by] != "EMPTY"]  # dated to the year only: in the year's total
    out = pd.DataFrame(index=frame.index)
    out["INDICATOR"] = table.indicator.upper()
    area = m49(filters.country) if filters.country else "_T"
    out["REF_AREA"] = area
    out["FLOW"] = filters.flow.upper()
    out["TIME_PERIOD"] = frame[time_by].map(lambda v: _time(str(v), period)) if time_by else period
    for breakdown, dim in BREAKDOWN_TO_DIM.items():
        if breakdown in table.by:
            out[dim] = frame[breakdown].map(lambda v, d=dim: _code(d, str(v)))
        elif dim != "REF_AREA":
            out[dim] = "_T"
    out["OBS_VALUE"] = frame["value"].astype("Int64")
    out["CONF_STATUS"] = frame["status"].map(lambda s: "C" if s == "C" else "F")
    out["UNIT_MEASURE"] = table.unit
    out["ICCS"] = table.iccs
    out["N_INCIDENTS"] = frame["n_incidents"].astype("Int64")
    return out


def to_sdmx_frame(releases: Sequence[Release]) -> pd.DataFrame:
    """The observations of every table in DSD columns, codes checked against the code lists."""
    frame = pd.concat([_rows(item) for item in releases], ignore_index=True)
    frame = frame[[*DIMENSIONS, "OBS_VALUE", "CONF_STATUS", "UNIT_MEASURE", "ICCS",
                   "N_INCIDENTS"]]
    if frame["TIME_PERIOD"].eq("").any():
        raise SdmxError("SDMX needs a period: give --period or break down by year/quarter/month")
    check_codes(frame)
    return frame


def check_codes(frame: pd.DataFrame) -> None:
    """Raise SdmxError if any coded column holds a code missing from its code list."""
    problems = []
    for column, codelist in codelists().items():
        if column not in frame:
            continue
        allowed = {code.id for code in codelist.items}
        values = frame[column].dropna().astype(str)
        values = values[values != ""]
        bad = sorted(set(values) - allowed)
        if bad:
            problems.append(f"{column}: {', '.join(bad[:10])} not in {codelist.id}")
    if problems:
        raise SdmxError("codes not in the code lists: " + "; ".join(problems))


def write(releases: Sequence[Release], fmt: str, out: Path) -> None:
    """Write SDMX-ML 2.1 structure-specific (``sdmx-ml``) or SDMX-CSV 2.0 (``sdmx-csv``)."""
    frame = to_sdmx_frame(releases)
    frame["ICCS"] = frame["ICCS"].replace("", None)
    dataset = PandasDataset(structure=schema(), data=frame)
    write_sdmx([dataset], FORMATS[fmt], output_path=str(out))


def write_structure(out: Path) -> None:
    """The code lists and the DSD as an SDMX-ML 2.1 structure message."""
    scheme = ConceptScheme(id="CS_CROSSINGS", agency=AGENCY, version=VERSION,
                           name="Concepts of the Crossings DSD", is_final=True,
                           items=[Concept(id=c.id, name=c.id) for c in components()])
    write_sdmx([*codelists().values(), scheme, structure()], Format.STRUCTURE_SDMX_ML_2_1,
               output_path=str(out))
