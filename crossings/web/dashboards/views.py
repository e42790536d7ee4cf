"""Dashboards: from / through / to a country, trends, each chart's data as CSV, the report.

Views are thin: they check who asks, read the view's parameters, and call
:func:`crossings.analysis.panels.chart` with the reader's scope
(:func:`crossings.web.dashboards.scope.aggregate_scope`). The page and the CSV download of a chart
call the same function with the same arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from crossings.analysis import panels
from crossings.analysis.indicators import COUNTRY_PATTERN, BadRequest, parse_period
from crossings.analysis.panels import Place, View
from crossings.analysis.scope import Reader
from crossings.standard.model import load_standard
from crossings.web.accounts.models import Country, Unit
from crossings.web.accounts.roles import membership_of
from crossings.web.dashboards.scope import aggregate_scope, may_use_dashboards
from crossings.web.dashboards.sync import current_store

Handler = Callable[..., HttpResponse]
FLOW_PAGE = ("headline", "routes", "crossing_points", "fees")
TREND_PAGE = ("change", "monthly", "seasonal", "spikes")


def analysts_only(view: Handler) -> Handler:
    """Signed in, and an analyst or a focal point; others get 403."""
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_use_dashboards(request.user):
            return render(request, "crossings/dashboards/refused.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(guarded)


def places() -> dict[str, Place]:
    """Reporting units with coordinates (the organisation hierarchy)."""
    units = Unit.objects.filter(latitude__isnull=False, longitude__isnull=False)
    return {u.code: Place(u.code, u.name, u.country.code, float(u.latitude or 0),
                          float(u.longitude or 0))
            for u in units.select_related("country")}


def _default_period() -> str:
    found = current_store().query("SELECT max(detection_date) AS last FROM incidents")["last"]
    last = found.iloc[0] if len(found) else None
    if last is None or pd.isna(last):
        return "2025-H1"
    return f"{last.year}-H{1 if last.month <= 6 else 2}"


def view_of(request: HttpRequest) -> View:
    """The view asked for (defaults: the user's country, the latest half-year, flow from)."""
    query = request.GET
    member = membership_of(request.user)
    own = member.country.code if member and member.country else "KHM"
    country = (query.get("country") or own).upper()[:3]
    if not COUNTRY_PATTERN.match(country):
        raise BadRequest(f"'{country}' is not a country code")
    flow = query.get("flow") or "from"
    if flow not in panels.FLOWS:
        raise BadRequest("flow must be from, through or to")
    direction = query.get("direction", "").upper()[:24] or None
    border = query.get("border_section", "").upper()[:7] or None
    return View(country, parse_period(query.get("period") or _default_period()), flow,
                direction, border)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()}
            for row in frame.astype(object).to_dict("records")]


def _plain(value: Any) -> Any:
    """JSON-friendly: missing as None, whole floats as integers."""
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _charts(names: tuple[str, ...], reader: Reader, view: View) -> dict[str, Any]:
    store, found = current_store(), places()
    out: dict[str, Any] = {}
    for name in names:
        frame = panels.chart(name, store, reader, view, found)
        out[name] = {"rows": _rows(frame), "attrs": dict(frame.attrs),
                     "csv": f"{reverse('dashboard-csv', args=[name])}?{urlencode(view.query())}"}
    return out


def _page(request: HttpRequest, template: str, names: tuple[str, ...]) -> HttpResponse:
    try:
        view = view_of(request)
        charts = _charts(names, aggregate_scope(request.user), view)
    except BadRequest as exc:
        return render(request, "crossings/dashboards/refused.html", {"problem": str(exc)},
                      status=400)
    countries = Country.objects.order_by("code").values_list("code", "name")
    return render(request, template, {
        "view": view, "charts": charts, "countries": countries, "flows": panels.FLOWS,
        "query": urlencode(view.query()), "headline": _headline(charts),
        "directions": list(load_standard().codelists["movement_direction"].codes.items()),
        "topojson": "/static/crossings/dashboards/topojson/"})


