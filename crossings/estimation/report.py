"""An estimate as a report section: numbers, candidate table, chart (SVG and PDF), text.

One :class:`Section` is built from the results; the web page draws it as HTML with the
inline SVG chart of :func:`svg_chart`, and :func:`pdf_section` draws the same section,
with the same chart geometry, as a PDF for the periodic report. Pure: no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from fpdf import FPDF

from crossings.estimation.loglinear import ModelFit
from crossings.estimation.results import (
    INTERVAL_TITLES,
    METHOD_TITLES,
    EstimationResults,
    GraphCandidate,
)
from crossings.estimation.strata import StratifiedResults

CHART_ROWS = 12
"""Candidate models drawn in the chart (the best ones, in the method's order)."""


@dataclass(frozen=True)
class Row:
    """One candidate model (or one stratum) in the table and the chart."""

    label: str
    estimate: float | None
    low: float | None = None
    high: float | None = None
    score: str = ""
    selected: bool = False


@dataclass(frozen=True)
class Section:
    """What the page and the PDF show."""

    title: str
    subtitle: str
    observed: int
    estimate: float
    low: float
    high: float
    interval_title: str
    method_title: str
    model: str
    rows_title: str
    score_title: str
    rows: tuple[Row, ...]
    warnings: tuple[str, ...]
    explanation: str


def section(results: EstimationResults | StratifiedResults, title: str,
            subtitle: str = "") -> Section:
    """The report section of an estimate (by stratum: the total and one row per stratum)."""
    low, high = results.interval
    level = f"{100 * (1 - results.alpha):g}% {INTERVAL_TITLES[results.interval_kind]}"
    if isinstance(results, StratifiedResults):
        rows = tuple(Row(f"{results.by} = {label}", r.estimate, *r.interval, score=r.model)
                     for label, r in results.strata.items())
        warnings = tuple(f"{label}: {w}" for label, r in results.strata.items()
                         for w in r.warnings)
        return Section(title, subtitle, results.observed, results.estimate, low, high, level,
                       METHOD_TITLES.get(results.method, results.method),
                       f"by {results.by}", "Strata", "model", rows, warnings,
                       results.summary())
    bayes = results.posterior is not None
    return Section(title, subtitle, results.observed, results.estimate, low, high, level,
                   METHOD_TITLES.get(results.method, results.method), results.model,
                   "Candidate models", "posterior" if bayes else "AIC / BIC",
                   _candidates(results), results.warnings, results.summary())


def _candidates(results: EstimationResults) -> tuple[Row, ...]:
    rows = []
    for candidate in results.candidates:
        selected = candidate.name == results.model
        if isinstance(candidate, GraphCandidate):
            rows.append(Row(candidate.name, candidate.estimate,
                            score=f"{candidate.probability:.3f}", selected=selected))
        elif isinstance(candidate, ModelFit) and candidate.usable:
            low, high = candidate.conf_int(results.alpha)
            rows.append(Row(candidate.name, candidate.estimate, low, high,
                            f"{candidate.aic:,.1f} / {candidate.bic:,.1f}", selected))
    chosen = [r for r in rows if r.selected][:1]
    rest = [r for r in rows if not r.selected]
    return tuple(chosen + rest)[:CHART_ROWS]


def number(value: float | None) -> str:
    """Thousands-separated whole number, ``-`` when missing."""
    return "-" if value is None or not math.isfinite(value) else f"{value:,.0f}"


@dataclass(frozen=True)
class _Layout:
    """Chart geometry shared by the SVG and the PDF (units: SVG pixels)."""

    width: float = 720
    label_width: float = 300
    row_height: float = 22
    top: float = 26
    right: float = 20

    def height(self, rows: int) -> float:
        return self.top + rows * self.row_height + 34

    def scale(self, section: Section) -> tuple[float, float]:
        values = [v for r in section.rows for v in (r.estimate, r.low, r.high)
                  if v is not None and math.isfinite(v)]
        values += [v for v in (section.low, section.high, float(section.observed))
                   if math.isfinite(v)]
        return 0.0, _nice(max(values) * 1.05 if values else 1.0)

    def x(self, value: float, top: float) -> float:
        span = self.width - self.label_width - self.right
        return self.label_width + span * min(max(value / top, 0.0), 1.0)


def _nice(value: float) -> float:
    """A round number at or above ``value`` for the axis end."""
    power = 10 ** math.floor(math.log10(max(value, 1.0)))
    return float(next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value))


