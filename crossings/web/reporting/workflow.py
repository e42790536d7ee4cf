"""The reporting workflow: draft → submitted → approved → shared, with return and withdraw.

Each action checks the user's permission, owns its transaction, writes a RecordVersion and an
audit entry. ``user=None`` means the node's operator acting through the CLI (as for imports).

    DRAFT ──submit──► SUBMITTED ──approve──► APPROVED ◄──revoke── SHARED
      ▲                 │  ▲                    └──────share──────►┘
      └─────return──────┘  └── edit of an approved, shared or withdrawn record
    any submitted state ──withdraw──► WITHDRAWN
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from crossings.standard.model import VERSION, load_standard
from crossings.standard.problems import problem
from crossings.standard.validate import validate_record
from crossings.web.accounts.models import (
    Country,
    CountrySharingPolicy,
    Membership,
    Role,
    SharingScope,
    Unit,
)
from crossings.web.accounts.roles import membership_of
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action
from crossings.web.errors import Conflict, Forbidden, Invalid, NotFound, RecordInvalid
from crossings.web.reporting.actions import (
    ImportResult,
    analytics_changed,
    canonical_json,
    content_hash,
    delete_record,
    event_date_of,
    import_files,
    restore_record,
)
from crossings.web.reporting.diff import FieldChange, diff_documents
from crossings.web.reporting.models import Change, Record, RecordVersion, Status
from crossings.web.reporting.visibility import Purpose, nominal_types, visible_records

User = Any  # an authenticated user, or None for the operator (CLI)
REVIEWABLE = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.SHARED)


# ── finding records ──────────────────────────────────────────────────────────────────────────

def find_record(user: User, uid: str | uuid.UUID, purpose: Purpose = Purpose.READ) -> Record:
    """The record with this id if ``user`` may see it; otherwise NotFound, never Forbidden, so
    that another country's records cannot be discovered by guessing ids."""
    try:
        key = uuid.UUID(str(uid))
    except ValueError:
        raise NotFound("There is no such record.") from None
    query = Record.objects if user is None else visible_records(user, purpose)
    found = query.select_related("country", "unit").filter(uid=key).first()
    if found is None:
        raise NotFound("There is no such record.")
    return found


# ── permissions ──────────────────────────────────────────────────────────────────────────────

def _member(user: User) -> Membership | None:
    return None if user is None else membership_of(user)


def _is_focal_point(user: User, country_id: int) -> bool:
    if user is None:
        return True
    member = _member(user)
    return bool(member and member.role == Role.FOCAL_POINT and member.country_id == country_id)


def _may_author(user: User, unit: Unit) -> bool:
    """Officers enter data for their own unit; focal points for any unit of their country."""
    if user is None or _is_focal_point(user, unit.country_id):
        return True
    member = _member(user)
    return bool(member and member.role == Role.OFFICER and member.unit_id == unit.pk)


def _require_focal_point(user: User, record: Record, doing: str) -> None:
    if not _is_focal_point(user, record.country_id):
        raise Forbidden(f"Only the national focal point of {record.country.name} may {doing}.")


def _require_author(user: User, record: Record) -> None:
    if not _may_author(user, record.unit):
        raise Forbidden("Only the reporting unit's officers or the national focal point may "
                        "change this record.")


def _require_status(record: Record, allowed: tuple[str, ...], doing: str) -> None:
    if record.deleted_at is not None:
        raise Conflict("The record is deleted; restore it first.", code="RECORD_DELETED")
    if record.status not in allowed:
        raise Conflict(f"A {record.status.lower()} record cannot be {doing}; it must be "
                       f"{' or '.join(s.lower() for s in allowed)}.", code="WRONG_STATUS")


# ── writing ──────────────────────────────────────────────────────────────────────────────────

def _version(record: Record, user: User, change: str, note: str = "") -> RecordVersion:
    return RecordVersion.objects.create(
        record=record, version=record.version, change=change, data=record.data,
        content_hash=record.content_hash, standard_version=record.standard_version,
        unit=record.unit, user=user, note=note[:500], status=record.status,
        created_at=record.updated_at)


