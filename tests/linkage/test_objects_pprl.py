"""Objects by their identifiers; PPRL encodings that never carry a name."""

from __future__ import annotations

import base64
import csv
import json

from crossings.linkage.evaluate import score
from crossings.linkage.names import name_keys
from crossings.linkage.objects import link_objects
from crossings.linkage.pprl import PersonFeatures, encode, features_of, match_encodings
from crossings.linkage.prepare import prepare_persons

SECRET = b"a secret shared by two countries"


def test_objects_link_by_phone_plate_imo_and_vessel_name():
    rows = [
        {"record_id": "1", "phone": "077 576 080"}, {"record_id": "2", "phone": "+85577576080"},
        {"record_id": "3", "plate": "SR 3H-9503"}, {"record_id": "4", "plate": "sr3h9503"},
        {"record_id": "5", "vessel_name": "Chai Mongkol 7", "flag_country": "THA"},
        {"record_id": "6", "vessel_name": "ChaiMongkol7", "flag_country": "THA"},
        {"record_id": "7", "vessel_name": "Chai Mongkon 7", "flag_country": "THA"},
        {"record_id": "8", "vessel_name": "Chai Mongkol 8", "flag_country": "THA"},
        {"record_id": "9", "imo": "9310616"}, {"record_id": "10", "imo": "IMO 9310616"},
    ]
    ids = link_objects(rows, country="KHM")
    assert ids["1"] == ids["2"] and ids["3"] == ids["4"] and ids["9"] == ids["10"]
    assert ids["5"] == ids["6"] == ids["7"] != ids["8"]
    assert all(i.startswith("O-") for i in ids.values())


def test_generated_objects_link_accurately(generated):
    rows, truth = [], {}
    for path in sorted(generated.glob("*/objects.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.append({**row, "record_id": f"{path.parent.name}:{row['object_ref']}"})
    with (generated / "truth" / "object_identities.csv").open(encoding="utf-8") as handle:
        truth = {f"{r['reporting_country']}:{r['object_ref']}": r["identity_id"]
                 for r in csv.DictReader(handle)}
    scores = score(link_objects(rows), truth)
    assert scores.precision >= 0.99 and scores.recall >= 0.9, scores


def _person(record_id: str, name: str, birth=(1974, 1, 25), sex="M") -> PersonFeatures:
    keys = name_keys(name)
    return PersonFeatures(record_id, keys.romans, keys.phonetic, birth, sex)


def test_encodings_never_contain_the_name_or_the_record_id():
    enc = encode([_person("KHM:KHM-2023-000001-P01", "Sok Chantha")], SECRET)
    exported = json.dumps([e.to_row() for e in enc])
    for secret_text in ("Sok", "sok", "Chantha", "chantha", "1974", "KHM-2023-000001-P01"):
        assert secret_text not in exported
        assert secret_text.encode() not in base64.b64decode(enc[0].to_row()["clk"])
    assert len(enc[0].clk) == 128


def test_encodings_depend_on_the_secret():
    person = _person("r1", "Sok Chantha")
    a, b = encode([person], SECRET), encode([person], SECRET.replace(b"a", b"b"))
    assert a[0].clk != b[0].clk and a[0].pseudonym != b[0].pseudonym


def test_two_countries_link_encodings_without_names():
    khm = encode([_person("k1", "Sok Chantha"), _person("k2", "Heng Sreynich", sex="F",
                                                         birth=(1990, 5, 1))], SECRET)
    tha = encode([_person("t1", "CHANTHA Sokh"), _person("t2", "Somchai Jaidee",
                                                         birth=(1961, 2, 2))], SECRET)
    pairs = match_encodings(khm, tha, threshold=0.75)
    assert [(a, b) for a, b, _ in pairs] == [(khm[0].pseudonym, tha[0].pseudonym)]


def test_features_come_from_prepared_keys_only(persons):
    prepared = prepare_persons(persons.slice(0, 50))
    features = features_of(prepared)
    assert len(features) == 50 and all(isinstance(f.romans, tuple) for f in features)
