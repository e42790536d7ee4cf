"""The upload page: files of a unit imported as one batch, or a report of every problem."""

from __future__ import annotations

import csv
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crossings.ingest.odk import prepare_exports
from crossings.standard.problems import Problem
from crossings.web.errors import Forbidden
from crossings.web.forms.i18n import problem_text
from crossings.web.forms.pages import refusals_as_pages
from crossings.web.forms.permissions import authorable_units
from crossings.web.reporting.actions import ImportResult
from crossings.web.reporting.workflow import upload_files

MAX_FILES = 20
SHOWN_PROBLEMS = 500
ERROR_COLUMNS = ("file", "sheet", "row", "column", "value", "rule", "message", "hint")
KEEP_ERROR_FILES = 24 * 3600


def _error_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "upload-errors"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    """Each problem as one row of the report, in the reader's language."""
    rows = []
    for found in problems:
        message, hint = problem_text(found)
        rows.append({"file": Path(found.file).name if found.file else "", "sheet": found.sheet,
                     "row": found.row if found.row is not None else "", "column": found.field,
                     "value": "" if found.value is None else str(found.value),
                     "rule": found.code, "message": message, "hint": hint})
    return rows


def _write_errors(user_id: int, rows: list[dict[str, Any]]) -> str:
    folder = _error_dir()
    for old in folder.glob("*.csv"):
        if time.time() - old.stat().st_mtime > KEEP_ERROR_FILES:
            old.unlink(missing_ok=True)
    token = f"{user_id}-{uuid.uuid4().hex}"
    with (folder / f"{token}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, ERROR_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return token


def _save(files: list[UploadedFile], folder: Path) -> list[Path]:
    paths = []
    for upload in files:
        path = folder / Path(upload.name or "upload").name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        paths.append(path)
    return paths


def _import(request: HttpRequest, unit: str, dry_run: bool) -> ImportResult:
    files = request.FILES.getlist("files")
    if not files or len(files) > MAX_FILES:
        raise ValueError(_("Choose between 1 and %(n)s files.") % {"n": MAX_FILES})
    with tempfile.TemporaryDirectory(prefix="crossings-upload-") as folder:
        paths = _save(files, Path(folder))
        prepared = prepare_exports(paths, Path(folder) / "converted")
        result = upload_files(request.user, prepared.paths, unit, dry_run=dry_run)
        prepared.restore(result.problems)
    return result


@login_required
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    units = authorable_units(request.user)
    if not units:
        raise Forbidden(_("Your role does not upload records."))
    context: dict[str, Any] = {"units": units, "unit": units[0].code, "dry_run": False}
    status = 200
    if request.method == "POST":
        context["unit"] = request.POST.get("unit", "")
        context["dry_run"] = bool(request.POST.get("dry_run"))
        try:
            result = _import(request, context["unit"], context["dry_run"])
        except ValueError as exc:
            context["refusal"], status = str(exc), 422
        else:
            context["result"] = result
            if not result.ok:
                rows = problem_rows(result.problems)
                context["problems"] = rows[:SHOWN_PROBLEMS]
                context["errors_token"] = _write_errors(int(request.user.pk or 0), rows)
                status = 422
    return render(request, "crossings/forms/upload.html", context, status=status)


@login_required
def upload_errors(request: HttpRequest, token: str) -> FileResponse:
    """The error report of one of the user's own uploads, as CSV."""
    owner, _, rest = token.partition("-")
    path = _error_dir() / f"{token}.csv"
    if owner != str(request.user.pk) or not rest.isalnum() or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename="upload-errors.csv",
                        content_type="text/csv; charset=utf-8")