def _transition(record: Record, user: User, *, status: str, change: str, action: Action,
                note: str = "", extra: dict[str, Any] | None = None) -> Record:
    """Move the record to ``status`` as a new version, with its audit entry."""
    before = record.status
    record.status, record.version, record.updated_at = status, record.version + 1, timezone.now()
    record.save()
    _version(record, user, change, note)
    details = {"from": before, "to": status, "version": record.version, **(extra or {})}
    if note:
        details["note"] = note[:500]
    audit(action, user=user, record=record, details=details)
    analytics_changed([record])
    return record


# ── creating and editing ─────────────────────────────────────────────────────────────────────

def _reporting_unit(user: User, record_type: str, data: dict[str, Any],
                    unit_code: str | None) -> Unit:
    member = _member(user)
    code = (data.get("reporting_unit") if record_type == "incident" else None) or unit_code
    if not code and member is not None and member.unit_id:
        code = member.unit.code if member.unit else None
    if not code and member is not None and member.country_id:
        nfp = Unit.objects.filter(country_id=member.country_id, kind="NFP").first()
        code = nfp.code if nfp else None
    unit = Unit.objects.select_related("country").filter(code=str(code or "").upper()).first()
    if unit is None:
        raise RecordInvalid([problem("UNIT_NOT_FOUND", field="reporting_unit",
                                     value=code or "")])
    if not _may_author(user, unit):
        raise Forbidden(f"You may not report for unit {unit.code}.")
    return unit


def _validated(record_type: str, data: dict[str, Any], country: Country) -> dict[str, Any]:
    if record_type not in load_standard().record_types or load_standard().record_type(
            record_type).parent:
        raise Invalid(f"'{record_type}' is not a kind of top-level record.",
                      code="UNKNOWN_RECORD_TYPE")
    clean, problems = validate_record(record_type, data)
    incident = clean.get("incident_ref")
    if record_type in nominal_types() and incident and not Record.objects.filter(
            country=country, record_type="incident", reference=incident,
            deleted_at__isnull=True).exists():
        problems.append(problem("INCIDENT_NOT_FOUND", field="incident_ref", value=incident))
    if problems:
        raise RecordInvalid(problems)
    return clean


@transaction.atomic
def create_record(user: User, record_type: str, data: dict[str, Any], *,
                  unit_code: str | None = None, submit: bool = False) -> Record:
    """A new record from the web form or the API: a draft, or submitted at once."""
    unit = _reporting_unit(user, record_type, data, unit_code)
    clean = _validated(record_type, data, unit.country)
    reference = str(clean[load_standard().record_type(record_type).key[0]])
    if Record.objects.filter(country=unit.country, record_type=record_type,
                             reference=reference).exists():
        raise Conflict(f"{unit.country.code} already has a {record_type} {reference}; edit it "
                       "instead.", code="DUPLICATE_REFERENCE")
    now = timezone.now()
    text = canonical_json(clean)
    record = Record.objects.create(
        record_type=record_type, country=unit.country, unit=unit, reference=reference,
        incident_reference=str(clean.get("incident_ref", "")) if record_type != "incident"
        else "", event_date=event_date_of(clean), data=clean, content_hash=content_hash(text),
        standard_version=VERSION, status=Status.SUBMITTED if submit else Status.DRAFT,
        created_at=now, updated_at=now)
    _version(record, user, Change.CREATED)
    audit(Action.CREATE, user=user, record=record,
          details={"status": record.status, "unit": unit.code})
    return record


