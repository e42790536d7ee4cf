"""The organisation hierarchy: region → country → agency → unit.

Units are where reports come from (a border liaison office, a port intelligence unit, an
immigration post); their codes are stable: COUNTRY-KIND-PLACE, e.g. KHM-BLO-POIPET.
"""

from __future__ import annotations

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
