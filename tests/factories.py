"""Records for tests: small hand-written import rows in the standard's own layout."""

from __future__ import annotations

import csv
from pathlib import Path

INCIDENTS = [
    {"incident_ref": "KHM-T-1", "reporting_unit": "KHM-BLO-POIPET", "detection_date": "2025-03-02",
     "location_type": "LAND_BCP", "border_country": "THA", "event_types": "IRREGULAR_CROSSING|SOM_SUSPECTED",
     "transport_mode": "VAN", "location_name": "Poipet"},
    {"incident_ref": "KHM-T-2", "reporting_unit": "", "detection_date": "2025-04",
     "location_type": "SEAPORT", "event_types": "SOM_SUSPECTED", "location_name": "ព្រះសីហនុ"},
]
ROUTE_LEGS = [
    {"incident_ref": "KHM-T-1", "leg_no": 1, "from_country": "KHM", "to_country": "THA",
     "transport_mode": "VAN"},
    {"incident_ref": "KHM-T-1", "leg_no": 2, "from_country": "THA", "to_country": "MYS"},
]
MIGRANT_GROUPS = [
    {"incident_ref": "KHM-T-1", "group_no": 1, "citizenship": "KHM", "total": 12, "female": 5,
     "male": 7, "children": 2, "unaccompanied_children": 1},
    {"incident_ref": "KHM-T-2", "group_no": 1, "citizenship": "MMR", "total": 30},
]

def write_csv(path: Path, rows: list[dict[str, object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, list(dict.fromkeys(k for row in rows for k in row)))
        writer.writeheader()
        writer.writerows(rows)
    return path


def incident_files(directory: Path) -> list[Path]:
    """Two incidents with their route legs and migrant groups, as three CSV files."""
    return [write_csv(directory / "incidents.csv", INCIDENTS),
            write_csv(directory / "route_legs.csv", ROUTE_LEGS),
            write_csv(directory / "migrant_groups.csv", MIGRANT_GROUPS)]
