"""The XLSForm generated from the standard: committed copy current, structure, languages."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from crossings.commands.standard import XLSFORM_PATH
from crossings.standard.model import load_standard
from crossings.standard.xlsform import xform_xml, xlsform_bytes

ROOT = Path(__file__).resolve().parents[2]
STALE = "is stale: run `make regen` and commit the result"


def _sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


@pytest.fixture(scope="module")
def generated() -> dict[str, list[tuple[object, ...]]]:
    return _sheets(xlsform_bytes())


@pytest.fixture(scope="module")
def survey(generated) -> list[dict[str, object]]:
    header, *rows = generated["survey"]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_committed_xlsform_is_current(generated):
    assert _sheets((ROOT / XLSFORM_PATH).read_bytes()) == generated, f"{XLSFORM_PATH} {STALE}"


def test_committed_xform_is_current(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsform_bytes())
    committed = (ROOT / XLSFORM_PATH.with_suffix(".xml")).read_text(encoding="utf-8")
    assert committed == xform_xml(path), f"{XLSFORM_PATH.with_suffix('.xml')} {STALE}"


def test_every_child_section_is_a_repeat_and_every_field_is_asked(survey):
    standard = load_standard()
    repeats = [r["name"] for r in survey if r["type"] == "begin_repeat"]
    assert repeats == [standard.record_type(c).plural for c in standard.children["incident"]]
    names = {r["name"] for r in survey}
    for child in ("incident", *standard.children["incident"]):
        assert set(standard.record_type(child).fields) - {"incident_ref"} <= names | {"incident_ref"}


def test_labels_in_english_khmer_and_thai(survey):
    row = next(r for r in survey if r["name"] == "detection_date")
    assert row["label::English (en)"] == "Date of detection"
    assert row["label::Khmer (km)"] == "កាលបរិច្ឆេទនៃការរកឃើញ"
    assert row["label::Thai (th)"] == "วันที่ตรวจพบ"
    assert row["required"] == "yes"


def test_simple_rules_are_constraints_with_translated_messages(survey):
    total = next(r for r in survey if r["name"] == "total")
    assert total["constraint"] == ". >= 0 and . <= 100000"
    assert "100000" in total["constraint_message::Thai (th)"]
    amount = next(r for r in survey if r["name"] == "amount")
    assert ". > 0" in amount["constraint"]
    report = next(r for r in survey if r["name"] == "report_date")
    assert "${detection_date}" in report["constraint"]
    leg = next(r for r in survey if r["name"] == "leg_no" and r["type"] == "calculate")
    assert leg["calculation"] == "position(..)"


def test_choices_cover_code_lists_with_country_names_translated(generated):
    header, *rows = generated["choices"]
    choices = [dict(zip(header, row, strict=True)) for row in rows]
    thailand = next(c for c in choices if c["list_name"] == "country" and c["name"] == "THA")
    assert thailand["label::Khmer (km)"] == "ថៃ" and thailand["label::Thai (th)"] == "ไทย"
    bcp = next(c for c in choices if c["name"] == "LAND_BCP")
    assert bcp["label::Khmer (km)"] == "ច្រកព្រំដែនគោក"


def test_xform_has_instance_id_translations_and_repeats(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsform_bytes())
    xml = xform_xml(path)
    assert "<instanceID/>" in xml and 'lang="Khmer (km)"' in xml
    assert '<repeat nodeset="/data/route_legs">' in xml
