"""Khmer and Thai catalogues: every text of the form translated, compiled copies current, rule
messages rebuilt in the reader's language, and a new language added by configuration."""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import polib
import pytest
from django.utils import translation

from crossings.standard.model import load_standard
from crossings.standard.problems import RULES, Problem
from crossings.standard.validate import rule_codes
from crossings.web.forms.i18n import problem_text
from crossings.web.forms.messages import LOCALE, standard_messages
from crossings.web.forms.schema import incident_sections

LANGUAGES = ("km", "th")


def catalogue(language: str) -> dict[str, str]:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return {e.msgid: e.msgstr for e in po if not e.obsolete and not e.msgctxt}


def form_texts() -> set[str]:
    standard = load_standard()
    texts = set()
    for section in incident_sections():
        texts.add(section.label)
        for fld in section.fields:
            texts |= {fld.label, fld.help} - {""}
            if fld.codelist and fld.codelist not in ("country", "currency"):
                texts |= set(standard.codelists[fld.codelist].codes.values())
    rule_codes()
    return texts | {t for r in RULES.values() for t in (r.message, r.hint)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_form_and_every_rule_is_translated(language):
    translated = catalogue(language)
    missing = sorted(t for t in form_texts() if not translated.get(t))
    assert missing == [], f"untranslated in {language}: {missing[:10]}"
    assert set(standard_messages()) <= set(translated), "run `make messages`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_match_the_po_files(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in catalogue(language).items():
        if msgstr:
            assert compiled.gettext(msgid) == msgstr, f"{folder}/django.mo is stale: {msgid}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_message_is_rebuilt_in_khmer(code):
    rule = RULES[code]
    params = {name: f"V{i}" for i, (_, name, _, _) in enumerate(
        string.Formatter().parse(rule.message + rule.hint)) if name}
    params["label"] = "Date of detection"
    found = Problem(code, rule.message.format(**params), rule.hint.format(**params))
    with translation.override("km"):
        message, hint = problem_text(found)
    expected = {**params, "label": "កាលបរិច្ឆេទនៃការរកឃើញ"}
    assert message == catalogue("km")[rule.message].format(**expected)
    assert hint == catalogue("km")[rule.hint].format(**expected)


def test_a_language_is_added_by_configuration(monkeypatch):
    from django.utils.translation import get_language_info

    from crossings.web.settings import _languages

    assert _languages("en,km,th,lo")[-1] == ("lo", "Lao")
    assert get_language_info("lo")["name_local"] == "ລາວ"


def test_templates_say_nothing_untranslatable():
    """Page chrome goes through {% translate %}: no bare English sentence in the form pages."""
    folder = Path(__file__).resolve().parents[3] / "crossings/web/forms/templates/crossings/forms"
    for path in folder.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "{% load i18n" in text, path
