"""The situation report: a PDF with its figures, in Khmer and Thai shaped and with the fonts
embedded, and catalogues that translate every fixed text."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from crossings.analysis import panels
from crossings.analysis.indicators import parse_period
from crossings.analysis.report import build
from crossings.analysis.report.text import catalogue
from crossings.analysis.scope import Reader

READER = Reader(country="KHM")
VIEW = panels.View("KHM", parse_period("2025-H1"))
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"),
                                   reason="poppler-utils (.ci/run installs it)")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout


def squeeze(text: str, lang: str) -> str:
    """Without white space (pdftotext splits Khmer clusters with spaces); for Thai also
    without the marks above and below the letters, which pdftotext puts out of order (the
    page itself is right: see the rasterised check in docs/analysis.md)."""
    text = re.sub(r"\s+", "", text).replace("\u0e33", "\u0e32")
    if lang == "th":
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text


@needs_poppler
@pytest.mark.parametrize(("lang", "headline", "font"), [
    ("km", "របាយការណ៍ស្ថានភាពអំពីការរត់ពន្ធជនចំណាកស្រុក", "NotoSansKhmer"),
    ("th", "รายงานสถานการณ์การลักลอบขนผู้ย้ายถิ่น", "NotoSansThai")])
def test_the_pdf_has_the_shaped_headline_the_figures_and_the_fonts(store, tmp_path, lang,
                                                                   headline, font):
    made = build(store, READER, VIEW, {}, lang=lang)
    target = tmp_path / f"report-{lang}.pdf"
    made.write_pdf(target)
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    assert squeeze(headline, lang) in squeeze(text, lang)
    figures = panels.headline(store, READER, VIEW)
    migrants = figures[(figures["flow"] == "from") & (figures["indicator"] == "migrants")]
    assert f"{int(migrants['value'].iloc[0]):,}" in text
    fonts = [line.split() for line in pdf_fonts(target).splitlines()[2:]]
    embedded = {row[0].split("+")[-1].replace("-", "") for row in fonts if "yes" in row[-5:-2]}
    assert any(name.startswith(font) for name in embedded), fonts


def test_every_fixed_text_is_translated(store):
    english = build(store, READER, VIEW, {}, lang="en").body
    for lang in ("km", "th"):
        translated = catalogue(lang)
        assert set(translated) == set(catalogue("km"))  # the two catalogues agree
        body = build(store, READER, VIEW, {}, lang=lang).body
        for msgid in translated:
            if msgid in english and len(msgid) > 12 and "{" not in msgid:
                assert msgid not in body, (lang, msgid)


def test_partner_release_protects_every_figure(store):
    frame = panels.headline(store, Reader(country="KHM", release="partner"), VIEW)
    values = frame.loc[frame["status"] != "C", "value"].dropna()
    assert (values.astype(int) % 5 == 0).all()
    assert ((values == 0) | (values >= 10)).all()
