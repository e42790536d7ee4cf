"""Writing and checking the audit log. Actions call :func:`audit` inside their transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from crossings.web.audit.models import GENESIS, Action, AuditEntry

if TYPE_CHECKING:
    from crossings.web.accounts.models import Country
    from crossings.web.reporting.models import Record

#: Any constant: the PostgreSQL advisory lock that serialises writers of the chain.
CHAIN_LOCK = 7_406_271


def audit(action: Action | str, *, user: AbstractBaseUser | AnonymousUser | None = None,
          username: str = "", country: Country | None = None, record: Record | None = None,
          details: dict[str, Any] | None = None, request: HttpRequest | None = None
          ) -> AuditEntry:
    """Append one entry to the chain. Runs in the caller's transaction, so the entry exists
    exactly when the change it describes does."""
    actor: Any = user if user is not None and user.is_authenticated else None
    if record is not None and country is None:
        country = record.country
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        entry = AuditEntry(
            seq=seq, at=timezone.now(), actor=actor,
            username=(actor.get_username() if actor else username)[:150],
            action=str(action), country=country, record=record,
            reference=(record.reference if record is not None else "")[:100],
            details=details or {}, ip=client_ip(request), prev_hash=prev_hash)
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address (a proxy in front is expected to be the only peer in production)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@dataclass
class Verification:
    """The result of checking the chain: how many entries, and the first broken one."""

    entries: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain() -> Verification:
    """Walk the chain from the first entry; stop at the first entry that does not fit."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            return Verification(count, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return Verification(count, entry.seq, "it does not follow the entry before it")
        if entry.compute_hash() != entry.hash:
            return Verification(count, entry.seq, "its content was changed after it was written")
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return Verification(count)
