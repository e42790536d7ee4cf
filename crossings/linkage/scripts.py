"""Which writing system a name is in, and Unicode normalisation that respects it.

Khmer, Lao and Burmese write vowels as combining marks (Unicode category Mn): the usual
"strip accents" step (NFD, drop Mn) destroys them (``'សុខ'`` would become ``'សខ'``). Accents
are therefore only ever removed from Latin text (Vietnamese diacritics); every other script is
kept in NFC with all its marks.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Script(StrEnum):
    """Writing systems of names reported in the region."""

    LATIN = "latin"
    KHMER = "khmer"
    THAI = "thai"
    LAO = "lao"
    BURMESE = "burmese"
    OTHER = "other"


_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0E00, 0x0E7F, Script.THAI),
    (0x0E80, 0x0EFF, Script.LAO),
    (0x1000, 0x109F, Script.BURMESE),
    (0xA9E0, 0xA9FF, Script.BURMESE),
    (0xAA60, 0xAA7F, Script.BURMESE),
    (0x1780, 0x17FF, Script.KHMER),
    (0x19E0, 0x19FF, Script.KHMER),
)


def char_script(char: str) -> Script:
    """The script of one character (letters of unlisted scripts are OTHER)."""
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
        return Script.LATIN
    return Script.OTHER


def detect_script(text: str) -> Script:
    """The script most letters of ``text`` are written in (LATIN for empty text)."""
    counts: dict[Script, int] = {}
    for char in text:
        if char.isalpha() or unicodedata.category(char).startswith("M"):
            script = char_script(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return Script.LATIN
    return max(counts, key=lambda s: counts[s])


def nfc(text: str) -> str:
    """NFC with whitespace collapsed: the canonical native form of a name (marks kept)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold_latin(text: str) -> str:
    """Lower-case Latin text without diacritics: ``'Nguyễn Đức'`` -> ``'nguyen duc'``.

    Only Latin letters lose their marks; a character of any other script is returned unchanged,
    so calling this on mixed text can never damage a Khmer, Lao or Burmese vowel sign.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char_script(char) is not Script.LATIN:
            out.append(char)
            continue
        base = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))
        out.append("".join(c for c in base if not unicodedata.combining(c)))
    return " ".join("".join(out).lower().split())