def svg_chart(section: Section) -> str:
    """Inline SVG: each row's estimate (dot) and interval (line); observed count and the
    reported interval as reference lines. No script, no style attribute (the CSP)."""
    lay = _Layout()
    _, top = lay.scale(section)
    rows = section.rows
    height = lay.height(len(rows))
    bottom = lay.top + len(rows) * lay.row_height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width:.0f} '
             f'{height:.0f}" width="{lay.width:.0f}" height="{height:.0f}" role="img" '
             f'aria-label="{escape(section.rows_title)}: estimates and intervals" '
             'font-family="sans-serif" font-size="12">']
    band = (lay.x(section.low, top), lay.x(section.high, top))
    if all(math.isfinite(v) for v in (section.low, section.high)):
        parts.append(f'<rect x="{band[0]:.1f}" y="{lay.top - 6}" width="{band[1] - band[0]:.1f}"'
                     f' height="{bottom - lay.top + 6}" fill="#dbe8f5"/>')
    observed = lay.x(section.observed, top)
    parts.append(f'<line x1="{observed:.1f}" y1="{lay.top - 6}" x2="{observed:.1f}" '
                 f'y2="{bottom}" stroke="#888" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{observed:.1f}" y="{lay.top - 10}" text-anchor="middle" '
                 f'fill="#555">observed {number(section.observed)}</text>')
    for i, row in enumerate(rows):
        parts += _svg_row(row, lay.top + (i + 0.5) * lay.row_height, lay, top)
    parts += _svg_axis(lay, top, bottom)
    parts.append("</svg>")
    return "".join(parts)


def _svg_row(row: Row, y: float, lay: _Layout, top: float) -> list[str]:
    colour = "#b03a2e" if row.selected else "#1f4e79"
    weight = ' font-weight="bold"' if row.selected else ""
    label = row.label if len(row.label) <= 44 else row.label[:43] + "…"
    out = [f'<text x="{lay.label_width - 8}" y="{y + 4:.1f}" text-anchor="end"{weight}>'
           f'{escape(label)}</text>']
    if row.low is not None and row.high is not None and math.isfinite(row.high):
        out.append(f'<line x1="{lay.x(row.low, top):.1f}" y1="{y:.1f}" '
                   f'x2="{lay.x(row.high, top):.1f}" y2="{y:.1f}" stroke="{colour}" '
                   'stroke-width="2"/>')
    if row.estimate is not None and math.isfinite(row.estimate):
        out.append(f'<circle cx="{lay.x(row.estimate, top):.1f}" cy="{y:.1f}" r="4" '
                   f'fill="{colour}"><title>{escape(row.label)}: '
                   f'{number(row.estimate)}</title></circle>')
    return out


def _svg_axis(lay: _Layout, top: float, bottom: float) -> list[str]:
    out = [f'<line x1="{lay.label_width}" y1="{bottom}" x2="{lay.width - lay.right}" '
           f'y2="{bottom}" stroke="#333"/>']
    for k in range(5):
        value = top * k / 4
        x = lay.x(value, top)
        out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" '
                   'stroke="#333"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
                   f'{number(value)}</text>')
    out.append(f'<text x="{lay.label_width}" y="{bottom + 30}" fill="#555">population size; '
               'shaded: the reported interval</text>')
    return out


