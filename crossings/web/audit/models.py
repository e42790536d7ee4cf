"""The audit log. Rows are only ever inserted: the model refuses updates and deletes, and on
PostgreSQL a trigger refuses them too (migration 0002). Each entry carries the hash of the entry
before it, so a change made behind the application's back breaks the chain (`crossings audit
verify`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from crossings.web.accounts.models import Country

GENESIS = "0" * 64


class AppendOnly(Exception):
    """Someone tried to change or remove an audit entry."""


class Action(models.TextChoices):
    LOGIN = "LOGIN"
    LOGIN_FAILED = "LOGIN_FAILED"
    SECOND_FACTOR = "SECOND_FACTOR", "second factor passed"
    SECOND_FACTOR_FAILED = "SECOND_FACTOR_FAILED"
    SECOND_FACTOR_ENROLLED = "SECOND_FACTOR_ENROLLED"
    LOGOUT = "LOGOUT"
    CREATE = "CREATE"
    EDIT = "EDIT"
    SUBMIT = "SUBMIT"
    RETURN = "RETURN"
    APPROVE = "APPROVE"
    SHARE = "SHARE"
    REVOKE = "REVOKE"
    WITHDRAW = "WITHDRAW"
    DELETE = "DELETE"
    RESTORE = "RESTORE"
    IMPORT = "IMPORT"
    EXPORT = "EXPORT"
    VIEW_NOMINAL = "VIEW_NOMINAL", "view of nominal data"
    POLICY = "POLICY", "sharing policy changed"
    TOKEN_CREATED = "TOKEN_CREATED"  # noqa: S105 - an action name, not a secret
    TOKEN_REVOKED = "TOKEN_REVOKED"  # noqa: S105 - an action name, not a secret
    LINK_DECISION = "LINK_DECISION", "linkage review decision"
    LINK_SPLIT = "LINK_SPLIT", "record split out of an identity"
    LINK_MERGE = "LINK_MERGE", "identities merged"
    LINK_RUN = "LINK_RUN", "linkage run"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are never updated")

    def delete(self) -> NoReturn:
        raise AppendOnly("audit entries are never deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are never updated")


class AuditEntry(models.Model):
    """One event: who did what to which record of which country, when, from where."""

    seq = models.PositiveBigIntegerField(unique=True, help_text="Position in the chain, from 1")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150, blank=True,
                                help_text="As typed or as it was at the time")
    action = models.CharField(max_length=24, choices=Action.choices, db_index=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    record = models.ForeignKey("reporting.Record", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["country", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit entries are never deleted")

    def canonical(self) -> str:
        """The entry's content as canonical JSON: what its hash covers."""
        content = {"seq": self.seq, "at": self.at.isoformat(), "actor": self.actor_id,
                   "username": self.username, "action": self.action,
                   "country": self.country_id, "record": self.record_id,
                   "reference": self.reference, "details": self.details, "ip": self.ip,
                   "prev_hash": self.prev_hash}
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()
