"""Names in five scripts: native forms kept whole, romanised per script, titles and order."""

from __future__ import annotations

import pytest

from crossings.linkage.burmese import romanise_burmese
from crossings.linkage.names import name_keys, strip_titles
from crossings.linkage.phonetic import skeleton
from crossings.linkage.romanise import romanisations, romanise
from crossings.linkage.scripts import Script, detect_script, fold_latin


def test_khmer_vowel_signs_are_never_stripped():
    keys = name_keys("Sok Chantha", "សុខ ចាន់ថា")
    assert keys.native is not None and "សុខ" in keys.native  # U+17BB kept
    assert "\u17bb" in keys.native and "\u17b6" in keys.native
    assert fold_latin("សុខ") == "សុខ"  # folding only ever touches Latin letters


def test_lao_and_burmese_marks_survive_folding():
    assert fold_latin("ສົມພອນ") == "ສົມພອນ"
    assert fold_latin("မောင်") == "မောင်"


@pytest.mark.parametrize(("text", "script"), [
    ("សុខ ចាន់ថា", Script.KHMER), ("สมชาย ใจดี", Script.THAI), ("ທອງລຸນ", Script.LAO),
    ("မင်းအောင်လှိုင်", Script.BURMESE), ("Nguyễn Văn Hùng", Script.LATIN)])
def test_scripts_are_detected(text, script):
    assert detect_script(text) is script


def test_thai_is_romanised_as_people_write_it():
    assert romanise("สมชาย ใจดี") == "somchai chaidi"


def test_lao_keeps_two_romanisations():
    assert romanisations("ແກ້ວ") == ("kaeo", "aeko")
    assert "somphon kaeomani" in romanisations("ສົມພອນ ແກ້ວມະນີ")


def test_khmer_goes_through_anyascii_and_meets_the_popular_spelling_phonetically():
    assert romanise("សុខ ចាន់ថា") == "sokh chanatha"
    assert name_keys("Sok Chantha").phonetic[0] == name_keys(None, "សុខ ចាន់ថា").phonetic[0]


@pytest.mark.parametrize(("native", "roman"), [
    ("အောင်ဆန်းစုကြည်", "aung hsan su kyi"), ("မင်းအောင်လှိုင်", "min aung hlaing"),
    ("ကျော်", "kyaw"), ("ထွန်း", "htun"), ("မြင့်", "myint"), ("သန့်", "thant"),
    ("နန္ဒာ", "nanda"), ("ဖြိုး", "phyo")])
def test_burmese_is_romanised_per_syllable(native, roman):
    assert romanise_burmese(native) == roman


def test_vietnamese_diacritics_are_folded():
    assert romanise("Nguyễn Thị Đào") == "nguyen thi dao"


def test_honorifics_and_particles_are_removed():
    assert strip_titles(["mr", "sok", "chantha"]) == [["sok", "chantha"]]
    assert strip_titles(["neak", "srey", "chan", "sreypov"]) == [["chan", "sreypov"]]
    assert name_keys("Nai Boonmee Suksombun").roman == name_keys("Boonmee Suksombun").roman
    assert name_keys(None, "นายสมชาย ใจดี").native == name_keys(None, "ใจดี สมชาย").native
    assert "นาย" not in (name_keys(None, "นายสมชาย ใจดี").native or "")
    assert name_keys("Ông Nguyễn Văn Hùng").roman == "hung nguyen van"


def test_a_title_that_is_also_a_name_keeps_both_forms():
    assert strip_titles(["ma", "su", "su"]) == [["su", "su"], ["ma", "su", "su"]]
    keys = name_keys("Daw Khin Mya", "ဒေါ်ခင်မြ")
    assert keys.native == "ခင်မြ"


def test_swapped_order_gives_the_same_keys():
    a, b = name_keys("Sok Chantha"), name_keys("CHANTHA SOK")
    assert a.roman == b.roman and a.phonetic[0] == b.phonetic[0]


def test_words_run_together_still_meet():
    assert set(name_keys("Srey Oun Sok").phonetic) & set(name_keys("SOK Sreyoun").phonetic)


@pytest.mark.parametrize("variants", [
    ("Sok", "Sokh", "Sauk"), ("Chantha", "Chanta", "chanatha"), ("Boonmee", "Bunmi"),
    ("Wong", "Vong", "Wongs"), ("Phorn", "Phon", "Pon"), ("Taing", "Tang"),
    ("Khieu", "Khiev", "Kheav"), ("Jai", "Chai"), ("Htet", "Tet")])
def test_spelling_variants_share_a_phonetic_key(variants):
    assert len({skeleton(v) for v in variants}) == 1


def test_different_names_keep_different_keys():
    assert skeleton("Su") != skeleton("Thi") and skeleton("Sok") != skeleton("Sak")
    assert skeleton("Thi") != skeleton("Thet")
