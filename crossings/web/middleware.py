"""Request guards: session expiry (idle and absolute), the second factor, security headers and
the API's one error shape for responses that did not come from the API itself."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from crossings.web.accounts.roles import needs_second_factor
from crossings.web.errors import error_body

log = logging.getLogger(__name__)
Handler = Callable[[HttpRequest], HttpResponse]
STARTED, SEEN = "crossings_started", "crossings_seen"
OPEN_PATHS = ("/login/", "/logout/", "/static/", "/api/")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
# Swagger UI sets inline styles; its scripts are still files served from here.
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SessionExpiryMiddleware:
    """Sign out sessions idle for CROSSINGS_SESSION_IDLE_MINUTES or older than
    SESSION_COOKIE_AGE (8 hours), whatever the activity."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = settings.CROSSINGS_SESSION_IDLE_MINUTES * 60
            if now - seen > idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                request.session["crossings_expired"] = True
            else:
                request.session[STARTED] = started
                if now - seen > 30 or SEEN not in request.session:
                    request.session[SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Users whose role needs TOTP see nothing until they passed it (or enrolled)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and needs_second_factor(user)
                and not getattr(user, "is_verified", lambda: False)()
                and not request.path.startswith(OPEN_PATHS)):
            from django_otp import user_has_device  # noqa: PLC0415

            target = "login-verify" if user_has_device(user) else "login-enrol"
            return redirect(f"{_url(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def _url(name: str) -> str:
    from django.urls import reverse  # noqa: PLC0415

    return reverse(name)


class SecurityHeadersMiddleware:
    """A Content Security Policy without inline scripts, and a restrictive Permissions-Policy."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        docs = request.path.startswith("/api/docs")
        response.headers.setdefault("Content-Security-Policy", CSP_DOCS if docs else CSP)
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=(), payment=()")
        return response


def _has_nul(request: HttpRequest) -> bool:
    """NUL in text: PostgreSQL cannot store or compare it, so it is refused up front (files
    in multipart uploads may hold any bytes)."""
    if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    if request.content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False


class ApiErrorShapeMiddleware:
    """Under /api/, any error that is not already the envelope (a wrong method, an unknown
    path, a crash outside the API's handlers, a lockout) becomes the envelope."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _has_nul(request):
            return JsonResponse(error_body("INVALID_INPUT", "Text may not contain NUL "
                                           "characters (\\u0000)."), status=422)
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                if "error" in json.loads(response.content):
                    return response
            except (ValueError, TypeError):
                pass
        from crossings.web.api.main import STATUS_CODES  # noqa: PLC0415

        status = response.status_code
        message = {404: "There is no such resource.",
                   405: f"{request.method} is not allowed here."}.get(
            status, "The request could not be served.")
        return JsonResponse(error_body(STATUS_CODES.get(status, "ERROR"), message),
                            status=status)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        log.exception("error on %s %s", request.method, request.path)
        return JsonResponse(error_body("INTERNAL", "Something went wrong on our side; it has "
                                       "been logged."), status=500)
