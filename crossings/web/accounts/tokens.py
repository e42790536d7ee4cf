"""API tokens for machine clients: created by `crossings token create USER`, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crossings.web.accounts.models import ApiToken
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action

PREFIX = "cx_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(username: str, name: str = "api") -> tuple[ApiToken, str]:
    """A new token for the user; the plain token is returned once and never stored."""
    user = get_user_model().objects.get(username=username, is_active=True)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=_digest(token))
    audit(Action.TOKEN_CREATED, user=user, details={"token": row.prefix, "name": name})
    return row, token


@transaction.atomic
def revoke_token(prefix: str) -> int:
    rows = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
    for row in rows:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit(Action.TOKEN_REVOKED, user=row.user, details={"token": row.prefix})
    return len(rows)


def user_for_token(token: str) -> Any | None:
    """The active user holding this token, or None."""
    if not token.startswith(PREFIX):
        return None
    row = (ApiToken.objects.select_related("user")
           .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True).first())
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
