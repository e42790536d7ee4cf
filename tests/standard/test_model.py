from crossings.standard.model import MISSING_VALUES, TOP_LEVEL, load_standard, m49
from crossings.standard.values import PARSERS

DOMAIN_RECORD_TYPES = {"incident", "route_leg", "migrant_group", "facilitator_group",
                       "document_fraud_item", "fee_observation", "harm_observation",
                       "aggregate_return", "person", "object"}


def test_every_record_type_of_the_domain_is_defined():
    standard = load_standard()
    assert set(standard.record_types) == DOMAIN_RECORD_TYPES
    assert set(standard.children["incident"]) == DOMAIN_RECORD_TYPES - set(TOP_LEVEL)


def test_every_field_type_has_a_parser():
    types = {f.type for rt in load_standard().record_types.values() for f in rt.fields.values()}
    assert types <= set(PARSERS)


def test_coded_fields_distinguish_unknown_and_not_asked_from_empty():
    standard = load_standard()
    for rtype in standard.record_types.values():
        for fld in rtype.fields.values():
            if fld.type in ("code", "codes") and standard.codelists[fld.codelist].allows_unknown:
                assert set(MISSING_VALUES) <= set(standard.codelists[fld.codelist].codes)


def test_places_use_iso_alpha3_and_m49():
    countries = load_standard().codelists["country"]
    assert {"KHM", "THA", "LAO", "VNM", "MMR", "MYS", "IDN"} <= set(countries.codes)
    assert m49("KHM") == "116" and m49("THA") == "764"


def test_iccs_codes_of_smuggling_trafficking_and_document_fraud():
    assert {"08051", "0204", "07023"} <= set(load_standard().codelists["iccs"].codes)


def test_migrants_cannot_be_recorded_as_offenders_by_the_code_lists():
    standard = load_standard()
    status = standard.codelists["status_after_detection"].codes
    assert not {"CHARGED", "ARRESTED", "CONVICTED"} & set(status)
    migrant_fields = standard.record_type("migrant_group").fields
    assert "legal_status" not in migrant_fields and "arrested" not in migrant_fields


def test_nominal_layer_is_marked_and_holds_the_identifying_fields():
    standard = load_standard()
    nominal = {name for name, rt in standard.record_types.items() if rt.nominal}
    assert nominal == {"person", "object"}
    for name, rtype in standard.record_types.items():
        identifying = [f for f in rtype.fields.values() if f.sensitivity == "IDENTIFYING"]
        assert not identifying or name in nominal, name
