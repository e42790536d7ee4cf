"""Who calls the API: a machine with a bearer token, or the browser with its session.

Session calls must carry the CSRF token on unsafe methods, and users whose role needs a second
factor must have passed it in this session.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from crossings.web.accounts.roles import needs_second_factor
from crossings.web.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cx_...`` (tokens from `crossings token create USER`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(APIKeyCookie):
    """The Django session of a signed-in (and, where needed, verified) user."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # no CSRF check for a request that is not signed in: it gets 401
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if needs_second_factor(user) and not getattr(user, "is_verified", lambda: False)():
            return None
        return user
