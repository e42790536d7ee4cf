"""The organisation hierarchy: region → country → agency → unit.

Units are where reports come from (a border liaison office, a port intelligence unit, an
immigration post); their codes are stable: COUNTRY-KIND-PLACE, e.g. KHM-BLO-POIPET.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crossings.standard.model import load_standard


def _choices(codelist: str) -> list[tuple[str, str]]:
    return list(load_standard().codelists[codelist].codes.items())


class Region(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    """A participating state; owns every record its units report."""

    code = models.CharField(max_length=3, unique=True, help_text="ISO 3166-1 alpha-3")
    m49 = models.CharField(max_length=3, blank=True, help_text="UN M49 numeric code")
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    class Meta:
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="agencies")
    agency_type = models.CharField(max_length=40, choices=_choices("reporting_agency_type"))

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A reporting unit: BLO, PIU, immigration post, police unit, national focal point."""

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=_choices("unit_kind"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="units")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    border_country = models.CharField(max_length=3, blank=True)
    counterpart = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text="The unit across the border")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Role(models.TextChoices):
    """What a user does. One role per user; it decides what they may see and do."""

    OFFICER = "OFFICER", "data-entry officer"
    FOCAL_POINT = "FOCAL_POINT", "national focal point"
    NATIONAL_ANALYST = "NATIONAL_ANALYST", "national analyst"
    REGIONAL_ANALYST = "REGIONAL_ANALYST", "regional analyst"
    ADMINISTRATOR = "ADMINISTRATOR", "administrator"


#: Roles that must pass a second factor (TOTP) before they see anything.
SECOND_FACTOR_ROLES = frozenset({Role.FOCAL_POINT, Role.NATIONAL_ANALYST,
                                 Role.REGIONAL_ANALYST, Role.ADMINISTRATOR})


class Membership(models.Model):
    """A user's role and where it applies: an officer's unit, a national role's country."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    role = models.CharField(max_length=20, choices=Role.choices)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="members")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="members")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="officer_has_unit",
                condition=~models.Q(role="OFFICER") | models.Q(unit__isnull=False)),
            models.CheckConstraint(
                name="national_role_has_country",
                condition=~models.Q(role__in=["OFFICER", "FOCAL_POINT", "NATIONAL_ANALYST"])
                | models.Q(country__isnull=False)),
        ]

    def __str__(self) -> str:
        where = self.unit.code if self.unit else (self.country.code if self.country else "hub")
        return f"{self.user} — {self.get_role_display()} ({where})"


class SharingScope(models.TextChoices):
    """Who outside the owning country may see a record, and how (see reporting.visibility)."""

    NATIONAL_ONLY = "NATIONAL_ONLY", "national only"
    BILATERAL = "BILATERAL", "named partner countries"
    REGIONAL_CONTRIBUTORS = "REGIONAL_CONTRIBUTORS", "regional contributors (give to get)"
    PUBLIC_AGGREGATES_ONLY = "PUBLIC_AGGREGATES_ONLY", "public aggregates only"


class CountrySharingPolicy(models.Model):
    """A country's standing decision: the scope its records get when first approved."""

    country = models.OneToOneField(Country, on_delete=models.CASCADE,
                                   related_name="sharing_policy")
    default_scope = models.CharField(max_length=24, choices=SharingScope.choices,
                                     default=SharingScope.NATIONAL_ONLY)
    default_partners = models.ManyToManyField(Country, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "country sharing policies"

    def __str__(self) -> str:
        return f"{self.country.code}: {self.default_scope}"


class ApiToken(models.Model):
    """A machine client's bearer token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise it")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user}, {self.name})"
