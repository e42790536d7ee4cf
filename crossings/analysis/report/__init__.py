"""The situation report: headline figures, routes, crossing points, fees, trends and the method
notes of one country and period, as HTML and PDF, in English, Khmer or Thai.

Its tables are the dashboards' (:mod:`crossings.analysis.panels`, so the same scope and
disclosure control), its charts static SVG (:mod:`.svg`), its fixed text translated in
``translations/<lang>.po`` (gettext catalogues, read by :mod:`.text`), its fonts the OFL Noto
Sans Khmer and Noto Sans Thai shipped in ``fonts/`` (embedded in the PDF by WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from crossings.analysis import panels
from crossings.analysis.panels import Place, View
from crossings.analysis.report import svg
from crossings.analysis.report.text import LANGUAGES, translator
from crossings.analysis.scope import Reader
from crossings.analysis.store import AnalyticsStore

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
FONT_FILES = ("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf", "NotoSansThai-Regular.ttf",
              "NotoSansThai-Bold.ttf")
CSS = (HERE / "report.css").read_text(encoding="utf-8")
TOP_ROUTES = 10


@dataclass
class Report:
    """A rendered report: the ``<article>`` body and the standalone document."""

    body: str
    lang: str
    title: str

    def document(self, font_base: str | None = None) -> str:
        """A standalone HTML document (fonts from ``font_base``, default the shipped files)."""
        base = font_base or FONTS.as_uri() + "/"
        return (f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
                f"<title>{escape(self.title)}</title><style>{font_faces(base)}{CSS}</style>"
                f"</head><body>{self.body}</body></html>")

    def write_pdf(self, path: Path) -> None:
        """Render the PDF with WeasyPrint (fonts embedded as subsets)."""
        from weasyprint import HTML  # noqa: PLC0415 - heavy, and only the PDF needs it

        HTML(string=self.document(), base_url=str(HERE)).write_pdf(path)


def font_faces(base: str) -> str:
    """@font-face rules for the shipped fonts, served from ``base``."""
    rules = []
    for name in FONT_FILES:
        family = "Noto Sans Khmer" if "Khmer" in name else "Noto Sans Thai"
        weight = 700 if "Bold" in name else 400
        rules.append(f'@font-face{{font-family:"{family}";src:url("{base}{name}") '
                     f'format("truetype");font-weight:{weight}}}')
    return "".join(rules)


def _fmt(value: Any, status: Any = "") -> str:
    if status == "C":
        return "C"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def build(store: AnalyticsStore, reader: Reader, view: View, places: dict[str, Place], *,
          lang: str = "en", today: dt.date | None = None) -> Report:
    """The report of ``view`` as ``reader`` may see it."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    t = translator(lang)
    country = view.country
    title = f"{t('Situation report on the smuggling of migrants')}: {country}, {view.period.label}"
    parts = [f'<article class="report" lang="{lang}"><h1>{escape(title)}</h1>']
    parts.append(_headline(store, reader, view, t))
    parts.append(_routes(store, reader, view, t))
    parts.append(_points(store, reader, view, places, t))
    parts.append(_fees(store, reader, view, t))
    parts.append(_trends(store, reader, view, places, t))
    parts.append(_method(reader, t, today or dt.date.today()))
    parts.append("</article>")
    return Report("".join(parts), lang, title)


def _flow_name(flow: str, country: str, t: Any) -> str:
    return str(t({"from": "From {country}", "through": "Through {country}",
                  "to": "To {country}"}[flow], country=country))


def _arrow(flow: str, country: str) -> str:
    """A language-neutral label for SVG, whose text WeasyPrint does not shape."""
    return {"from": f"{country} ->", "through": f"-> {country} ->", "to": f"-> {country}"}[flow]


def _headline(store: AnalyticsStore, reader: Reader, view: View, t: Any) -> str:
    frame = panels.headline(store, reader, view)
    head = [t("Figure")]
    for flow in panels.FLOWS:
        head += [_flow_name(flow, view.country, t), t("Incidents it rests on")]
    rows = []
    for name in panels.HEADLINE:
        row = [t(str(frame[frame["indicator"] == name]["label"].iloc[0]))]
        for flow in panels.FLOWS:
            found = frame[(frame["indicator"] == name) & (frame["flow"] == flow)].iloc[0]
            row += [_fmt(found["value"], found["status"]), _fmt(found["n_incidents"])]
        rows.append(row)
    return f"<h2>{escape(t('Headline figures'))}</h2>" + _table(head, rows)


def _routes(store: AnalyticsStore, reader: Reader, view: View, t: Any) -> str:
    frame = panels.routes(store, reader, view).head(TOP_ROUTES)
    heading = t("Smuggled migrants by route (origin > transit > destination)")
    out = f"<h2>{escape(t('Routes'))}: {escape(_flow_name(view.flow, view.country, t))}</h2>"
    if frame.empty:
        return out + f"<p>{escape(t('No data for this selection.'))}</p>"
    shown = [(r["route"], int(r["migrants"])) for r in frame.to_dict("records")
             if r["status"] != "C" and not pd.isna(r["migrants"])]
    rows = [[r["route"], _fmt(r["migrants"], r["status"]), _fmt(r["incidents"], r["status"]),
             _fmt(r["n_incidents"], r["status"])] for r in frame.to_dict("records")]
    return (out + f"<figure>{svg.hbars(shown, heading)}<figcaption>{escape(heading)}"
            f"</figcaption></figure>"
            + _table([t("Route"), t("Migrants"), t("Incidents"), t("Incidents it rests on")],
                     rows))


