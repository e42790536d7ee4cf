import datetime as dt

import pytest

from crossings.standard.model import load_standard
from crossings.standard.validate import RowValidator
from crossings.standard.values import ParseOptions

TODAY = dt.date(2026, 12, 1)


def person(options=ParseOptions(today=TODAY), **cells):
    row = {"person_ref": "P-1", "incident_ref": "I-1", "role": "SMUGGLED_MIGRANT", **cells}
    return RowValidator(load_standard().record_type("person"), options=options).validate(row)


def group(**cells):
    row = {"incident_ref": "I-1", "group_no": 1, "citizenship": "KHM", "total": 10, **cells}
    return RowValidator(load_standard().record_type("migrant_group")).validate(row)


def codes(problems):
    return [p.code for p in problems]


@pytest.mark.parametrize(("raw", "stored"), [
    ("1990-05-12", "1990-05-12"), ("1990-05", "1990-05"), ("1990", "1990"),
    ("១៩៩០-០៥-១២", "1990-05-12"), ("๑๙๙๐", "1990"), (dt.datetime(1990, 5, 12), "1990-05-12"),
    ("32946", "1990-03-14"), (32946.0, "1990-03-14"),
])
def test_dates_keep_their_precision_and_read_any_digits_and_excel_serials(raw, stored):
    clean, problems = person(birth_date=raw)
    assert problems == [] and clean["birth_date"] == stored


def test_buddhist_era_years_are_converted_only_when_the_mapping_says_so():
    clean, problems = person(ParseOptions(buddhist_era=True, today=TODAY), birth_date="2533-05-12")
    assert clean["birth_date"] == "1990-05-12"
    _, problems = person(birth_date="2568-01-02")
    assert codes(problems) == ["DATE_LOOKS_BUDDHIST_ERA"]
    assert "buddhist_era: true" in problems[0].hint


def test_future_and_impossible_dates_are_refused():
    assert codes(person(birth_date="2027-01-01")[1]) == ["DATE_IN_FUTURE"]
    assert codes(person(birth_date="2025-02-30")[1]) == ["INVALID_DATE"]
    assert codes(person(birth_date="12/05/1990")[1]) == ["INVALID_DATE"]


def test_date_format_from_a_mapping():
    clean, problems = person(ParseOptions(date_format="%d/%m/%Y", today=TODAY),
                             birth_date="12/05/1990")
    assert problems == [] and clean["birth_date"] == "1990-05-12"


def test_counts_accept_khmer_and_thai_digits_and_refuse_words_and_negatives():
    assert group(total="១២", female="๕")[0]["total"] == 12
    assert codes(group(total="twelve")[1]) == ["NOT_A_WHOLE_NUMBER"]
    assert codes(group(total=-1)[1]) == ["BELOW_MINIMUM"]
    assert codes(group(total=2.5)[1]) == ["NOT_A_WHOLE_NUMBER"]


def test_codes_are_forgiving_of_case_but_not_of_spelling():
    assert group(status_after_detection="referred shelter")[0]["status_after_detection"] == \
        "REFERRED_SHELTER"
    clean, problems = group(status_after_detection="jailed")
    assert codes(problems) == ["UNKNOWN_CODE"] and "REFERRED_SHELTER" in problems[0].hint


def test_unknown_and_not_asked_are_values_distinct_from_empty():
    clean, _ = group(status_after_detection="UNKNOWN", nationality_basis="not asked")
    assert clean["status_after_detection"] == "UNKNOWN"
    assert clean["nationality_basis"] == "NOT_ASKED"
    assert "origin_country" not in clean


def test_a_two_letter_country_gets_a_suggestion():
    _, problems = group(citizenship="KH")
    assert codes(problems) == ["UNKNOWN_COUNTRY"] and "KHM" in problems[0].hint


def test_names_in_five_scripts_are_kept_exactly():
    for name in ("សុខ ចន្ថា", "สมชาย ใจดี", "ສົມພອນ", "မောင်မောင်", "Nguyễn Văn An"):
        assert person(full_name_original=name)[0]["full_name_original"] == name


def test_formula_like_text_is_stored_as_text_and_our_own_neutralising_quote_removed():
    assert person(full_name="=HYPERLINK(1)")[0]["full_name"] == "=HYPERLINK(1)"
    assert person(full_name="'=HYPERLINK(1)")[0]["full_name"] == "=HYPERLINK(1)"


def test_phones_imo_and_mmsi():
    clean, problems = person(phones="+855 12 345 678|0066-81-234-5678")
    assert problems == [] and clean["phones"] == ["+85512345678", "+66812345678"]
    obj = RowValidator(load_standard().record_type("object"))
    row = {"object_ref": "O-1", "incident_ref": "I-1", "object_type": "VESSEL"}
    assert obj.validate({**row, "imo": "IMO 9074729"})[0]["imo"] == "9074729"
    assert codes(obj.validate({**row, "imo": "9074728"})[1]) == ["INVALID_IMO"]
    assert codes(obj.validate({**row, "mmsi": "12345"})[1]) == ["INVALID_MMSI"]


def test_every_problem_of_a_row_is_reported_not_only_the_first():
    _, problems = person(role="SMUGGLER", sex="X", birth_date="soon", phones="abc")
    assert sorted(codes(problems)) == ["INVALID_DATE", "INVALID_PHONE", "UNKNOWN_CODE",
                                       "UNKNOWN_CODE"]
    assert {p.field for p in problems} == {"role", "sex", "birth_date", "phones"}


def test_control_characters_are_refused_but_script_joiners_kept():
    assert codes(person(full_name="Sok\x07Chantha")[1]) == ["INVALID_TEXT"]
    joined = "ស្រី\u200bមុំ"  # Khmer uses zero-width spaces between words
    assert person(full_name_original=joined)[0]["full_name_original"] == joined
