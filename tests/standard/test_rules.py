from crossings.standard.validate import validate_record

INCIDENT = {"incident_ref": "KHM-1", "detection_date": "2025-03-01", "location_type": "LAND_BCP",
            "event_types": "IRREGULAR_CROSSING|SOM_SUSPECTED"}


def problems_of(record_type="incident", **data):
    base = INCIDENT if record_type == "incident" else {}
    return validate_record(record_type, {**base, **data})[1]


def codes(**data):
    return sorted(p.code for p in problems_of(**data))


def test_a_complete_incident_is_valid():
    assert codes(route_legs=[{"leg_no": 1, "from_country": "KHM", "to_country": "THA"}],
                 migrant_groups=[{"group_no": 1, "citizenship": "KHM", "total": 12,
                                  "female": 5, "male": 7, "children": 3, "age_0_4": 1}],
                 fee_observations=[{"fee_no": 1, "amount": 5000, "currency": "THB",
                                    "leg_no": 1}]) == []


def test_breakdowns_never_exceed_totals():
    found = problems_of(migrant_groups=[{"group_no": 1, "citizenship": "KHM", "total": 10,
                                         "female": 6, "male": 6, "children": 11,
                                         "unaccompanied_children": 2}])
    assert [p.code for p in found] == ["BREAKDOWN_EXCEEDS_TOTAL"] * 2
    assert {p.field for p in found} == {"female", "children"}
    assert "12" in found[0].message and "10" in found[0].message


def test_unaccompanied_children_within_children():
    assert codes(migrant_groups=[{"group_no": 1, "citizenship": "KHM", "total": 10,
                                  "children": 2, "unaccompanied_children": 3}]) == \
        ["BREAKDOWN_EXCEEDS_TOTAL"]


def test_arrested_facilitators_within_detected():
    assert codes(facilitator_groups=[{"group_no": 1, "citizenship": "THA", "detected": 2,
                                      "arrested": 3}]) == ["BREAKDOWN_EXCEEDS_TOTAL"]


def test_route_legs_contiguous_and_numbered():
    legs = [{"leg_no": 1, "from_country": "MMR", "to_country": "THA"},
            {"leg_no": 2, "from_country": "LAO", "to_country": "MYS"}]
    found = problems_of(route_legs=legs)
    assert [p.code for p in found] == ["ROUTE_NOT_CONTIGUOUS"]
    assert "THA" in found[0].message and "LAO" in found[0].message
    assert codes(route_legs=[{**legs[0], "leg_no": 2}]) == ["ROUTE_LEGS_NOT_NUMBERED"]


def test_unknown_transit_country_does_not_break_contiguity():
    assert codes(route_legs=[{"leg_no": 1, "from_country": "MMR", "to_country": "UNKNOWN"},
                             {"leg_no": 2, "from_country": "THA", "to_country": "MYS"}]) == []


def test_fees_positive_with_a_currency():
    assert codes(fee_observations=[{"fee_no": 1, "amount": 0, "currency": "USD"}]) == \
        ["FEE_NOT_POSITIVE"]
    found = problems_of(fee_observations=[{"fee_no": 1, "amount": 300}])
    assert [p.code for p in found] == ["FEE_CURRENCY_MISSING"] and found[0].field == "currency"


def test_deaths_cannot_exceed_persons_involved():
    assert codes(migrant_groups=[{"group_no": 1, "citizenship": "MMR", "total": 20}],
                 harm_observations=[{"harm_no": 1, "harm_type": "DEATH", "dead": 15},
                                    {"harm_no": 2, "harm_type": "MISSING", "missing": 6}]) == \
        ["DEATHS_EXCEED_PERSONS"]


def test_a_death_needs_a_number():
    assert codes(harm_observations=[{"harm_no": 1, "harm_type": "DEATH"}]) == \
        ["HARM_COUNT_MISSING"]


def test_dates_in_order():
    found = problems_of(report_date="2025-02-01")
    assert [p.code for p in found] == ["DATES_OUT_OF_ORDER"] and found[0].field == "report_date"
    assert codes(detection_date="2025-03", report_date="2025-03-14") == []


def test_smuggled_migrant_is_never_an_offender():
    person = {"person_ref": "P-1", "incident_ref": "KHM-1", "role": "SMUGGLED_MIGRANT"}
    found = problems_of("person", **person, legal_status="CHARGED")
    assert [p.code for p in found] == ["MIGRANT_AS_OFFENDER"] and "Art. 5" in found[0].hint
    assert problems_of("person", **{**person, "role": "FACILITATOR"}, legal_status="CHARGED") == []


def test_objects_need_an_identifier():
    assert [p.code for p in problems_of("object", object_ref="O-1", incident_ref="KHM-1",
                                        object_type="VESSEL")] == ["OBJECT_WITHOUT_IDENTIFIER"]


def test_every_rule_has_a_message_and_a_hint_and_a_stable_code():
    from crossings.standard.problems import RULES

    for code, rule in RULES.items():
        assert code.isupper() and rule.message and rule.hint, code
