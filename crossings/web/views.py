"""The landing page: what the store holds, per country and kind of record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crossings.web.reporting.models import Record


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = (Record.objects.filter(deleted_at__isnull=True)
              .values("country__code", "country__name", "record_type")
              .annotate(n=Count("pk")).order_by("country__code", "record_type"))
    return render(request, "crossings/home.html", {"counts": counts})
