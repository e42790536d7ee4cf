"""Linkage review pages: the queue of uncertain pairs, and the country's identities.

Thin: parse, call one action of :mod:`.review_actions` or :mod:`.identity_actions` (which
authorise, own the transaction and write the audit entry), render or redirect. Refusals are
403/404 pages; a decision the data does not allow is a message on the page it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from crossings.linkage.cluster import Decision
from crossings.web.errors import CrossingsError
from crossings.web.forms.pages import refusals_as_pages
from crossings.web.intelligence import identity_actions, review_actions

DECIDED = {Decision.MATCH: gettext_lazy("Recorded: the same person."),
           Decision.NOT_A_MATCH: gettext_lazy("Recorded: not the same person."),
           Decision.UNSURE: gettext_lazy("Recorded: unsure. The pair leaves the queue; the "
                                         "model decides.")}


def _page(query: QueryDict) -> int:
    value = query.get("page", "1")
    return int(value) if value.isdigit() else 1


def _back(name: str, **params: str) -> HttpResponse:
    kept = {k: v for k, v in params.items() if v}
    return redirect(reverse(name) + (f"?{urlencode(kept)}" if kept else ""))


def _failed(request: HttpRequest, exc: CrossingsError) -> None:
    if exc.status in (403, 404):
        raise exc
    messages.error(request, exc.message)


@login_required
@refusals_as_pages
@require_GET
def review_queue_page(request: HttpRequest) -> HttpResponse:
    queue = review_actions.review_page(request.user, _page(request.GET))
    return render(request, "crossings/linkage/review.html",
                  {"queue": queue, "decisions": list(Decision)})


@login_required
@refusals_as_pages
@require_POST
def decide_view(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        decision = Decision(post.get("decision", ""))
    except ValueError:
        messages.error(request, _("Choose: match, not a match, or unsure."))
        return _back("linkage-review", page=post.get("page", ""))
    try:
        review_actions.decide_pair(request.user, post.get("left", ""), post.get("right", ""),
                                   decision, post.get("note", ""))
    except CrossingsError as exc:
        _failed(request, exc)
    else:
        messages.success(request, DECIDED[decision])
    return _back("linkage-review", page=post.get("page", ""))


@login_required
@refusals_as_pages
@require_POST
def rerun_view(request: HttpRequest) -> HttpResponse:
    outcome = review_actions.rerun_linkage(request.user)
    messages.success(request, _(
        "Linkage ran: %(persons)s persons in %(identities)s identities; %(review)s pairs to "
        "review.") % {"persons": outcome["persons"],
                      "identities": outcome["person_identities"],
                      "review": outcome["to_review"]})
    return _back("linkage-review")


@login_required
@refusals_as_pages
@require_GET
def identities_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    found = identity_actions.identity_page(request.user, query, _page(request.GET))
    return render(request, "crossings/linkage/identities.html", {"found": found})


def _edit_identities(request: HttpRequest, edit: Callable[[], Any], success: str) -> HttpResponse:
    """Run one identity edit; say what it did or why it was refused; back to the list."""
    try:
        identity = edit()
    except CrossingsError as exc:
        _failed(request, exc)
    else:
        messages.success(request, success % {"id": identity.identity_id})
    return _back("linkage-identities", q=request.POST.get("q", ""))


@login_required
@refusals_as_pages
@require_POST
def split_view(request: HttpRequest) -> HttpResponse:
    post = request.POST
    return _edit_identities(
        request, lambda: identity_actions.split_record(request.user, post.get("record", ""),
                                                       post.get("note", "")),
        _("The person is now identity %(id)s on their own; later runs keep them apart."))


@login_required
@refusals_as_pages
@require_POST
def merge_view(request: HttpRequest) -> HttpResponse:
    post = request.POST
    return _edit_identities(
        request, lambda: identity_actions.merge_identities(request.user, post.getlist("identity"),
                                                           post.get("note", "")),
        _("Merged into identity %(id)s; later runs keep them together."))
