"""Record pages: the list, one record, and the incident form (new and edit).

Views are thin: they parse the request, ask the visibility rule and the workflow (through
``reads``, ``workflow`` and ``permissions``) and draw the answer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crossings.web.accounts.models import Country, SharingScope
from crossings.web.errors import CrossingsError, Forbidden
from crossings.web.forms.checks import Errors, check_incident, summary
from crossings.web.forms.display import history, record_view
from crossings.web.forms.drawing import add_row, draw_form
from crossings.web.forms.entry import action_errors, save_incident, suggested_reference
from crossings.web.forms.labels import STATUS
from crossings.web.forms.pages import refusals_as_pages
from crossings.web.forms.parse import posted_incident, stored_rows, stored_values
from crossings.web.forms.permissions import authorable_units, available_actions
from crossings.web.forms.schema import incident_sections
from crossings.web.reporting.models import Record
from crossings.web.reporting.reads import RecordFilter, list_records, read_record
from crossings.web.reporting.visibility import Detail, Purpose
from crossings.web.reporting.workflow import find_record

PAGE_SIZE = 25


def _int(text: str | None, default: int) -> int:
    try:
        return max(int(text or default), 1)
    except ValueError:
        return default


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    query = request.GET
    filters = RecordFilter(record_type=query.get("type", ""), status=query.get("status", ""),
                           country=query.get("country", "")[:3],
                           reference=query.get("reference", "").strip())
    page = list_records(request.user, filters, page=_int(query.get("page"), 1),
                        page_size=PAGE_SIZE)
    last = max((page.count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render(request, "crossings/forms/list.html", {
        "page": page, "filters": filters, "statuses": STATUS, "last": last,
        "can_create": bool(authorable_units(request.user))})


@login_required
@refusals_as_pages
def record_detail(request: HttpRequest, uid: str) -> HttpResponse:
    shown = read_record(request.user, uid)
    record = shown.record
    full = shown.detail == Detail.FULL
    return render(request, "crossings/forms/detail.html", {
        "shown": shown, "record": record, "full": full,
        "view": record_view(record.record_type, shown.data or {}),
        "actions": available_actions(request.user, record) if full else [],
        "history": history(record) if full else [],
        "partners": Country.objects.exclude(pk=record.country_id).order_by("name"),
        "scopes": [s for s in SharingScope.values if s != SharingScope.NATIONAL_ONLY],
        "current_partners": set(record.partners.values_list("code", flat=True))})


def _form_page(request: HttpRequest, record: Record | None, values: dict[str, Any],
               rows: dict[str, Any], errors: Errors, *, status: int = 200) -> HttpResponse:
    units = authorable_units(request.user)
    return render(request, "crossings/forms/incident.html", {
        "record": record, "form": draw_form(values, rows, errors, units),
        "summary": summary(errors)}, status=status)


def _post(request: HttpRequest, record: Record | None) -> HttpResponse:
    data, rows = posted_incident(request.POST)
    if request.POST.get("add"):
        add_row(rows, request.POST["add"])
        return _form_page(request, record, _posted_values(request), rows, {})
    errors = check_incident(data, rows)
    if not errors:
        try:
            saved = save_incident(request.user, record, data,
                                  submit=request.POST.get("action") == "submit")
        except CrossingsError as exc:
            if exc.status in (403, 404):
                raise
            errors = action_errors(exc)
        else:
            messages.success(request, _("Saved: %(status)s, version %(version)s.") % {
                "status": STATUS[saved.status], "version": saved.version})
            return redirect("record-detail", uid=saved.uid)
    return _form_page(request, record, _posted_values(request), rows, errors, status=422)


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    return {f.name: request.POST.getlist(f.name) if f.widget == "checkboxes"
            else request.POST.get(f.name, "") for f in incident_sections()[0].fields}


@login_required
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    units = authorable_units(request.user)
    if not units:
        raise Forbidden(_("Your role does not enter incidents."))
    if request.method == "POST":
        return _post(request, None)
    values = {"reporting_unit": units[0].code, "incident_ref": suggested_reference(units[0])}
    return _form_page(request, None, values, {}, {})


@login_required
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, uid: str) -> HttpResponse:
    record = find_record(request.user, uid, Purpose.MANAGE)
    if "edit" not in available_actions(request.user, record):
        raise Forbidden(_("You may not change this record."))
    if request.method == "POST":
        return _post(request, record)
    return _form_page(request, record, stored_values(record.data), stored_rows(record.data), {})
