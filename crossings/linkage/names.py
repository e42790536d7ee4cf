"""Name keys: the several forms of one reported name that linkage compares.

A name arrives as a romanised ``full_name`` (any spelling, either order, perhaps with a title)
and sometimes ``full_name_original`` in Khmer, Thai, Lao or Burmese script (or Vietnamese with
diacritics). :func:`name_keys` turns them into:

- ``native``: the original script, NFC, titles removed, words sorted (marks never stripped);
- ``romans``: every romanisation (the reported one, and the native form romanised per script),
  words sorted so that family-first and given-first agree;
- ``phonetic``: consonant-skeleton keys (:mod:`.phonetic`) of each romanisation, words sorted
  and also run together in both orders (so "Srey Oun" meets "Sreyoun");
- ``tokens``: the skeleton of each word (a family name alone still counts for something).

Honorifics and particles (Mr, Neak, Nai, Nang, Daw, U, Ko, Ma, Ông, นาย, លោក, ဦး...) are
removed. Some are also names (Burmese "Ma", "U", "Maung"); for those the keys hold both forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossings.linkage.phonetic import skeleton
from crossings.linkage.romanise import romanisations
from crossings.linkage.scripts import nfc

# Titles and particles, folded to lower-case ASCII; "ambiguous" ones are also name words.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mister", "madam", "dr", "neak", "nak", "lok", "nai", "nang",
    "nangsao", "thao", "tan", "daw", "ko", "maung", "mg", "ong", "ba", "chi", "co", "anh", "di",
})
AMBIGUOUS_TITLES = frozenset({"u", "ma", "maung", "ko", "tha", "ba", "co", "anh", "di", "chi"})
TITLE_PAIRS = frozenset({("neak", "srey"), ("lok", "srey"), ("nak", "srey"), ("tan", "nang")})
NATIVE_TITLES = (
    "លោកស្រី", "អ្នកស្រី", "លោក", "អ្នក", "កញ្ញា",
    "นางสาว", "นาย", "นาง", "น.ส.", "ด.ช.", "ด.ญ.", "คุณ",
    "ທ່ານນາງ", "ທ້າວ", "ທ່ານ", "ນາງ",
    "ဒေါက်တာ", "ဦး", "ဒေါ်", "ကို", "မောင်",
    "Ông", "Bà", "Anh", "Chị", "Cô",
)
AMBIGUOUS_NATIVE = frozenset({"မောင်", "ကို"})


@dataclass(frozen=True)
class NameKeys:
    """The comparable forms of one reported name (see the module docstring)."""

    native: str | None
    roman: str | None
    romans: tuple[str, ...]
    phonetic: tuple[str, ...]
    tokens: tuple[str, ...]


def strip_titles(words: list[str]) -> list[list[str]]:
    """Forms of a romanised name without leading/trailing titles; several if a title is a name.

    ``['mr', 'sok', 'chantha']`` -> ``[['sok', 'chantha']]``; ``['ma', 'su', 'su']`` ->
    ``[['su', 'su'], ['ma', 'su', 'su']]``.
    """
    current, keep_original = list(words), False
    while len(current) > 1:
        if len(current) > 2 and (current[0], current[1]) in TITLE_PAIRS:
            current = current[2:]
        elif current[0] in AMBIGUOUS_TITLES:
            current, keep_original = current[1:], True
        elif current[0] in TITLES:
            current = current[1:]
        else:
            break
    if len(current) > 1 and current[-1] in TITLES - AMBIGUOUS_TITLES:
        current = current[:-1]
    return _unique([current, words] if keep_original else [current])


def _unique(forms: list[list[str]]) -> list[list[str]]:
    seen: dict[tuple[str, ...], list[str]] = {}
    for form in forms:
        seen.setdefault(tuple(form), form)
    return list(seen.values())


def strip_native_titles(text: str) -> list[str]:
    """Forms of a native-script name without a leading title (both forms if ambiguous)."""
    text = nfc(text)
    for title in NATIVE_TITLES:
        if text.startswith(title) and len(text) > len(title) + 1:
            rest = text[len(title):].strip()
            return [rest, text] if title in AMBIGUOUS_NATIVE else [rest]
    return [text]


def _phonetic_forms(words: list[str]) -> list[str]:
    keys = [k for k in (skeleton(w) for w in words) if k]
    if not keys:
        return []
    # Run together in every rotation: family-first meets given-first, "Srey Oun" meets "Sreyoun".
    run_together = [skeleton("".join(words[i:] + words[:i]), every_vowel=True)
                    for i in range(min(len(words), 4))]
    return list(dict.fromkeys([" ".join(sorted(keys)), *(k for k in run_together if k)]))


def _roman_forms(full_name: str | None, original: str | None) -> list[list[str]]:
    """Word lists of every romanisation: the reported one first, then the native ones."""
    forms: list[list[str]] = []
    for text in (full_name, original):
        if not text:
            continue
        sources = strip_native_titles(text) if text is original else [text]
        for source in sources:
            for roman in romanisations(source):
                forms.extend(strip_titles(roman.split()))
    return forms


def name_keys(full_name: str | None, original: str | None = None) -> NameKeys:
    """Every comparable form of a reported name (either argument may be missing)."""
    natives = strip_native_titles(original) if original else []
    native = " ".join(sorted(natives[0].split())) if natives else None
    forms = _roman_forms(full_name, original)
    romans = tuple(dict.fromkeys(" ".join(sorted(f)) for f in forms))
    phonetic = tuple(dict.fromkeys(k for f in forms for k in _phonetic_forms(f)))
    tokens = tuple(dict.fromkeys(k for f in forms for k in (skeleton(w) for w in f) if k))
    return NameKeys(native=native or None, roman=romans[0] if romans else None, romans=romans,
                    phonetic=phonetic, tokens=tokens)
