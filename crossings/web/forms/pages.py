"""What every page view shares: errors of the actions as HTTP pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crossings.web.errors import CrossingsError

View = Callable[..., HttpResponse]


def refusals_as_pages(view: View) -> View:
    """NotFound and Forbidden from an action become a 404 or 403 page with its message."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except CrossingsError as exc:
            if exc.status not in (403, 404):
                raise
            return render(request, "crossings/forms/refused.html",
                          {"message": exc.message, "status": exc.status}, status=exc.status)

    return wrapped
