"""Identities found by linkage, per country, and reviewers' decisions on pairs.

Linkage runs replace a country's identities wholesale; identity ids are stable across runs
(see :mod:`crossings.linkage.cluster`), so a network or an estimate that refers to an identity
keeps referring to the same person. Decisions outlive runs: every run respects them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crossings.linkage.cluster import Decision
from crossings.web.accounts.models import Country
from crossings.web.reporting.models import Record


class Kind(models.TextChoices):
    PERSON = "person", "Person"
    OBJECT = "object", "Object"


class LinkageModel(models.Model):
    """A trained person model of one country: settings and parameters, numbered versions."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    trained_at = models.DateTimeField(auto_now_add=True)
    model = models.JSONField(help_text="PersonModel.to_dict(): settings and parameters")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "version"],
                                               name="one_model_version_per_country")]

    def __str__(self) -> str:
        return f"{self.country_id} model v{self.version}"


class LinkageRun(models.Model):
    """One run of linkage over a country's store, with the pairs it left for review."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(LinkageModel, null=True, on_delete=models.SET_NULL,
                              related_name="runs")
    finished_at = models.DateTimeField(auto_now_add=True)
    persons = models.PositiveIntegerField(default=0)
    person_identities = models.PositiveIntegerField(default=0)
    object_records = models.PositiveIntegerField(default=0)
    object_identities = models.PositiveIntegerField(default=0)
    review = models.JSONField(default=list, help_text="ReviewItem.to_dict() of each pair")

    def __str__(self) -> str:
        return f"{self.country_id} run {self.finished_at:%Y-%m-%d %H:%M}"


class Identity(models.Model):
    """One person or object as linkage sees it across a country's records."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    identity_id = models.CharField(max_length=32)
    size = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [models.UniqueConstraint(fields=["country", "kind", "identity_id"],
                                               name="one_identity_per_id")]

    def __str__(self) -> str:
        return f"{self.country_id} {self.kind} {self.identity_id}"


class IdentityMember(models.Model):
    """A record's membership of an identity, with the confidence of that membership."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="members")
    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="identity")
    confidence = models.FloatField(default=1.0)

    def __str__(self) -> str:
        return f"{self.record_id} in {self.identity_id}"


class ReviewDecision(models.Model):
    """A reviewer's decision on a pair of person records; later runs respect it."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    left = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=12, choices=[(d.value, d.value) for d in Decision])
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"],
                                               name="one_decision_per_pair")]

    def __str__(self) -> str:
        return f"{self.left_id}-{self.right_id}: {self.decision}"
