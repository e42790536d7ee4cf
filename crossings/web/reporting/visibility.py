"""The one visibility rule: which records a user may see, and at which level of detail.

Every view, API endpoint, export and report reads records through :func:`visible_records` (or
:func:`detail_level` for one record). The rule is written once, as database conditions, so a list
and a single read can never disagree.

who                    own country's records          other countries' records
                                                      (status SHARED, never nominal)
data-entry officer     FULL: own unit, any status     -
national focal point   FULL: every status but DRAFT   NON_NOMINAL if BILATERAL naming their
                                                      country, or REGIONAL_CONTRIBUTORS and
                                                      their country contributes (give to get)
national analyst       FULL: approved or shared       as the focal point
regional analyst (hub) -                              NON_NOMINAL if REGIONAL_CONTRIBUTORS
administrator          -                              -
anybody, the public    AGGREGATE_ONLY of PUBLIC_AGGREGATES_ONLY records, any country

Deleted records are seen by nobody (a focal point finds their own to restore them with the
MANAGE purpose). Persons and objects (the nominal layer) never leave their country.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from crossings.standard.model import load_standard
from crossings.web.accounts.models import Membership, Role, SharingScope
from crossings.web.accounts.roles import membership_of
from crossings.web.reporting.models import Record, Status

ANALYSABLE = (Status.APPROVED, Status.SHARED)
NOTHING = Q(pk__in=[])


class Detail(IntEnum):
    """How much of a record a user may see; higher includes lower."""

    NONE = 0
    AGGREGATE_ONLY = 1  # counted in aggregates; never shown as a record
    NON_NOMINAL = 2  # the record without identifying or operationally sensitive fields
    FULL = 3


class Purpose(StrEnum):
    READ = "read"  # record by record: lists, pages, API reads, exports
    ANALYSE = "analyse"  # aggregates: approved or shared records only
    MANAGE = "manage"  # records the user may act on (a focal point also finds deleted ones)


@cache
def nominal_types() -> tuple[str, ...]:
    return tuple(name for name, rt in load_standard().record_types.items() if rt.nominal)


def reciprocity_window() -> dt.timedelta:
    return dt.timedelta(days=round(settings.CROSSINGS_RECIPROCITY_MONTHS * 365.25 / 12))


def contributing_countries(at: dt.datetime | None = None) -> set[int]:
    """Give to get: countries that shared non-nominal records with the region's contributors
    within the reciprocity window (default 12 months) before ``at``, and still share them."""
    since = (at or timezone.now()) - reciprocity_window()
    return set(Record.objects.filter(
        status=Status.SHARED, sharing_scope=SharingScope.REGIONAL_CONTRIBUTORS,
        deleted_at__isnull=True, shared_at__gte=since,
    ).exclude(record_type__in=nominal_types()).values_list("country_id", flat=True).distinct())


def _full(member: Membership | None, *, include_deleted: bool = False) -> Q:
    alive = Q() if include_deleted else Q(deleted_at__isnull=True)
    if member is None:
        return NOTHING
    if member.role == Role.OFFICER:
        return Q(unit_id=member.unit_id) & Q(deleted_at__isnull=True)
    if member.role == Role.FOCAL_POINT:
        return Q(country_id=member.country_id) & ~Q(status=Status.DRAFT) & alive
    if member.role == Role.NATIONAL_ANALYST:
        return Q(country_id=member.country_id, status__in=ANALYSABLE, deleted_at__isnull=True)
    return NOTHING


def _non_nominal(member: Membership | None) -> Q:
    if member is None:
        return NOTHING
    shared = (Q(status=Status.SHARED, deleted_at__isnull=True)
              & ~Q(record_type__in=nominal_types()))
    regional = Q(sharing_scope=SharingScope.REGIONAL_CONTRIBUTORS)
    if member.role == Role.REGIONAL_ANALYST:
        return shared & regional
    if member.role not in (Role.FOCAL_POINT, Role.NATIONAL_ANALYST):
        return NOTHING
    if member.country_id is None:
        return NOTHING
    partner = Q(Exists(Record.partners.through.objects.filter(
        record_id=OuterRef("pk"), country_id=member.country_id)))
    scopes = Q(sharing_scope=SharingScope.BILATERAL) & partner
    if member.country_id in contributing_countries():
        scopes |= regional
    return shared & ~Q(country_id=member.country_id) & scopes


def _aggregate_only() -> Q:
    return (Q(status=Status.SHARED, sharing_scope=SharingScope.PUBLIC_AGGREGATES_ONLY,
              deleted_at__isnull=True) & ~Q(record_type__in=nominal_types()))


def _with_detail(user: Any, *, include_deleted: bool = False) -> QuerySet[Record]:
    member = membership_of(user)
    level = Case(
        When(_full(member, include_deleted=include_deleted), then=Value(Detail.FULL)),
        When(_non_nominal(member), then=Value(Detail.NON_NOMINAL)),
        When(_aggregate_only(), then=Value(Detail.AGGREGATE_ONLY)),
        default=Value(Detail.NONE), output_field=IntegerField())
    return Record.objects.annotate(detail=level)


def visible_records(user: Any, purpose: Purpose = Purpose.READ) -> QuerySet[Record]:
    """The records ``user`` may see for ``purpose``, each annotated with its ``detail`` level."""
    if purpose == Purpose.ANALYSE:
        return _with_detail(user).filter(status__in=ANALYSABLE, deleted_at__isnull=True,
                                         **{"detail__gte": Detail.AGGREGATE_ONLY})
    records = _with_detail(user, include_deleted=purpose == Purpose.MANAGE)
    return records.filter(**{"detail__gte": Detail.NON_NOMINAL})


def detail_level(user: Any, record: Record) -> Detail:
    """How much of this one record ``user`` may see (the same rule as the lists)."""
    found = _with_detail(user).filter(pk=record.pk).first()
    return Detail(getattr(found, "detail", Detail.NONE))


def analysable_records() -> QuerySet[Record]:
    """Every record analytics may use: approved or shared, not withdrawn, not deleted.

    For the analytical store, which applies :func:`visible_records` with Purpose.ANALYSE per
    reader; unapproved data never reaches analytics.
    """
    return Record.objects.filter(status__in=ANALYSABLE, deleted_at__isnull=True)


def present(record: Record, level: Detail) -> dict[str, Any] | None:
    """The record's content as ``level`` allows: all of it, redacted, or nothing."""
    if level == Detail.FULL:
        return dict(record.data)
    if level != Detail.NON_NOMINAL:
        return None
    return redact(record.record_type, record.data)