@transaction.atomic
def edit_record(user: User, record: Record, data: dict[str, Any], *, note: str = "") -> Record:
    """New content as a new version. An approved or shared record goes back to SUBMITTED: it
    leaves sharing and analytics until the focal point approves it again."""
    record = Record.objects.select_for_update().select_related("country", "unit").get(
        pk=record.pk)
    _require_author(user, record)
    if record.deleted_at is not None:
        raise Conflict("The record is deleted; restore it first.", code="RECORD_DELETED")
    clean = _validated(record.record_type, data, record.country)
    key = load_standard().record_type(record.record_type).key[0]
    if str(clean.get(key)) != record.reference:
        raise Invalid(f"The reference cannot change (it is {record.reference}).",
                      code="REFERENCE_CHANGED",
                      details=[{"field": key, "message": "The reference cannot change."}])
    text = canonical_json(clean)
    digest = content_hash(text)
    if digest == record.content_hash:
        return record
    changes = diff_documents(record.data, clean)
    before = record.status
    if before in (Status.APPROVED, Status.SHARED, Status.WITHDRAWN):
        record.status = Status.SUBMITTED
    record.data, record.content_hash, record.event_date = clean, digest, event_date_of(clean)
    record.standard_version, record.version = VERSION, record.version + 1
    record.updated_at = timezone.now()
    record.save()
    _version(record, user, Change.REVISED, note)
    audit(Action.EDIT, user=user, record=record, details={
        "from": before, "to": record.status, "version": record.version,
        "fields": sorted({c.path for c in changes})[:50], "note": note[:500]})
    analytics_changed([record])
    return record


# ── the workflow ─────────────────────────────────────────────────────────────────────────────

def _locked(record: Record) -> Record:
    return Record.objects.select_for_update().select_related("country", "unit").get(
        pk=record.pk)


@transaction.atomic
def submit_record(user: User, record: Record) -> Record:
    record = _locked(record)
    _require_author(user, record)
    _require_status(record, (Status.DRAFT, Status.RETURNED), "submitted")
    return _transition(record, user, status=Status.SUBMITTED, change=Change.SUBMITTED,
                       action=Action.SUBMIT)


@transaction.atomic
def return_record(user: User, record: Record, comment: str) -> Record:
    """Back to the reporting unit, with the focal point's comment on what to fix."""
    record = _locked(record)
    _require_focal_point(user, record, "return records")
    _require_status(record, (Status.SUBMITTED,), "returned")
    if not comment.strip():
        raise Invalid("Say what needs fixing: a comment is required.", code="COMMENT_REQUIRED",
                      details=[{"field": "comment", "message": "required"}])
    return _transition(record, user, status=Status.RETURNED, change=Change.RETURNED,
                       action=Action.RETURN, note=comment)


@transaction.atomic
def approve_record(user: User, record: Record) -> Record:
    """Approve: the record may now reach analytics. On its first approval it takes the country's
    default sharing scope; later approvals (after an edit) keep the scope it had."""
    record = _locked(record)
    _require_focal_point(user, record, "approve records")
    _require_status(record, (Status.SUBMITTED,), "approved")
    now = timezone.now()
    if record.approved_at is None:
        _apply_default_scope(record, now)
    record.approved_at = now
    if record.sharing_scope != SharingScope.NATIONAL_ONLY:
        record.shared_at = now
    status = Status.APPROVED if record.sharing_scope == SharingScope.NATIONAL_ONLY \
        else Status.SHARED
    return _transition(record, user, status=status, change=Change.APPROVED,
                       action=Action.APPROVE, extra={"scope": record.sharing_scope})


def _apply_default_scope(record: Record, now: Any) -> None:
    policy = CountrySharingPolicy.objects.filter(country_id=record.country_id).first()
    if policy is None or record.record_type in nominal_types():
        return
    record.sharing_scope = policy.default_scope
    if policy.default_scope == SharingScope.BILATERAL:
        record.save(update_fields=["sharing_scope"])
        record.partners.set(policy.default_partners.all())