def _points(store: AnalyticsStore, reader: Reader, view: View, places: dict[str, Place],
            t: Any) -> str:
    frame = panels.crossing_points(store, reader, view, places)
    frame = frame.sort_values("incidents", ascending=False, na_position="last").head(12)
    rows = [[f"{r['name']} ({r['unit']})", _fmt(r["incidents"], r["status"])]
            for r in frame.to_dict("records")]
    return (f"<h2>{escape(t('Crossing points'))}</h2><p>{escape(t('Incidents by reporting unit'))}"
            f"</p>" + _table([t("Reporting unit"), t("Incidents")], rows))


def _fees(store: AnalyticsStore, reader: Reader, view: View, t: Any) -> str:
    frame = panels.fees(store, reader, view)
    known = [r for r in frame.to_dict("records")
             if r["status"] != "C" and not pd.isna(r["fee_median_usd"])]
    chart = svg.ranges([(_arrow(r["flow"], view.country), r["fee_q1_usd"],
                         r["fee_median_usd"], r["fee_q3_usd"]) for r in known],
                       t("Fees per person in US dollars")) if known else ""
    rows = [[_flow_name(r["flow"], view.country, t), _fmt(r["fee_q1_usd"], r["status"]),
             _fmt(r["fee_median_usd"], r["status"]), _fmt(r["fee_q3_usd"], r["status"]),
             _fmt(r["n_fees"], r["status"])] for r in frame.to_dict("records")]
    return (f"<h2>{escape(t('Fees per person in US dollars'))}</h2>{chart}"
            + _table(["", t("Lower quartile"), t("Median"), t("Upper quartile"),
                      t("Fees recorded")], rows))


def _trends(store: AnalyticsStore, reader: Reader, view: View, places: dict[str, Place],
            t: Any) -> str:
    change = panels.change(store, reader, view)
    rows = []
    for r in change.to_dict("records"):
        pct = r.get("change_percent")
        p = r.get("p_value")
        rows.append([t(str(r["indicator"]).capitalize()) if r["indicator"] == "incidents"
                     else t("Smuggled migrants"), f"{t(r['against'])} ({r['reference_period']})",
                     _fmt(r["count"]), _fmt(r["reference"]),
                     "—" if pct is None or pd.isna(pct) else f"{pct:+.1f} %",
                     "—" if p is None or pd.isna(p) else f"{p:.4f}"])
    series = panels.monthly(store, reader, view)
    chart = svg.monthly(list(series["month"]), [int(v) for v in series["own"].fillna(0)],
                        [None if pd.isna(v) else int(v) for v in series["shared"]],
                        t("Incidents per month")) if len(series) else ""
    spikes = panels.spikes(store, reader, view, places).head(10)
    spike_rows = [[r["month"], r["name"] or r["unit"], str(r["count"]), str(r["expected"]),
                   f"{r['q_value']:.4f}"] for r in spikes.to_dict("records")]
    spike_part = (_table([t("Month"), t("Reporting unit"), t("Incidents"), t("Expected"), "q"],
                         spike_rows) if spike_rows
                  else f"<p>{escape(t('No month stands out at any crossing point.'))}</p>")
    change_title = t("Change against the previous period and the same period last year")
    test = t("Test: conditional binomial exact test of two Poisson rates (rates per day, "
             "two-sided p-value).")
    return (f"<h2>{escape(t('Trends'))}</h2><h3>{escape(change_title)}</h3>"
            + _table([t("Figure"), t("Against"), view.period.label, t("Then"), t("Change"), "p"],
                     rows)
            + f"<p class='note'>{escape(test)}</p>"
            + f"<h3>{escape(t('Incidents per month'))}</h3>{chart}"
            + f"<h3>{escape(t('Spikes at crossing points'))}</h3>{spike_part}")


METHOD = (
    "From, through and to: the route of an incident runs from the first country of its route "
    "legs (or the migrants' country of origin) to the intended destination; the countries in "
    "between are transit countries. An incident counts for a country whoever reported it.",
    "Smuggled migrants are never counted as offenders (Smuggling Protocol, Art. 5). Deaths and "
    "missing follow SDG indicator 10.7.3: those in detention or after return are excluded.",
    "Fees are converted to US dollars at yearly average exchange rates; quartiles use linear "
    "interpolation, over fees per person only.",
    "Test: conditional binomial exact test of two Poisson rates (rates per day, two-sided "
    "p-value).",
    "Spikes: each crossing point's monthly count against its own previous 12 months (Poisson, "
    "or negative binomial when over-dispersed), with the Benjamini-Hochberg control of false "
    "discoveries (5%).",
)
"""Condensed from docs/analysis.md (sections 1-4)."""
DISCLOSURE = {
    "national": "Disclosure control: records shared by other countries are counted only as "
                "their owners allow; their part of every figure is suppressed under 10 (with "
                "secondary suppression) and rounded to a multiple of 5. C marks a confidential "
                "figure.",
    "other": "In this release every figure is disclosure-controlled: cells under 10 are "
             "suppressed (with secondary suppression) and counts rounded to a multiple of 5.",
}


def _method(reader: Reader, t: Any, today: dt.date) -> str:
    notes = [*METHOD, DISCLOSURE["national" if reader.release == "national" else "other"]]
    items = "".join(f"<li>{escape(t(n))}</li>" for n in notes)
    footer = (f"{t('Release level')}: {t(reader.release)}. "
              f"{t('Made by Crossings on {date}.', date=today.isoformat())}")
    return (f"<h2>{escape(t('Method notes'))}</h2><ul class='method'>{items}</ul>"
            f"<p class='note'>{escape(footer)}</p>")
