"""The API object: authentication, the one error envelope, the routers."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from crossings.web.api import audit, records
from crossings.web.api.auth import BrowserSession, TokenAuth
from crossings.web.errors import CrossingsError, error_body

log = logging.getLogger(__name__)

STATUS_CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
                405: "METHOD_NOT_ALLOWED", 409: "CONFLICT", 413: "TOO_LARGE",
                415: "UNSUPPORTED_MEDIA_TYPE", 422: "INVALID_INPUT", 429: "TOO_MANY_REQUESTS",
                500: "INTERNAL"}

api = NinjaAPI(
    title="Crossings API", version="1.0.0", urls_namespace="api",
    auth=[TokenAuth(), BrowserSession()],
    description="Report, review and share records of the Crossings data standard. Every error "
                "has one shape: `{\"error\": {\"code\", \"message\", \"details\"}}`.",
)
api.add_router("/", records.router)
api.add_router("/audit", audit.router)


def _respond(request: HttpRequest, status: int, code: str, message: str,
             details: list[dict[str, Any]] | None = None) -> HttpResponse:
    return api.create_response(request, error_body(code, message, details), status=status)


@api.exception_handler(CrossingsError)
def _crossings_error(request: HttpRequest, exc: CrossingsError) -> HttpResponse:
    return _respond(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [{"field": _field(tuple(e.get("loc", ()))),
                "location": str((e.get("loc") or ("",))[0]), "code": e.get("type", ""),
                "message": e.get("msg", "")} for e in exc.errors]
    return _respond(request, 422, "INVALID_INPUT", "The request does not have the expected "
                    "shape; see details.", details)


def _field(loc: tuple[Any, ...]) -> str:
    """``("body", "body", "data", 0)`` → ``data.0``: the field as the client named it."""
    parts = list(loc[2:] if loc[:2] == ("body", "body") else loc[1:])
    return ".".join(str(p) for p in parts)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, 401, "UNAUTHENTICATED", "Sign in (and pass the second factor), "
                    "or send `Authorization: Bearer <token>`.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "CSRF_FAILED" if "CSRF" in str(exc) else STATUS_CODES.get(exc.status_code, "ERROR")
    return _respond(request, exc.status_code, code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, "NOT_FOUND", "There is no such resource.")


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (out of range, too long) is the client's mistake."""
    return _respond(request, 422, "INVALID_INPUT", "A value is out of the range the store "
                    "can hold.")


@api.exception_handler(Exception)
def _internal(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path)
    return _respond(request, 500, "INTERNAL", "Something went wrong on our side; it has been "
                    "logged.")