def redact(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Drop identifying and operationally sensitive fields; coordinates to 0.1° (about 10 km)."""
    standard = load_standard()
    rtype = standard.record_type(record_type)
    clean: dict[str, Any] = {}
    for name, value in data.items():
        fld = rtype.fields.get(name)
        if fld is None or fld.sensitivity in {"NON_SENSITIVE", "QUASI_IDENTIFYING"}:
            clean[name] = value
        elif name in ("latitude", "longitude") and isinstance(value, int | float):
            clean[name] = round(float(value), 1)
    for child_name in standard.children.get(record_type, ()):
        child = standard.record_type(child_name)
        if child.plural in data:
            clean[child.plural] = [redact(child_name, row) for row in data[child.plural]]
    return clean


def visible_audit(user: Any) -> QuerySet[Any]:
    """The audit entries a user may read: a focal point their country's, an administrator all."""
    from crossings.web.audit.models import AuditEntry  # noqa: PLC0415 - audit depends on us

    member = membership_of(user)
    if member is None:
        return AuditEntry.objects.none()
    if member.role == Role.ADMINISTRATOR:
        return AuditEntry.objects.all()
    if member.role == Role.FOCAL_POINT and member.country_id is not None:
        return AuditEntry.objects.filter(country_id=member.country_id)
    return AuditEntry.objects.none()
