"""The landing page: what the store holds that the user may see, per country and kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from crossings.web.errors import error_body
from crossings.web.reporting.visibility import Purpose, visible_records


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = (visible_records(request.user, Purpose.READ)
              .values("country__code", "country__name", "record_type")
              .annotate(n=Count("pk")).order_by("country__code", "record_type"))
    return render(request, "crossings/home.html", {"counts": counts})


def api_not_found(request: HttpRequest) -> JsonResponse:
    """Unknown paths under /api/ answer with the API's error shape, not an HTML page."""
    return JsonResponse(error_body("NOT_FOUND", "There is no such resource."), status=404)
