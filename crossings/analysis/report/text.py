"""The report's fixed text in English, Khmer and Thai: gettext ``.po`` catalogues in
``translations/``, read directly (no compile step). A text without a translation stays English.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "km", "th")
CATALOGUES = Path(__file__).resolve().parent / "translations"


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (single or continued lines; no plurals or contexts)."""
    entries: dict[str, str] = {}
    key: str | None = None
    current: dict[str, str] = {}
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith(("msgid ", "msgstr ")):
            key, _, text = line.partition(" ")
            current[key] = ast.literal_eval(text)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line and "msgstr" in current:
            if current.get("msgid") and current["msgstr"]:
                entries[current["msgid"]] = current["msgstr"]
            current, key = {}, None
    return entries


@cache
def catalogue(lang: str) -> dict[str, str]:
    path = CATALOGUES / f"{lang}.po"
    return read_po(path) if path.exists() else {}


def translator(lang: str) -> Callable[..., str]:
    """``t(text, **values)``: the text in ``lang``, placeholders filled."""
    found = catalogue(lang)

    def t(text: str, **values: Any) -> str:
        out = found.get(text, text)
        return out.format(**values) if values else out

    return t