def pdf_section(section: Section) -> bytes:
    """The section as a PDF (A4): headline numbers, chart, table, warnings, explanation.

    Core fonts (Latin-1): the section's text is English; a section with Khmer or Thai text
    would need a TTF font added with ``add_font``.
    """
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, _latin(section.title), new_x="LMARGIN", new_y="NEXT")
    if section.subtitle:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _latin(section.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in _headline(section):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(42, 6, label)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _pdf_chart(pdf, section)
    _pdf_table(pdf, section)
    _pdf_text(pdf, "Warnings", [f"- {w}" for w in section.warnings])
    _pdf_text(pdf, "Explanation", section.explanation.splitlines())
    return bytes(pdf.output())


def _headline(section: Section) -> list[tuple[str, str]]:
    return [("Estimate", number(section.estimate)),
            ("Interval", f"{number(section.low)} to {number(section.high)} "
                         f"({section.interval_title})"),
            ("People observed", number(section.observed)),
            ("Model", section.model),
            ("Method", section.method_title)]


def _pdf_chart(pdf: FPDF, section: Section) -> None:
    lay = _Layout()
    _, top = lay.scale(section)
    k = (pdf.w - pdf.l_margin - pdf.r_margin) / lay.width  # SVG px -> mm
    x0, y0 = pdf.l_margin, pdf.get_y()
    bottom = lay.top + len(section.rows) * lay.row_height
    pdf.set_font("Helvetica", "", 7)
    if all(math.isfinite(v) for v in (section.low, section.high)):
        pdf.set_fill_color(219, 232, 245)
        low, high = lay.x(section.low, top), lay.x(section.high, top)
        pdf.rect(x0 + low * k, y0 + (lay.top - 6) * k, (high - low) * k,
                 (bottom - lay.top + 6) * k, style="F")
    for i, row in enumerate(section.rows):
        y = y0 + (lay.top + (i + 0.5) * lay.row_height) * k
        pdf.set_draw_color(*((176, 58, 46) if row.selected else (31, 78, 121)))
        pdf.set_fill_color(*((176, 58, 46) if row.selected else (31, 78, 121)))
        pdf.set_xy(x0, y - 2)
        label = row.label if len(row.label) <= 48 else row.label[:45] + "..."
        pdf.cell((lay.label_width - 8) * k, 4, _latin(label), align="R")
        if row.low is not None and row.high is not None and math.isfinite(row.high):
            pdf.line(x0 + lay.x(row.low, top) * k, y, x0 + lay.x(row.high, top) * k, y)
        if row.estimate is not None and math.isfinite(row.estimate):
            pdf.circle(x0 + lay.x(row.estimate, top) * k, y, 1.2, style="F")
    pdf.set_draw_color(120, 120, 120)
    observed = x0 + lay.x(section.observed, top) * k
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(observed, y0 + (lay.top - 6) * k, observed, y0 + bottom * k)
    pdf.set_dash_pattern()
    pdf.set_xy(observed - 15, y0 + (lay.top - 12) * k)
    pdf.cell(30, 3, f"observed {number(section.observed)}", align="C")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.line(x0 + lay.label_width * k, y0 + bottom * k, x0 + (lay.width - lay.right) * k,
             y0 + bottom * k)
    for step in range(5):
        value = top * step / 4
        pdf.set_xy(x0 + lay.x(value, top) * k - 10, y0 + bottom * k + 1)
        pdf.cell(20, 4, number(value), align="C")
    pdf.set_y(y0 + lay.height(len(section.rows)) * k + 2)


def _pdf_table(pdf: FPDF, section: Section) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, section.rows_title, new_x="LMARGIN", new_y="NEXT")
    widths = (80, 25, 40, 29)
    head = ("model", "estimate", "interval (model-based)", section.score_title)
    with pdf.table(col_widths=widths, text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   first_row_as_headings=True) as table:
        pdf.set_font("Helvetica", "", 8)
        table.row(head)
        for row in section.rows:
            interval = (f"{number(row.low)} to {number(row.high)}"
                        if row.low is not None else "-")
            mark = " (selected)" if row.selected else ""
            table.row((_latin(row.label + mark), number(row.estimate), interval,
                       _latin(row.score)))
    pdf.ln(3)


def _pdf_text(pdf: FPDF, heading: str, lines: list[str]) -> None:
    if not any(lines):
        return
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in lines:
        pdf.multi_cell(0, 4.5, _latin(line) or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _latin(text: str) -> str:
    """Core PDF fonts are Latin-1: typographic marks replaced, anything else as '?'."""
    plain = (text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
             .replace("\u2026", "...").replace("\u2264", "<=").replace("\u2265", ">="))
    return plain.encode("latin-1", "replace").decode("latin-1")
