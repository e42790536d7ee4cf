"""A phonetic key for romanised South-East Asian names: the consonant skeleton.

English phonetic codes (Soundex, Metaphone) read "th" as in "thin" and keep vowels that the
romanisations of this region spell in many ways: Sok/Sokh/Sauk, Chantha/Chanta, Boonmee/Bunmi,
Sophiak/Sopheak, Jai/Chai, Wong/Vong/Wongs, Phorn/Phon/Pon, Suksombun/Suksombul. The key keeps
what the spellings agree on: an initial vowel becomes ``a``, aspiration marks (h) go, the
affricates ch/j/sh become ``c``, v becomes w, doubled letters collapse, final consonants merge
by how Thai, Lao and Khmer pronounce them (l->n, d->t, b->p, g->k, s dropped after a consonant)
and only the first vowel is kept, as one of three classes (A, I, U). ``'Chantha'`` and
``'chanatha'`` (anyascii of ចាន់ថា) both give ``'CAnt'``.
"""

from __future__ import annotations

import re
from functools import lru_cache

_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl) for pattern, repl in (
        (r"[^a-z]", ""),
        (r"tch$", "t"),
        (r"^h([st])", r"\1"),
        (r"(ch|sh|j)", "C"),
        (r"ck|q|c(?!$)", "k"),
        (r"c$", "k"),
        (r"ng", "N"),
        (r"(nh|ny)", "n"),
        (r"([ptkgbd])h", r"\1"),
        (r"x", "s"),
        (r"z", "s"),
        (r"v", "w"),
        (r"([aeiouy])r(?=[^aeiouy]|$)", r"\1"),
        (r"(?<!^)h", ""),
        (r"([aeiouy])w$", r"\1"),
        (r"(.)\1+", r"\1"),
        (r"(?<=[^aeiouy])s$", ""),
    ))
_FINALS = {"l": "n", "d": "t", "b": "p", "g": "k", "C": "t"}
_VOWELS = "aeiouy"
_LEADING = re.compile(r"^([^aeiouy]*(?:y(?=[aeiou]))?)([aeiouy]*)(.*)$")


def _vowel_class(group: str) -> str:
    """A vowel group as one of three classes: A (a, ai, ao), I (e, i, ae, ea), U (o, u, au)."""
    if not group:
        return ""
    if group.startswith("au"):
        return "U"
    if group.startswith("ae"):
        return "I"
    return {"a": "A", "e": "I", "i": "I", "y": "I", "o": "U", "u": "U"}[group[0]]


@lru_cache(maxsize=500_000)
def skeleton(word: str, every_vowel: bool = False) -> str:
    """The phonetic key of one romanised word (lower-case ASCII), ``''`` for no letters.

    Consonants as written (after the merges above), plus the class of the first vowel, which
    tells Su from Thi and Sok from Sak while Sok, Sokh and Sauk still agree.
    """
    key = word.lower()
    for pattern, repl in _STEPS:
        key = pattern.sub(repl, key)
    match = _LEADING.match(key)
    if not key or match is None:
        return ""
    onset, vowel, rest = match.groups()
    if every_vowel:
        tail = re.sub(f"[{_VOWELS}]+", lambda m: _vowel_class(m.group(0)), rest)
    else:
        tail = re.sub(f"[{_VOWELS}]", "", rest)
    if tail and tail[-1] in _FINALS:
        tail = tail[:-1] + _FINALS[tail[-1]]
    return onset + _vowel_class(vowel) + tail


def name_key(words: list[str]) -> str:
    """Order-free phonetic key of a whole name: word skeletons sorted and joined."""
    return " ".join(sorted(k for k in (skeleton(w) for w in words) if k))
