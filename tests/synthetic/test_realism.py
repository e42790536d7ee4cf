"""The demo looks like the region: children, deaths at sea, fees in several currencies, five scripts."""

from __future__ import annotations

import re
from collections import Counter

from crossings.synthetic import GenerationSummary
from tests.synthetic.conftest import read_rows, rows_by_country

SCRIPTS = {"Khmer": r"[\u1780-\u17FF]", "Thai": r"[\u0E00-\u0E7F]", "Lao": r"[\u0E80-\u0EFF]",
           "Burmese": r"[\u1000-\u109F]", "Vietnamese": r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]"}


def _all(demo: GenerationSummary, plural: str) -> list[dict[str, str]]:
    return [row for rows in rows_by_country(demo.out_dir, plural).values() for row in rows]


def test_children_and_unaccompanied_minors(demo: GenerationSummary) -> None:
    groups = _all(demo, "migrant_groups")
    total = sum(int(g["total"]) for g in groups)
    children = sum(int(g["children"] or 0) for g in groups)
    assert 0.05 < children / total < 0.3
    assert sum(int(g["unaccompanied_children"] or 0) for g in groups) > 0


def test_deaths_at_sea(demo: GenerationSummary) -> None:
    harms = _all(demo, "harm_observations")
    drowned = [h for h in harms if h["harm_type"] == "DEATH" and h["cause_of_death"] == "DROWNING"]
    assert drowned and sum(int(h["dead"]) for h in drowned) > 10
    assert any(h["harm_type"] == "MISSING" for h in harms)


def test_fees_in_several_local_currencies(demo: GenerationSummary) -> None:
    currencies = Counter(f["currency"] for f in _all(demo, "fee_observations"))
    assert {"THB", "USD", "KHR", "MYR", "LAK", "VND", "MMK"} <= set(currencies)


def test_names_in_all_five_scripts(demo: GenerationSummary) -> None:
    originals = [p["full_name_original"] for p in _all(demo, "persons")]
    for script, pattern in SCRIPTS.items():
        assert sum(bool(re.search(pattern, name)) for name in originals) >= 10, script


def test_unknown_and_not_asked_are_used_but_rare(demo: GenerationSummary) -> None:
    incidents = _all(demo, "incidents")
    for field in ("detection_method", "transport_mode", "source_type"):
        values = Counter(row[field] for row in incidents)
        gap = (values["UNKNOWN"] + values["NOT_ASKED"] + values[""]) / len(incidents)
        assert values["UNKNOWN"] and values["NOT_ASKED"] and 0.03 < gap < 0.25, field


def test_seasons_show(demo: GenerationSummary) -> None:
    sea = [i["detection_date"][5:7] for i in _all(demo, "incidents")
           if i["location_type"].startswith("AT_SEA")]
    months = Counter(m for m in sea if m)
    dry = sum(months[m] for m in ("01", "02", "11", "12"))
    monsoon = sum(months[m] for m in ("06", "07", "08", "09"))
    assert dry > 3 * monsoon


def test_malaysia_and_indonesia_send_only_aggregates(demo: GenerationSummary) -> None:
    for country in ("MYS", "IDN"):
        assert read_rows(demo.out_dir / country / "incidents.csv") == []
        assert len(read_rows(demo.out_dir / country / "aggregate_returns.csv")) > 100


def test_vessels_and_roles(demo: GenerationSummary) -> None:
    objects = _all(demo, "objects")
    assert {"PHONE", "VEHICLE", "VESSEL"} <= {o["object_type"] for o in objects}
    assert any(o["imo"] for o in objects) and any(o["mmsi"] for o in objects)
    roles = Counter(p["role"] for p in _all(demo, "persons"))
    assert roles["SMUGGLED_MIGRANT"] > roles["FACILITATOR"] > roles["WITNESS"] > 0
    assert all(not p["legal_status"] for p in _all(demo, "persons")
               if p["role"] != "FACILITATOR")
