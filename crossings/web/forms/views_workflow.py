"""The workflow buttons of a record page: each POST calls one action of the workflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossings.web.errors import CrossingsError
from crossings.web.forms.labels import STATUS
from crossings.web.forms.pages import refusals_as_pages
from crossings.web.reporting import workflow
from crossings.web.reporting.models import Record
from crossings.web.reporting.visibility import Purpose

Call = Callable[[Any, Record, QueryDict], Record]
CALLS: dict[str, Call] = {
    "submit": lambda user, record, post: workflow.submit_record(user, record),
    "return": lambda user, record, post: workflow.return_record(
        user, record, post.get("comment", "")),
    "approve": lambda user, record, post: workflow.approve_record(user, record),
    "share": lambda user, record, post: workflow.share_record(
        user, record, post.get("scope", ""), post.getlist("partners")),
    "revoke": lambda user, record, post: workflow.revoke_sharing(
        user, record, post.get("reason", "")),
    "withdraw": lambda user, record, post: workflow.withdraw_record(
        user, record, post.get("reason", "")),
}


@login_required
@refusals_as_pages
@require_POST
def record_action(request: HttpRequest, uid: str, action: str) -> HttpResponse:
    call = CALLS.get(action)
    if call is None:
        raise Http404
    record = workflow.find_record(request.user, uid, Purpose.MANAGE)
    try:
        record = call(request.user, record, request.POST)
    except CrossingsError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: the record is now %(status)s (version %(version)s).")
                         % {"status": STATUS[record.status], "version": record.version})
    return redirect("record-detail", uid=record.uid)
