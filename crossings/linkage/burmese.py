"""Romanise Burmese names the way they are written in passports and police reports.

No library does this offline: ICU's Myanmar-Latin runs the syllables together
("aaungsaannhcukyi"), anyascii gives "'eanchncukrnn". Burmese names are sequences of syllables
without spaces, and the popular romanisation is per syllable ("Aung San Suu Kyi"). So the name
is cut into syllables (a consonant, its medials, vowel signs, tone marks and a killed final
consonant) and each syllable is written as onset + rhyme from the tables below, which follow
the conventional forms (Kyaw, Hlaing, Htun, Myint, Thant, Phyo, Hsu).
"""

from __future__ import annotations

import re

ASAT = "\u103a"
VIRAMA = "\u1039"
CREAKY = "\u1037"
VISARGA = "\u1038"

ONSETS = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
    "ဈ": "z", "ည": "ny", "ဉ": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
    "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
    "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
    "ဠ": "l", "အ": "",
}
INDEPENDENT_VOWELS = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw",
                      "ဿ": "th"}
# y- and r-medials (ျ, ြ) palatalise the onset.
PALATAL = {"k": "ky", "kh": "ch", "g": "gy", "p": "py", "ph": "phy", "b": "by", "m": "my",
           "l": "ly", "h": "hy"}
# ha-medial (ှ) devoices the onset.
ASPIRATED = {"l": "hl", "m": "hm", "n": "hn", "ny": "hny", "w": "wh", "y": "sh", "ng": "hng"}
# Rhymes: vowel signs plus a killed final (written with asat) -> popular spelling.
RHYMES = {
    "": "a", "ာ": "a", "ါ": "a", "ိ": "i", "ီ": "i", "ု": "u", "ူ": "u", "ေ": "e", "ဲ": "e",
    "ော": "aw", "ေါ": "aw", "ော်": "aw", "ေါ်": "aw", "ို": "o", "ံ": "an", "ုံ": "on",
    "က်": "et", "င်": "in", "စ်": "it", "ည်": "i", "ဉ်": "in", "တ်": "at", "န်": "an",
    "ပ်": "at", "မ်": "an", "ယ်": "e", "ောက်": "auk", "ောင်": "aung", "ိုက်": "aik",
    "ိုင်": "aing", "ိတ်": "eik", "ိန်": "ein", "ိပ်": "eik", "ိမ်": "ein", "ုတ်": "ok",
    "ုန်": "on", "ုပ်": "ok", "ုမ်": "on", "ွတ်": "ut", "ွန်": "un", "ွမ်": "un", "ွပ်": "ut",
    "ွင်": "win", "ာင်": "aung", "ါင်": "aung",
}
MEDIALS = "\u103b\u103c\u103d\u103e"
CONSONANT = "\u1000-\u1021\u1023-\u102a\u103f"
# A syllable starts at a consonant that is neither killed (asat, possibly after the creaky-tone
# dot) nor stacked under the next one (virama): those close the previous syllable.
_SYLLABLE_START = re.compile(f"(?=[{CONSONANT}](?!{CREAKY}?[{ASAT}{VIRAMA}]))")


def syllables(text: str) -> list[str]:
    """Burmese text cut into syllables; other characters stay attached to their neighbour."""
    return [s for s in _SYLLABLE_START.split(text) if s.strip()]


def _onset(head: str, medials: str) -> str:
    onset = INDEPENDENT_VOWELS.get(head, ONSETS.get(head, ""))
    if "\u103b" in medials or "\u103c" in medials:
        onset = PALATAL.get(onset, onset + "y")
    if "\u103e" in medials:
        onset = ASPIRATED.get(onset, "h" + onset)
    return onset


def romanise_syllable(syllable: str) -> str:
    """One syllable in the popular romanisation, e.g. ``'ကျော်'`` -> ``'kyaw'``."""
    head, rest = syllable[0], syllable[1:]
    if head in INDEPENDENT_VOWELS:
        return INDEPENDENT_VOWELS[head] + _rhyme_tail(rest, inherent="")
    medials = "".join(c for c in rest if c in MEDIALS)
    rhyme_key = "".join(c for c in rest if c not in MEDIALS or c == "\u103d")
    creaky = CREAKY in rhyme_key
    rhyme_key = rhyme_key.replace(CREAKY, "").replace(VISARGA, "").replace(VIRAMA, ASAT)
    if rhyme_key in RHYMES and rhyme_key.startswith("\u103d"):
        onset, rhyme = _onset(head, medials.replace("\u103d", "")), RHYMES[rhyme_key]
    else:
        onset = _onset(head, medials)
        rhyme = _rhyme(rhyme_key.replace("\u103d", ""))
        if "\u103d" in medials:
            onset += "w"
    if creaky and rhyme.endswith("n") and not rhyme.endswith("aung"):
        rhyme += "t"
    return onset + rhyme


def _rhyme_tail(rest: str, inherent: str) -> str:
    key = rest.replace(CREAKY, "").replace(VISARGA, "")
    return "" if not key else _rhyme(key) if key in RHYMES else inherent


def _rhyme(key: str) -> str:
    if key in RHYMES:
        return RHYMES[key]
    # An unlisted combination: the vowel part, then the final consonant's own sound.
    final = re.search(f"([{CONSONANT}]){ASAT}$", key)
    vowel = key[: final.start()] if final else key
    base = RHYMES.get(vowel, "a")
    if final:
        base += ONSETS.get(final.group(1), "")[:1]
    return base


def romanise_burmese(text: str) -> str:
    """A Burmese name in the popular romanisation, one word per syllable.

    ``'အောင်ဆန်းစုကြည်'`` -> ``'aung hsan su kyi'``. Characters that are not Burmese are kept.
    """
    words: list[str] = []
    for word in text.split():
        glued = False  # a stacked consonant (virama) joins two syllables into one word (Nanda)
        for syllable in syllables(word):
            roman = romanise_syllable(syllable) if "\u1000" <= syllable[0] <= "\u109f" else syllable
            if glued and words:
                words[-1] += roman
            else:
                words.append(roman)
            glued = syllable.endswith(VIRAMA)
    return " ".join(w for w in words if w)
