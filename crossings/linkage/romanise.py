"""Romanise names from the five scripts of the region, each with the tool that writes it best.

| script     | romaniser                                  | why |
|------------|--------------------------------------------|-----|
| Thai       | pythainlp ``royin`` (RTGS)                 | how Thai officials write names |
| Lao        | laonlp ``moh2020``                         | the Lao ministry's system |
| Khmer      | anyascii                                   | ICU has no Khmer-Latin |
| Burmese    | own syllable tables (:mod:`.burmese`)      | ICU/anyascii run syllables together |
| Vietnamese | diacritics folded (Latin only)             | Vietnamese is Latin already |

Every result is lower-case ASCII words. Results are cached: names repeat a lot, and a million
records hold only tens of thousands of distinct names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from crossings.linkage.burmese import romanise_burmese
from crossings.linkage.scripts import Script, detect_script, fold_latin, nfc

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _clean(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _thai(text: str) -> str:
    from pythainlp.transliterate import romanize  # noqa: PLC0415 - slow import, Thai only

    return " ".join(romanize(word, engine="royin") for word in text.split())


def _lao(text: str) -> tuple[str, ...]:
    """Lao through Thai script and RTGS (Keo -> kaeo), and the Lao ministry's own system.

    Each is right where the other is wrong: moh2020 does not move leading vowels (ແກ້ວ ->
    "aeko"), the Thai route reads ຊ as ช (ໄຊ -> "chai" for "Xay"). Both are kept as keys.
    """
    from laonlp import lao2thai_script, transliterate  # noqa: PLC0415 - slow import, Lao only

    return _thai(lao2thai_script(text)), str(transliterate(text, engine="moh2020"))


@lru_cache(maxsize=200_000)
def romanisations(text: str) -> tuple[str, ...]:
    """Every romanisation kept for ``text``, best first, in lower-case ASCII words.

    ``'สมชาย ใจดี'`` -> ``('somchai chaidi',)``; a Lao name gives two.
    """
    text = nfc(text)
    script = detect_script(text)
    if script is Script.THAI:
        outs: tuple[str, ...] = (_thai(text),)
    elif script is Script.LAO:
        outs = _lao(text)
    elif script is Script.BURMESE:
        outs = (romanise_burmese(text),)
    elif script is Script.LATIN:
        outs = (fold_latin(text),)
    else:  # Khmer and anything else
        outs = (anyascii(text),)
    cleaned = (_clean(anyascii(out)) for out in outs)
    return tuple(dict.fromkeys(c for c in cleaned if c))


def romanise(text: str) -> str:
    """The best romanisation of ``text`` (``''`` when nothing is left)."""
    outs = romanisations(text)
    return outs[0] if outs else ""
