"""Objects into identities: phones, vehicles, vessels and accounts.

Objects carry identifiers, so linkage is mostly deterministic: two records are the same object
when they share a normalised key (a phone in E.164, a plate without separators, a valid IMO
number, an MMSI, an account number). Vessel names are the one fuzzy part: "ChaiMongkol7",
"Chai Mongkol 7" and "CHAI MONGKOL 7" agree once squeezed; names that still differ are linked
when they are very similar (ratio >= ``VESSEL_NAME_RATIO``), carry the same number and the
same flag. Identity ids follow the same stable rule as persons (:mod:`.cluster`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from crossings.linkage.cluster import Link, cluster, stable_ids
from crossings.linkage.identifiers import (
    imo_key,
    mmsi_key,
    phone_e164,
    plate_key,
    text_key,
)

VESSEL_NAME_RATIO = 0.9
_NUMBER = re.compile(r"\d+")


def object_keys(row: Mapping[str, Any], country: str | None = None) -> list[str]:
    """The deterministic keys of one object record (``kind:value``)."""
    keys = []
    if phone := phone_e164(row.get("phone"), country, row.get("flag_country")):
        keys.append(f"phone:{phone}")
    if plate := plate_key(row.get("plate")):
        keys.append(f"plate:{plate}")
    if imo := imo_key(row.get("imo")):
        keys.append(f"imo:{imo}")
    if mmsi := mmsi_key(row.get("mmsi")):
        keys.append(f"mmsi:{mmsi}")
    if account := text_key(row.get("account_number")):
        keys.append(f"account:{account}")
    if name := text_key(row.get("vessel_name")):
        keys.append(f"vessel:{name}|{(row.get('flag_country') or '').upper()}")
    return keys


def _key_links(keys: Mapping[str, list[str]]) -> list[Link]:
    holders: dict[str, list[str]] = defaultdict(list)
    for record, record_keys in keys.items():
        for key in record_keys:
            holders[key].append(record)
    return [Link(group[0], other, 1.0) for group in holders.values() for other in group[1:]]


def similar_vessel_names(a: str, b: str) -> bool:
    """Squeezed vessel names close enough, with the same hull number."""
    if _NUMBER.findall(a) != _NUMBER.findall(b):
        return False
    return SequenceMatcher(None, a, b).ratio() >= VESSEL_NAME_RATIO


def _vessel_links(keys: Mapping[str, list[str]]) -> list[Link]:
    by_flag: dict[str, dict[str, str]] = defaultdict(dict)
    for record, record_keys in keys.items():
        for key in record_keys:
            if key.startswith("vessel:"):
                name, flag = key[len("vessel:"):].rsplit("|", 1)
                by_flag[flag].setdefault(name, record)
    links = []
    for names in by_flag.values():
        for (a, ra), (b, rb) in combinations(sorted(names.items()), 2):
            if similar_vessel_names(a, b):
                links.append(Link(ra, rb, 0.95))
    return links


def link_objects(rows: Sequence[Mapping[str, Any]], *, id_column: str = "record_id",
                 country: str | None = None,
                 previous: Mapping[str, str] | None = None) -> dict[str, str]:
    """Identity id per object record (``rows`` in the object layout plus ``id_column``).

    Args:
        rows: object records: phone, plate, imo, mmsi, vessel_name, flag_country,
            account_number (any may be empty).
        id_column: the column holding each record's unique id.
        country: reporting country (alpha-3), to read local phone numbers.
        previous: record -> identity id of the previous run, so ids carry over.
    """
    keys = {str(row[id_column]): object_keys(row, country) for row in rows}
    links = _key_links(keys) + _vessel_links(keys)
    representative = cluster(list(keys), links, 0.5)
    return stable_ids(representative, previous, prefix="O")