def _headline(charts: dict[str, Any]) -> list[dict[str, Any]]:
    """The headline rows grouped by flow, for the three panels."""
    rows = charts.get("headline", {}).get("rows", [])
    return [{"flow": flow, "rows": [r for r in rows if r["flow"] == flow]}
            for flow in panels.FLOWS] if rows else []


@analysts_only
def flows_page(request: HttpRequest) -> HttpResponse:
    """From / through / to a country: headline figures, routes, crossing points, fees."""
    return _page(request, "crossings/dashboards/flows.html", FLOW_PAGE)


@analysts_only
def trends_page(request: HttpRequest) -> HttpResponse:
    """Change against the previous period and last year, the monthly series, spikes."""
    return _page(request, "crossings/dashboards/trends.html", TREND_PAGE)


@analysts_only
def chart_csv(request: HttpRequest, name: str) -> HttpResponse:
    """One chart's data, the same table the page draws, as CSV."""
    if name not in panels.CHARTS:
        raise Http404
    try:
        view = view_of(request)
        frame = panels.chart(name, current_store(), aggregate_scope(request.user), view,
                             places())
    except BadRequest as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(frame.to_csv(index=False), content_type="text/csv; charset=utf-8")
    filename = f"crossings-{name}-{view.country}-{view.flow}-{view.period.label}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response



def plotly_js(request: HttpRequest) -> FileResponse:
    """plotly.js as shipped inside the pinned ``plotly`` Python package (no CDN)."""
    import plotly  # noqa: PLC0415 - only this view needs the package

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# -- the situation report ------------------------------------------------------------------------
def _report(request: HttpRequest) -> tuple[View, str, Any]:
    from crossings.analysis.report import build  # noqa: PLC0415

    view = view_of(request)
    lang = request.GET.get("lang") or "en"
    if lang not in ("en", "km", "th"):
        raise BadRequest("lang must be en, km or th")
    return view, lang, build(current_store(), aggregate_scope(request.user), view, places(),
                             lang=lang)


@analysts_only
def report_page(request: HttpRequest) -> HttpResponse:
    """The situation report in the page, with a PDF download."""
    try:
        view, lang, made = _report(request)
    except BadRequest as exc:
        return render(request, "crossings/dashboards/refused.html", {"problem": str(exc)},
                      status=400)
    countries = Country.objects.order_by("code").values_list("code", "name")
    return render(request, "crossings/dashboards/report.html", {
        "view": view, "lang": lang, "report": made.body, "countries": countries,
        "flows": panels.FLOWS, "query": urlencode(view.query()),
        "directions": list(load_standard().codelists["movement_direction"].codes.items()),
        "pdf": f"{reverse('dashboard-report-pdf')}?{urlencode({**view.query(), 'lang': lang})}"})


@analysts_only
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF (fonts embedded)."""
    import tempfile  # noqa: PLC0415

    try:
        view, lang, made = _report(request)
    except BadRequest as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        made.write_pdf(path)
        response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    name = f"crossings-report-{view.country}-{view.period.label}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_css(request: HttpRequest) -> HttpResponse:
    """The report's stylesheet, its fonts served from here."""
    from crossings.analysis.report import CSS, font_faces  # noqa: PLC0415

    base = reverse("report-font", args=["x"])[:-1]
    response = HttpResponse(font_faces(base) + CSS, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def report_font(request: HttpRequest, name: str) -> FileResponse:
    """The shipped Khmer and Thai fonts (OFL), for the report page."""
    from crossings.analysis.report import FONT_FILES, FONTS  # noqa: PLC0415

    if name not in FONT_FILES:
        raise Http404
    response = FileResponse((FONTS / name).open("rb"), content_type="font/ttf")
    response["Cache-Control"] = "public, max-age=86400"
    return response
