"""Who reviews linkage, which persons they may see, and how a person is shown to them.

Linkage reviewers are the national focal point and the national analysts of a country: the
people who see its nominal layer at full detail (see
:mod:`crossings.web.reporting.visibility`). Officers, regional analysts and administrators never
review, and nobody reviews another country's persons. A reviewer sees a person only when the one
visibility rule gives them the record at FULL detail, so an analyst does not see persons that are
not approved yet, and a focal point does not see drafts; every person shown is written to the
audit log as a view of nominal data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crossings.linkage.dates import BadDate, Precision, parse_birth
from crossings.standard.model import load_standard
from crossings.web.accounts.models import Country, Role
from crossings.web.accounts.roles import membership_of
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action
from crossings.web.errors import Forbidden, NotFound
from crossings.web.forms.i18n import code_label
from crossings.web.reporting.models import Record
from crossings.web.reporting.visibility import Detail, visible_records

REVIEWERS = (Role.FOCAL_POINT, Role.NATIONAL_ANALYST)
#: Who may re-run linkage over the whole country (it replaces every identity).
RUNNERS = (Role.FOCAL_POINT,)


def reviewer_country(user: Any, roles: Iterable[str] = REVIEWERS) -> Country:
    """The country whose linkage ``user`` reviews (in one of ``roles``); Forbidden otherwise."""
    member = membership_of(user)
    roles = tuple(roles)
    if member is None or member.role not in roles or member.country is None:
        raise Forbidden(_("Only the national focal point re-runs linkage.") if roles == RUNNERS
                        else _("Linkage review is for the national focal point and the "
                               "national analysts of a country."))
    return member.country


def visible_persons(user: Any, country: Country) -> QuerySet[Record]:
    """The country's live persons that ``user`` sees at full detail."""
    return (visible_records(user).filter(country=country, record_type="person",
                                         deleted_at__isnull=True, **{"detail": Detail.FULL})
            .select_related("unit"))


def find_person(user: Any, country: Country, uid: str) -> Record:
    """One person the reviewer may see; NotFound for anything else (same answer on purpose)."""
    try:
        key = uuid.UUID(str(uid))
    except ValueError:
        raise NotFound(_("No such person.")) from None
    found = visible_persons(user, country).filter(uid=key).first()
    if found is None:
        raise NotFound(_("No such person."))
    return found


@dataclass(frozen=True)
class PersonCard:
    """A person record as a reviewer reads it, every value already in words."""

    record: Record
    name: str
    name_original: str
    aliases: tuple[str, ...]
    birth: str
    birth_precision: str
    sex: str
    nationality: str
    role: str
    phones: tuple[str, ...]
    documents: tuple[str, ...]

    @property
    def incident(self) -> str:
        return self.record.incident_reference

    @property
    def unit(self) -> str:
        return self.record.unit.code


def _texts(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    return tuple(str(v) for v in value if v not in (None, "")) if isinstance(
        value, list) else (str(value),)


def _code(field: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    codelist = load_standard().record_type("person").fields[field].codelist
    return code_label(codelist, str(value)) if codelist else str(value)


PRECISION = {Precision.DAY: "day known", Precision.MONTH: "month known",
             Precision.YEAR: "year only"}


def birth_text(record: Record) -> tuple[str, str]:
    """The date of birth as reported and how precise it is (or the year an age implies)."""
    data = record.data
    raw = str(data.get("birth_date") or "").strip()
    if raw:
        try:
            parsed = parse_birth(raw)
        except BadDate:
            return raw, _("unreadable")
        if parsed is not None:
            return parsed.iso(), _(PRECISION.get(parsed.precision, "year only"))
    age = data.get("age_at_detection")
    if age in (None, ""):
        return "", ""
    on = record.event_date or record.created_at.date()
    return (f"{on.year - int(age)}",
            _("about: aged %(age)s at detection") % {"age": age})


def person_card(record: Record) -> PersonCard:
    """Everything a reviewer compares, from one stored person."""
    data = record.data
    document = " ".join(t for t in (_code("document_type", data.get("document_type")),
                                    str(data.get("document_number") or "")) if t)
    birth, precision = birth_text(record)
    return PersonCard(
        record=record, name=str(data.get("full_name") or ""),
        name_original=str(data.get("full_name_original") or ""),
        aliases=_texts(data.get("aliases")), birth=birth, birth_precision=precision,
        sex=_code("sex", data.get("sex")), nationality=_code("nationality",
                                                             data.get("nationality")),
        role=_code("role", data.get("role")), phones=_texts(data.get("phones")),
        documents=(document,) if data.get("document_number") else ())


def audit_shown(user: Any, records: Iterable[Record], via: str) -> None:
    """One VIEW_NOMINAL entry per person shown (each once), as the record pages do."""
    unique = {r.pk: r for r in records}
    with transaction.atomic():
        for record in unique.values():
            audit(Action.VIEW_NOMINAL, user=user, record=record, details={"via": via})
