"""The one visibility rule, applied to aggregates: which records of the analytical store a user
may count.

It restates ``crossings.web.reporting.visibility`` (Purpose.ANALYSE) for the store's columns, from
the same facts (the user's membership and the give-to-get contributors):

who                    own (counted exactly)          shared with them (disclosure-controlled)
data-entry officer     their unit                     PUBLIC_AGGREGATES_ONLY
focal point, national  their country                  BILATERAL naming their country;
analyst                                               REGIONAL_CONTRIBUTORS if their country
                                                      contributes (give to get); PUBLIC_...
regional analyst       -                              REGIONAL_CONTRIBUTORS; PUBLIC_...
administrator, others  -                              PUBLIC_AGGREGATES_ONLY

``tests/web/dashboards/test_scope.py`` checks, for every demo role, that the store rows selected
by :func:`aggregate_scope` are exactly the records ``visible_records(user, Purpose.ANALYSE)``
returns.
"""

from __future__ import annotations

from typing import Any

from crossings.analysis.scope import Reader
from crossings.web.accounts.models import Role
from crossings.web.accounts.roles import membership_of
from crossings.web.reporting.visibility import contributing_countries

NATIONAL_ROLES = (Role.FOCAL_POINT, Role.NATIONAL_ANALYST)
DASHBOARD_ROLES = (Role.FOCAL_POINT, Role.NATIONAL_ANALYST, Role.REGIONAL_ANALYST)
"""Who uses the dashboards and reports."""


def aggregate_scope(user: Any) -> Reader:
    """What ``user`` may count in aggregates (see the module's table)."""
    member = membership_of(user)
    if member is None:
        return Reader()
    if member.role == Role.OFFICER and member.unit is not None:
        return Reader(unit=member.unit.code)
    if member.role == Role.REGIONAL_ANALYST:
        return Reader(regional=True)
    if member.role in NATIONAL_ROLES and member.country is not None:
        return Reader(country=member.country.code, bilateral=True,
                      regional=member.country_id in contributing_countries())
    return Reader()


def country_scope(code: str, release: str = "national") -> Reader:
    """What a country's node may count for its own report (the CLI, run by the node's
    operator): as its analysts (``national``), or for a release beyond it (``partner``: every
    figure protected; ``public``: other countries' records only if public aggregates)."""
    from crossings.web.accounts.models import Country  # noqa: PLC0415

    country = Country.objects.filter(code=code).first()
    if release == "public":
        return Reader(country=code, release=release)
    contributes = country is not None and country.pk in contributing_countries()
    return Reader(country=code, bilateral=True, regional=contributes, release=release)


def may_use_dashboards(user: Any) -> bool:
    """Analysts and focal points (who passed their second factor: the middleware sees to it)."""
    member = membership_of(user)
    return member is not None and member.role in DASHBOARD_ROLES
