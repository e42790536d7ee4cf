"""Initialising a store: migrations and the organisation hierarchy; demo users and sharing."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from crossings.web.accounts.models import (
    SECOND_FACTOR_ROLES,
    Country,
    Membership,
    Role,
    SharingScope,
    Unit,
)
from crossings.web.accounts.seed import seed_organisations

DEMO_PASSWORD = "crossings-demo-2026"  # noqa: S105 - the documented demo password
#: The demo countries, the unit of each one's data-entry officer, and its sharing policy.
DEMO_COUNTRIES = {
    "KHM": ("KHM-BLO-POIPET", SharingScope.REGIONAL_CONTRIBUTORS, ()),
    "THA": ("THA-IMM-ARANYAPRATHET", SharingScope.REGIONAL_CONTRIBUTORS, ()),
    "VNM": ("VNM-BLO-MOCBAI", SharingScope.BILATERAL, ("KHM",)),
}


@dataclass(frozen=True)
class DemoLogin:
    """A demo account. TOTP users get a device with a fixed key derived from the username
    (``second_factor.demo_totp_key``), so codes can be computed by the demo and the tests."""

    username: str
    role: Role
    country: str = ""
    unit: str = ""
    password: str = DEMO_PASSWORD

    @property
    def needs_totp(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES

    @property
    def totp_secret(self) -> str:
        from crossings.web.accounts.second_factor import base32_secret, demo_totp_key  # noqa: PLC0415

        return base32_secret(demo_totp_key(self.username)) if self.needs_totp else ""


DEMO_LOGINS = [
    DemoLogin("admin", Role.ADMINISTRATOR),
    DemoLogin("regional-analyst", Role.REGIONAL_ANALYST),
    *(login for code, (unit, _, _) in DEMO_COUNTRIES.items() for login in (
        DemoLogin(f"{code.lower()}-officer", Role.OFFICER, code, unit),
        DemoLogin(f"{code.lower()}-focal", Role.FOCAL_POINT, code),
        DemoLogin(f"{code.lower()}-analyst", Role.NATIONAL_ANALYST, code))),
]


def initialise() -> int:
    """Create or upgrade the schema and seed the organisations; safe to run again."""
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    return seed_organisations()


def create_demo_users() -> list[DemoLogin]:
    """Demo accounts with known passwords, printed by `crossings demo`. Never in production."""
    from crossings.web.accounts.second_factor import set_demo_device  # noqa: PLC0415

    assert not settings.PRODUCTION, "demo users are never created in production"
    user_model = get_user_model()
    for login in DEMO_LOGINS:
        user, _ = user_model.objects.get_or_create(username=login.username)
        user.is_staff = user.is_superuser = login.role == Role.ADMINISTRATOR
        user.set_password(login.password)
        user.save()
        Membership.objects.update_or_create(user=user, defaults={
            "role": login.role,
            "country": Country.objects.get(code=login.country) if login.country else None,
            "unit": Unit.objects.get(code=login.unit) if login.unit else None})
        if login.needs_totp:
            set_demo_device(user)
    return DEMO_LOGINS


def share_demo_records() -> int:
    """Set the demo countries' sharing policies and approve their submitted records as their
    focal points would (so the demo's analytics and sharing have data)."""
    from crossings.web.reporting.models import Record, Status  # noqa: PLC0415
    from crossings.web.reporting.workflow import approve_records, set_sharing_policy  # noqa: PLC0415

    approved = 0
    for code, (_, scope, partners) in DEMO_COUNTRIES.items():
        focal = get_user_model().objects.get(username=f"{code.lower()}-focal")
        country = Country.objects.get(code=code)
        set_sharing_policy(focal, country, scope, list(partners))
        records = list(Record.objects.select_related("country").filter(
            country=country, status=Status.SUBMITTED, deleted_at__isnull=True))
        approved += approve_records(focal, records)
    return approved
