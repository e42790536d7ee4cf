"""The record store: records as validated documents of the standard, with provenance and history.

A record is one top-level record of the standard (an incident with its nested rows, an aggregate
return, a person or an object). Its current content lives in ``Record.data``; every content it
ever had lives in ``RecordVersion`` (append-only), with the batch, file, row, unit and user that
brought it. Deleting is soft: ``deleted_at`` is set and a version records who and why.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from crossings.standard.model import TOP_LEVEL
from crossings.web.accounts.models import Country, SharingScope, Unit

RECORD_TYPES = [(name, name.replace("_", " ")) for name in TOP_LEVEL]


class Status(models.TextChoices):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    SHARED = "SHARED"
    WITHDRAWN = "WITHDRAWN"


class ImportBatch(models.Model):
    """One upload: files that land together or not at all."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="batches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    revised = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    standard_version = models.CharField(max_length=20)

    class Meta:
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.unit.code}, {self.created_at:%Y-%m-%d %H:%M})"


class SourceFile(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class Record(models.Model):
    """The current state of one top-level record, owned by its country."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_type = models.CharField(max_length=20, choices=RECORD_TYPES)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="records")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="records")
    reference = models.CharField(max_length=64)
    incident_reference = models.CharField(max_length=64, blank=True, db_index=True,
                                          help_text="For persons and objects: their incident")
    event_date = models.DateField(null=True, blank=True, db_index=True,
                                  help_text="First day of the detection date or period")
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    standard_version = models.CharField(max_length=20)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="records")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    sharing_scope = models.CharField(max_length=24, choices=SharingScope.choices,
                                     default=SharingScope.NATIONAL_ONLY,
                                     db_default=SharingScope.NATIONAL_ONLY)
    partners = models.ManyToManyField(Country, blank=True, related_name="partner_records",
                                      help_text="Partner countries of a BILATERAL scope")
    approved_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                     help_text="When last shared beyond its country")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "record_type", "reference"],
                                               name="one_record_per_reference")]
        indexes = [models.Index(fields=["country", "record_type", "event_date"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.country_id}:{self.reference} v{self.version}"


class Change(models.TextChoices):
    CREATED = "CREATED"
    REVISED = "REVISED"
    DELETED = "DELETED"
    RESTORED = "RESTORED"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    SHARED = "SHARED"
    REVOKED = "REVOKED"
    WITHDRAWN = "WITHDRAWN"


class RecordVersion(models.Model):
    """Append-only history: every content a record had, and where it came from."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    change = models.CharField(max_length=10, choices=Change.choices)
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    standard_version = models.CharField(max_length=20)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="versions")
    source_file = models.ForeignKey(SourceFile, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    source_sheet = models.CharField(max_length=200, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, blank=True, db_default="",
                              help_text="The record's status after this change")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "version"],
                                               name="one_row_per_version")]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version} {self.change}"
