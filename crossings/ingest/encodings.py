"""Sniffing text files: binary or text, which encoding, which delimiter.

Border offices in the region save spreadsheets as UTF-8 (with or without a byte order mark),
as "Unicode text" (UTF-16 with a BOM), or in the legacy Windows code pages of Thai (874) and
Western European (1252) systems. Other legacy code pages are rare enough that we only fall back
to them when neither of those two can decode the bytes.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

SAMPLE_SIZE = 64 * 1024
"""Bytes read from the start of a file to detect its encoding and delimiter."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # the "utf-16" codec reads the BOM and picks the byte order
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Names officers and mapping authors write, mapped to the codec Python knows them by.
_ALIASES = {
    "windows-874": "cp874",
    "windows874": "cp874",
    "tis620": "cp874",
    "tis-620": "cp874",
    "thai": "cp874",
    "ansi": "cp1252",
    "utf-8-bom": "utf-8-sig",
    "utf8-bom": "utf-8-sig",
    "unicode": "utf-16",
}

# C0 control characters that never appear in text files (tab, LF, FF, CR, SUB and ESC are allowed).
_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0e-\x19\x1c-\x1f]")
_THAI_LETTERS = re.compile("[\u0e01-\u0e4e]")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")

# Magic numbers of file types officers save with a .csv name by mistake, with the advice to give.
_MAGIC = (
    (b"PK\x03\x04", "this is an Excel workbook (.xlsx) saved with another name; "
                    "rename it to .xlsx, or open it in Excel and save as 'CSV UTF-8'"),
    (b"\xd0\xcf\x11\xe0", "this is an old Excel workbook (.xls); "
                          "open it in Excel and save it as .xlsx or as 'CSV UTF-8'"),
    (b"%PDF", "this is a PDF document; import the spreadsheet it was made from instead"),
)
DELIMITERS = ",;\t|"
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
BINARY_HINT = "this looks like a binary file; export the sheet as 'CSV UTF-8'"


class NotTextError(ValueError):
    """The bytes are not text in any encoding we accept; ``hint`` says what they look like."""

    def __init__(self, hint: str):
        super().__init__(hint)
        self.hint = hint


@dataclass(frozen=True)
class Detected:
    """The codec to read a file with, and how it was chosen (for logs and error messages)."""

    encoding: str
    reason: str


def normalise_encoding(name: str) -> str:
    """Return the Python codec for an encoding name written in a mapping, e.g. ``windows-874``.

    Raises:
        LookupError: Python does not know the encoding.
    """
    key = name.strip().lower().replace("_", "-")
    return codecs.lookup(_ALIASES.get(key, key)).name


def with_bom(encoding: str, sample: bytes) -> str:
    """Adjust a forced encoding so a byte order mark at the start is not read as text."""
    if encoding == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return encoding


def sniff_binary(head: bytes) -> str | None:
    """Return a hint if ``head`` (the first bytes of a file) is a known binary format, else None."""
    for magic, hint in _MAGIC:
        if head.startswith(magic):
            return hint
    return None


def detect_encoding(sample: bytes, complete: bool) -> Detected:
    """Guess the encoding of a text file from a sample of its bytes.

    Order: byte order mark; binary check; strict UTF-8; then charset-normalizer restricted to
    Windows-874 and Windows-1252, preferring Thai when the bytes read as Thai words.

    Args:
        sample: The first bytes of the file (plus, for long ASCII openings, a later chunk).
        complete: True when the sample is the whole file (a multi-byte character cut at the
            end of a partial sample is then not an error).

    Raises:
        NotTextError: The sample is binary or no encoding reads it.
    """
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return Detected(encoding, "byte order mark")
    hint = sniff_binary(sample)
    if hint is not None or b"\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100:
        raise NotTextError(hint or BINARY_HINT)
    if _is_utf8(sample, complete):
        return Detected("utf-8", "valid UTF-8")
    return _legacy_code_page(sample)


def _is_utf8(sample: bytes, complete: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_code_page(sample: bytes) -> Detected:
    matches = from_bytes(sample, cp_isolation=["cp874", "cp1252"])
    if not matches and from_bytes(sample).best() is None:
        raise NotTextError(BINARY_HINT)
    ranked = [m.encoding for m in matches]
    if "cp874" in ranked and _reads_as_thai(sample, first=ranked[0] == "cp874"):
        return Detected("cp874", "Thai letters in Windows-874")
    if _decodes(sample, "cp1252"):
        return Detected("cp1252", "not UTF-8; Windows-1252 assumed")
    best = matches.best() or from_bytes(sample).best()
    if best is None:
        raise NotTextError(BINARY_HINT)
    return Detected(best.encoding, "guessed by charset-normalizer")


def _reads_as_thai(sample: bytes, first: bool) -> bool:
    """True if the bytes read as Thai words rather than accented Latin letters.

    Western names put single accented letters between ASCII ones ("José"); Thai words are
    runs of several non-ASCII bytes. Either charset-normalizer ranked Windows-874 first, or
    most non-ASCII characters sit in runs of two or more.
    """
    if not _decodes(sample, "cp874"):
        return False
    text = sample.decode("cp874", errors="replace")
    if not _THAI_LETTERS.search(text):
        return False
    runs = _NON_ASCII_RUN.findall(text)
    in_runs = sum(len(r) for r in runs if len(r) > 1)
    return first or in_runs >= 0.6 * sum(len(r) for r in runs)


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def read_sample(stream: BinaryIO) -> tuple[bytes, bool]:
    """Read the bytes to detect an encoding from, and whether they are the whole file.

    A file whose first 64 KiB are plain ASCII may still hold accented or Thai names further
    down; the first later chunk that is not ASCII is added to the sample, so the guess is made
    on real letters. The scan reads but does not keep the ASCII chunks in between.
    """
    head = stream.read(SAMPLE_SIZE)
    if len(head) < SAMPLE_SIZE:
        return head, True
    if not head.isascii():
        return head, False
    while chunk := stream.read(SAMPLE_SIZE):
        if not chunk.isascii():
            return head + chunk, False
    return head, True


def delimiter_named(name: str) -> str:
    """The delimiter a mapping names: a character, or ``tab``, ``semicolon``, ``pipe``..."""
    return _DELIMITER_NAMES.get(name.lower(), name)


def sniff_delimiter(text: str, prefer: str = ",") -> str:
    """Pick the delimiter of a CSV from its first lines.

    ``csv.Sniffer`` alone picks ``,`` for ``;`` files with decimal commas ("12,5"), so each
    candidate is scored by parsing the first 30 lines with it: the winner splits most lines into
    the same number (more than one) of fields. Sniffer's answer, then ``prefer``, break ties.
    """
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = prefer
    order = [sniffed, prefer, *DELIMITERS]

    def score(delimiter: str) -> tuple[int, int, int]:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        modal = max(set(widths), key=lambda w: (widths.count(w), w)) if widths else 1
        agreeing = widths.count(modal) if modal > 1 else 0
        return agreeing, modal, -order.index(delimiter)

    return max(DELIMITERS, key=score)
