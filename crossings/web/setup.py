"""Initialising a store: migrations and the organisation hierarchy; demo users."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from crossings.web.accounts.seed import seed_organisations

DEMO_LOGINS = [("admin", "crossings-demo-2026", "administrator (all countries)")]


def initialise() -> int:
    """Create or upgrade the schema and seed the organisations; safe to run again."""
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    return seed_organisations()


def create_demo_users() -> list[tuple[str, str, str]]:
    """Demo accounts with known passwords, printed by `crossings demo`. Never in production."""
    assert not settings.PRODUCTION, "demo users are never created in production"
    user_model = get_user_model()
    for username, password, _ in DEMO_LOGINS:
        user, _ = user_model.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
    return DEMO_LOGINS