def _check_scope(record: Record, scope: str, partners: list[Country]) -> None:
    if scope not in SharingScope.values:
        raise Invalid(f"'{scope}' is not a sharing scope.", code="UNKNOWN_SCOPE",
                      details=[{"field": "scope", "message": f"one of {SharingScope.values}"}])
    if record.record_type in nominal_types() and scope != SharingScope.NATIONAL_ONLY:
        raise Invalid("Persons and objects (the nominal layer) never leave their country.",
                      code="NOMINAL_STAYS_NATIONAL")
    if scope == SharingScope.BILATERAL and not partners:
        raise Invalid("Name at least one partner country.", code="PARTNERS_REQUIRED",
                      details=[{"field": "partners", "message": "required"}])
    if any(p.pk == record.country_id for p in partners):
        raise Invalid("A country is not its own partner.", code="PARTNER_IS_OWNER",
                      details=[{"field": "partners", "message": "remove the own country"}])


def _countries(codes: list[str]) -> list[Country]:
    wanted = {c.upper() for c in codes}
    found = list(Country.objects.filter(code__in=wanted))
    unknown = wanted - {c.code for c in found}
    if unknown:
        raise Invalid(f"Unknown countries: {', '.join(sorted(unknown))}.",
                      code="UNKNOWN_COUNTRY",
                      details=[{"field": "partners", "message": f"unknown: {c}"}
                               for c in sorted(unknown)])
    return found


@transaction.atomic
def share_record(user: User, record: Record, scope: str,
                 partners: list[str] | None = None) -> Record:
    """Set who beyond the country may see an approved record (NATIONAL_ONLY un-shares it)."""
    record = _locked(record)
    _require_focal_point(user, record, "share records")
    _require_status(record, (Status.APPROVED, Status.SHARED), "shared")
    countries = _countries(partners or []) if scope == SharingScope.BILATERAL else []
    _check_scope(record, scope, countries)
    if scope == SharingScope.NATIONAL_ONLY:
        return _revoke(record, user, "scope set to national only")
    record.sharing_scope, record.shared_at = scope, timezone.now()
    record.partners.set(countries)
    return _transition(record, user, status=Status.SHARED, change=Change.SHARED,
                       action=Action.SHARE, extra={"scope": scope,
                                                   "partners": sorted(c.code for c in countries)})


@transaction.atomic
def revoke_sharing(user: User, record: Record, reason: str = "") -> Record:
    """Take a shared record back: it becomes national only, at once, for every partner."""
    record = _locked(record)
    _require_focal_point(user, record, "revoke sharing")
    _require_status(record, (Status.SHARED,), "revoked")
    return _revoke(record, user, reason)


def _revoke(record: Record, user: User, reason: str) -> Record:
    before = record.sharing_scope
    record.sharing_scope, record.shared_at = SharingScope.NATIONAL_ONLY, None
    record.partners.clear()
    return _transition(record, user, status=Status.APPROVED, change=Change.REVOKED,
                       action=Action.REVOKE, note=reason, extra={"scope_before": before})


@transaction.atomic
def withdraw_record(user: User, record: Record, reason: str) -> Record:
    """The country withdraws a record: it leaves sharing and analytics; its history stays."""
    record = _locked(record)
    _require_focal_point(user, record, "withdraw records")
    _require_status(record, REVIEWABLE, "withdrawn")
    if not reason.strip():
        raise Invalid("Say why the record is withdrawn.", code="REASON_REQUIRED",
                      details=[{"field": "reason", "message": "required"}])
    return _transition(record, user, status=Status.WITHDRAWN, change=Change.WITHDRAWN,
                       action=Action.WITHDRAW, note=reason)


