"""SDMX-ML 2.1 structure-specific data and SDMX-CSV from released tables, codes checked."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest
from pysdmx.io import read_sdmx

from crossings.analysis.indicators import Filters, compute, parse_period
from crossings.analysis.release import release
from crossings.exchange import sdmx

FILTERS = Filters("KHM", period=parse_period("2025"))


def released(store, indicator, by, level="partner"):
    return release(compute(store, indicator, FILTERS, by), level)


def test_sdmx_ml_reads_back_with_the_released_values(store, tmp_path):
    table = released(store, "migrants", ["quarter", "sex"])
    sdmx.write([table], "sdmx-ml", tmp_path / "out.xml")
    [dataset] = read_sdmx(tmp_path / "out.xml").data
    back = dataset.data
    frame = table.table.frame
    frame = frame[frame["quarter"] != "EMPTY"]
    assert len(back) == len(frame)
    assert set(back["REF_AREA"]) == {"116"} and set(back["FLOW"]) == {"REPORTED"}
    assert set(back["TIME_PERIOD"]) == {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025"}
    assert set(back["SEX"]) == {"F", "M", "_U", "_X", "_T"}
    total = back[(back["TIME_PERIOD"] == "2025") & (back["SEX"] == "_T")]["OBS_VALUE"]
    assert int(total.iloc[0]) == int(frame[(frame["quarter"] == "_T")
                                           & (frame["sex"] == "_T")]["value"].iloc[0])


def test_sdmx_csv_marks_suppressed_observations_confidential(store, tmp_path):
    table = released(store, "migrants", ["quarter", "age"])
    sdmx.write([table], "sdmx-csv", tmp_path / "out.csv")
    rows = list(csv.DictReader((tmp_path / "out.csv").open()))
    assert rows[0]["STRUCTURE_ID"] == "CROSSINGS:DSD_SMUGGLING(1.0)"
    hidden = [r for r in rows if r["CONF_STATUS"] == "C"]
    assert hidden and all(r["OBS_VALUE"] == "" for r in hidden)
    assert {r["UNIT_MEASURE"] for r in rows} == {"PERSONS"} and rows[0]["ICCS"] == "08051"


def test_a_code_missing_from_the_code_lists_is_refused_before_writing(store, tmp_path):
    table = released(store, "migrants", ["citizenship"])
    frame = table.table.frame.copy()
    frame.loc[0, "citizenship"] = "ATLANTIS"
    bad = replace(table, table=replace(table.table, frame=frame))
    with pytest.raises(sdmx.SdmxError, match="ATLANTIS"):
        sdmx.write([bad], "sdmx-csv", tmp_path / "bad.csv")
    assert not (tmp_path / "bad.csv").exists()


def test_breakdowns_without_an_sdmx_dimension_are_refused(store, tmp_path):
    with pytest.raises(sdmx.SdmxError, match="CSV or XLSX"):
        sdmx.write([released(store, "migrants", ["route"])], "sdmx-csv", tmp_path / "x.csv")
    with pytest.raises(sdmx.SdmxError):
        sdmx.write([released(store, "fees", [])], "sdmx-csv", tmp_path / "y.csv")


def test_several_indicators_share_one_dataset(store, tmp_path):
    tables = [released(store, "incidents", ["location_type"]),
              released(store, "fraudulent_documents", [])]
    frame = sdmx.to_sdmx_frame(tables)
    assert set(frame["INDICATOR"]) == {"INCIDENTS", "FRAUDULENT_DOCUMENTS"}
    assert set(frame[frame["INDICATOR"] == "FRAUDULENT_DOCUMENTS"]["ICCS"]) == {"07023"}
    assert set(frame[frame["INDICATOR"] == "INCIDENTS"]["LOCATION_TYPE"]) > {"_T", "LAND_BCP"}


def test_the_structure_message_holds_the_dsd_and_its_code_lists(tmp_path):
    sdmx.write_structure(tmp_path / "structure.xml")
    kinds = [type(s).__name__ for s in read_sdmx(tmp_path / "structure.xml").structures]
    assert "DataStructureDefinition" in kinds and kinds.count("Codelist") == 11
    area = sdmx.codelists()["REF_AREA"]
    assert {"116", "764", "418", "104", "704", "458", "360"} <= {c.id for c in area.items}
