"""The standard in the reader's language: labels, code labels and rule messages.

The standard's English texts are the msgids of the gettext catalogues in ``crossings/locale``
(``make messages`` extracts them from the YAML files and the rules). Country and currency names
come from pycountry's own ISO catalogues. A rule's message is stored in English with its values
filled in; :func:`problem_text` reads the values back out of it with the rule's template and
fills the translated template with them.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
import string
from functools import cache
from typing import Any

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from crossings.standard.model import load_standard
from crossings.standard.problems import RULES, Problem

ISO_LISTS = {"country": "iso3166-1", "currency": "iso4217"}
LABEL_PARAMS = ("label", "record_label")


@cache
def _iso_catalogue(domain: str, language: str) -> stdlib_gettext.NullTranslations:
    return stdlib_gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language],
                                      fallback=True)


def code_label(codelist: str, code: str) -> str:
    """The label of one code in the active language (the code itself when unknown)."""
    codes = load_standard().codelists[codelist].codes
    english = codes.get(code)
    if english is None:
        return code
    if codelist in ISO_LISTS and code not in ("UNKNOWN", "NOT_ASKED", "STATELESS"):
        return _iso_catalogue(ISO_LISTS[codelist], get_language() or "en").gettext(english)
    return _(english)


def choices(codelist: str) -> list[tuple[str, str]]:
    """Every code of a list with its label in the active language, in the standard's order."""
    codes = load_standard().codelists[codelist].codes
    return [(code, code_label(codelist, code)) for code in codes]


@cache
def _template_pattern(template: str) -> re.Pattern[str]:
    """A regular expression that reads the values back out of a filled-in template."""
    parts, seen = [], set()
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def _values(template: str, text: str) -> dict[str, Any] | None:
    found = _template_pattern(template).match(text)
    return None if found is None else found.groupdict()


def _fill(template: str, english: str, params: dict[str, Any]) -> str:
    try:
        return _(template).format(**params)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return english


def label_text(english: str) -> str:
    """A label of the standard in the active language; messages sometimes lower-case it."""
    translated = _(english)
    if translated == english and english[:1].islower():
        capital = english[:1].upper() + english[1:]
        translated = _(capital)
        return english if translated == capital else translated
    return translated


def problem_text(found: Problem) -> tuple[str, str]:
    """The message and the hint of a problem in the active language."""
    rule = RULES.get(found.code)
    if rule is None:
        return found.message, found.hint
    message_values = _values(rule.message, found.message)
    hint_values = _values(rule.hint, found.hint)
    if message_values is None or hint_values is None:
        return found.message, found.hint
    params = {**hint_values, **message_values}
    for name in LABEL_PARAMS:
        if params.get(name):
            params[name] = label_text(str(params[name]))
    return (_fill(rule.message, found.message, params), _fill(rule.hint, found.hint, params))
