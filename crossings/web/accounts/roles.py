"""Who a user is in Crossings: their membership (role, country, unit), looked up once."""

from __future__ import annotations

from typing import Any

from crossings.web.accounts.models import SECOND_FACTOR_ROLES, Membership, Role

_CACHE = "_crossings_membership"


def membership_of(user: Any) -> Membership | None:
    """The user's membership, or None for anonymous users and users without one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE):
        found = (Membership.objects.select_related("country", "unit", "unit__country")
                 .filter(user_id=user.pk).first())
        setattr(user, _CACHE, found)
    member: Membership | None = getattr(user, _CACHE)
    return member


def role_of(user: Any) -> Role | None:
    member = membership_of(user)
    return Role(member.role) if member else None


def needs_second_factor(user: Any) -> bool:
    """Focal points, analysts, administrators and superusers must pass TOTP."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or role_of(user) in SECOND_FACTOR_ROLES
