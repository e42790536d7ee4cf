"""Estimate page: lists from the store, the estimate, its rivals and chart; and as PDF.

Thin: parse the form, check the role, call :func:`.estimates.run_estimate`, draw.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from crossings.estimation.cli import CLI_METHODS
from crossings.estimation.report import number, pdf_section, svg_chart
from crossings.web.accounts.models import Role, Unit
from crossings.web.accounts.roles import role_of
from crossings.web.intelligence.estimates import (
    STRATA,
    EstimateInputError,
    EstimateOutcome,
    run_estimate,
)

ANALYSTS = (Role.NATIONAL_ANALYST, Role.REGIONAL_ANALYST)


@dataclass(frozen=True)
class EstimateForm:
    """The page's question: which lists, when, by what, how."""

    units: tuple[str, ...]
    period: str
    by: str
    method: str

    @classmethod
    def parse(cls, query: QueryDict) -> EstimateForm:
        units = tuple(u for value in query.getlist("units") for u in value.split(",")
                      if u.strip())
        by = query.get("by", "")
        method = query.get("method", "bic")
        return cls(units, query.get("period", "").strip()[:10],
                   by if by in STRATA else "", method if method in CLI_METHODS else "bic")

    @property
    def asked(self) -> bool:
        return bool(self.units or self.period)


def _refused(request: HttpRequest) -> HttpResponse | None:
    if role_of(request.user) in ANALYSTS:
        return None
    return render(request, "crossings/forms/refused.html", {
        "message": "Estimates are for national and regional analysts.", "status": 403},
        status=403)


def _estimate(request: HttpRequest, form: EstimateForm) -> tuple[EstimateOutcome | None, str]:
    try:
        return run_estimate(request.user, form.units, form.period, by=form.by or None,
                            method=form.method), ""
    except EstimateInputError as exc:
        return None, str(exc)


@login_required
@require_GET
def estimate_page(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    form = EstimateForm.parse(request.GET)
    outcome, error = _estimate(request, form) if form.asked else (None, "")
    context = {"form": form, "error": error, "outcome": outcome, "methods": CLI_METHODS,
               "strata": STRATA, "query": request.GET.urlencode(),
               "units": Unit.objects.select_related("country").exclude(kind="NFP")
               .order_by("country__code", "code")}
    if outcome:
        s = outcome.section
        context |= {"s": s, "estimate": number(s.estimate), "low": number(s.low),
                    "high": number(s.high), "observed": number(s.observed),
                    "chart": mark_safe(svg_chart(s)),  # noqa: S308 - built by us, escaped
                    "rows": [(r, number(r.estimate), number(r.low), number(r.high))
                             for r in s.rows]}
    return render(request, "crossings/intelligence/estimates.html", context,
                  status=400 if error else 200)


@login_required
@require_GET
def estimate_pdf(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    outcome, error = _estimate(request, EstimateForm.parse(request.GET))
    if outcome is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf_section(outcome.section), content_type="application/pdf")
    name = "estimate-" + outcome.account["period"] + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
