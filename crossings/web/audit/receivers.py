"""Logins, failed logins and logouts reach the audit log through Django's auth signals: they are
the one place every login path (our login page, the admin, the API's test client) passes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from crossings.web.accounts.roles import membership_of
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action


@receiver(user_logged_in, dispatch_uid="crossings-audit-login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    member = membership_of(user)
    audit(Action.LOGIN, user=user, country=member.country if member else None, request=request)


@receiver(user_login_failed, dispatch_uid="crossings-audit-login-failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kwargs: Any) -> None:
    audit(Action.LOGIN_FAILED, username=str(credentials.get("username", "")), request=request)


@receiver(user_logged_out, dispatch_uid="crossings-audit-logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        member = membership_of(user)
        audit(Action.LOGOUT, user=user, country=member.country if member else None,
              request=request)
