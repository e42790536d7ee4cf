"""`make messages`: the gettext catalogues of the interface, with the standard's texts in them.

Translators work in ``crossings/locale/<lang>/LC_MESSAGES/django.po`` only. This script

1. runs Django's ``makemessages`` over ``crossings/`` (templates and Python; needs GNU gettext),
2. adds every text of the standard that people read — record and field labels, field
   descriptions, code labels, rule messages and hints — which live in YAML files and rule
   registrations where ``makemessages`` cannot see them (translations made earlier are kept),
3. compiles the ``.mo`` files (with polib, so no ``msgfmt`` is needed).

Run it as ``python -m crossings.web.forms.messages [LANG ...]``; with no language it updates
every catalogue under ``crossings/locale``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SKIPPED_LISTS = frozenset({"country", "currency"})
"""Country and currency names come translated from pycountry's ISO catalogues."""
OTHER_MESSAGES = (
    # Shown by the sign-in views (crossings/web/accounts/views.py) through `{% translate %}`.
    "The user name or the password is wrong.",
    "That code is not right (or it has expired); try the current one.",
    "That code is not right; scan the code again and type the current one.",
)
LOCALE = Path(__file__).resolve().parents[2] / "locale"


def standard_messages() -> dict[str, str]:
    """Every text of the standard people read, with a comment saying where it comes from."""
    from crossings.standard.model import load_standard  # noqa: PLC0415
    from crossings.standard.problems import RULES  # noqa: PLC0415
    from crossings.standard.validate import rule_codes  # noqa: PLC0415 - registers the rules

    standard = load_standard()
    found: dict[str, str] = {}
    for rtype in standard.record_types.values():
        found.setdefault(rtype.label, f"record type {rtype.name}")
        for fld in rtype.fields.values():
            found.setdefault(fld.label, f"field {rtype.name}.{fld.name}")
            if fld.description:
                found.setdefault(fld.description, f"description of {rtype.name}.{fld.name}")
    for name, codelist in standard.codelists.items():
        if name in SKIPPED_LISTS:
            continue
        for code, label in codelist.codes.items():
            found.setdefault(label, f"code list {name}: {code}")
    for rule in (RULES[code] for code in rule_codes()):
        found.setdefault(rule.message, f"rule {rule.code}: message")
        found.setdefault(rule.hint, f"rule {rule.code}: hint")
    for text in OTHER_MESSAGES:
        found.setdefault(text, "sign-in page")
    return found


def add_standard(po_path: Path) -> int:
    """Add the standard's texts to one catalogue; return how many are untranslated."""
    import polib  # noqa: PLC0415

    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    by_id = {(e.msgctxt, e.msgid): e for e in catalogue}
    for msgid, where in standard_messages().items():
        entry = by_id.get((None, msgid))
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgstr="")
            catalogue.append(entry)
        entry.obsolete = False
        entry.comment = f"standard: {where}"
        if "{" in msgid and "python-brace-format" not in entry.flags:
            entry.flags.append("python-brace-format")
    catalogue.save(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(catalogue.untranslated_entries())


def main(languages: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossings.web.settings")
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.management.commands import makemessages  # noqa: PLC0415

    class WithoutGuesses(makemessages.Command):
        # gettext's fuzzy matching guesses a new text's translation from a similar one ("Report"
        # got "Seaport"'s) and swallows the standard's texts this script adds back: no guessing.
        msgmerge_options = [*makemessages.Command.msgmerge_options,  # noqa: RUF012 - Django's
                            "--no-fuzzy-matching"]

    django.setup()
    languages = languages or sorted(p.name for p in LOCALE.iterdir() if p.is_dir())
    here = Path.cwd()
    os.chdir(LOCALE.parent)
    try:
        call_command(WithoutGuesses(), locale=languages, verbosity=0, no_wrap=True,
                     ignore_patterns=["locale/*"])
    finally:
        os.chdir(here)
    for language in languages:
        missing = add_standard(LOCALE / language / "LC_MESSAGES" / "django.po")
        print(f"{language}: {missing} untranslated", file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