@transaction.atomic
def approve_records(user: User, records: list[Record]) -> int:
    """Approve many submitted records at once (a focal point's batch, the demo): one version
    per record, one audit entry naming them all."""
    now = timezone.now()
    approved = []
    for record in records:
        _require_focal_point(user, record, "approve records")
        if record.status != Status.SUBMITTED or record.deleted_at is not None:
            continue
        if record.approved_at is None:
            _apply_default_scope(record, now)
        national = record.sharing_scope == SharingScope.NATIONAL_ONLY
        record.status = Status.APPROVED if national else Status.SHARED
        record.approved_at, record.shared_at = now, None if national else now
        record.version, record.updated_at = record.version + 1, now
        approved.append(record)
    Record.objects.bulk_update(approved, ["status", "approved_at", "shared_at", "version",
                                          "updated_at", "sharing_scope"], batch_size=500)
    RecordVersion.objects.bulk_create([RecordVersion(
        record=r, version=r.version, change=Change.APPROVED, data=r.data,
        content_hash=r.content_hash, standard_version=r.standard_version, unit_id=r.unit_id,
        user=user, status=r.status, created_at=now) for r in approved], batch_size=500)
    for country_id in sorted({r.country_id for r in approved}):
        mine = [r for r in approved if r.country_id == country_id]
        audit(Action.APPROVE, user=user, country=mine[0].country, details={
            "count": len(mine), "records": [str(r.uid) for r in mine]})
    analytics_changed(approved)
    return len(approved)


def soft_delete(user: User, record: Record, reason: str) -> Record:
    """Delete (softly): the focal point any record, an officer their own drafts."""
    if not (_is_focal_point(user, record.country_id) or (
            record.status == Status.DRAFT and _may_author(user, record.unit))):
        raise Forbidden("Only the national focal point may delete submitted records.")
    if not reason.strip():
        raise Invalid("Say why the record is deleted.", code="REASON_REQUIRED",
                      details=[{"field": "reason", "message": "required"}])
    return delete_record(record, user=user, reason=reason)


def restore(user: User, record: Record, reason: str) -> Record:
    _require_focal_point(user, record, "restore records")
    return restore_record(record, user=user, reason=reason)


# ── uploads and policy ───────────────────────────────────────────────────────────────────────

def upload_files(user: User, paths: list[Path], unit_code: str, *,
                 mapping_path: Path | None = None, dry_run: bool = False) -> ImportResult:
    """A user's upload: officers for their own unit, focal points for their country's units."""
    unit = Unit.objects.filter(code=unit_code.upper()).first()
    if unit is None or not _may_author(user, unit):
        raise NotFound(f"There is no unit {unit_code} you may upload for.", code="UNKNOWN_UNIT")
    return import_files(paths, unit.code, mapping_path=mapping_path, user=user,
                        dry_run=dry_run)


@transaction.atomic
def set_sharing_policy(user: User, country: Country, scope: str,
                       partners: list[str] | None = None) -> CountrySharingPolicy:
    """A country's default scope for newly approved records (its focal point decides)."""
    if not _is_focal_point(user, country.pk):
        raise Forbidden(f"Only the national focal point of {country.name} sets its policy.")
    if scope not in SharingScope.values:
        raise Invalid(f"'{scope}' is not a sharing scope.", code="UNKNOWN_SCOPE")
    countries = _countries(partners or []) if scope == SharingScope.BILATERAL else []
    if scope == SharingScope.BILATERAL and not countries:
        raise Invalid("Name at least one partner country.", code="PARTNERS_REQUIRED")
    if any(c.pk == country.pk for c in countries):
        raise Invalid("A country is not its own partner.", code="PARTNER_IS_OWNER")
    policy, _ = CountrySharingPolicy.objects.update_or_create(
        country=country, defaults={"default_scope": scope})
    policy.default_partners.set(countries)
    audit(Action.POLICY, user=user, country=country,
          details={"scope": scope, "partners": sorted(c.code for c in countries)})
    return policy


# ── history ──────────────────────────────────────────────────────────────────────────────────

def record_changes(record: Record, old_version: int | None = None,
                   new_version: int | None = None) -> list[FieldChange]:
    """What changed between two versions; by default since the last approval (or creation)."""
    versions = record.versions.order_by("version")
    if old_version is None:
        approved = versions.filter(change=Change.APPROVED, version__lt=record.version).last()
        old_version = approved.version if approved else 1
    old = versions.filter(version=old_version).first()
    new = versions.filter(version=new_version or record.version).first()
    if old is None or new is None:
        raise NotFound("There is no such version.")
    return diff_documents(old.data, new.data)
