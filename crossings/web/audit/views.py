"""The audit page: a focal point reads their country's log (read-only, newest first)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crossings.web.reporting.visibility import visible_audit


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    entries = visible_audit(request.user).select_related("country").order_by("-seq")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "crossings/audit.html", {"page": page})
