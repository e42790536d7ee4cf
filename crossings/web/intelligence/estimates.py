"""Lists for multiple systems estimation, drawn from the record store.

A *list* is a reporting unit within a period: the smuggled migrants (persons with role
SMUGGLED_MIGRANT) in the incidents the unit reported with a detection date in the period.
The same person on several lists is recognised through linkage, in two steps:

1. **Within a country**, by the country's stored linkage (:func:`.actions.link_country`):
   each person record belongs to one identity. A country never linked, or with persons
   added since its last run, is linked first when ``link_missing`` is set; otherwise
   :class:`LinkageMissing` asks the operator to run ``crossings link --from-store``.
2. **Across borders**, without names: each country encodes each of its identities on the
   lists into a keyed Bloom filter (:mod:`crossings.linkage.pprl`, from one representative
   record of the identity) under ``settings.CROSSINGS_PPRL_SECRET``; the hub matches the
   filters of every pair of countries one-to-one by their Dice coefficient and joins the
   matched identities. **Only the encodings cross the border** -- a pseudonym (an HMAC of
   ``country:identity`` under the secret) and the 1,024-bit filter; never a name, a date,
   a document, a phone or a record reference. What comes back to the analyst is the
   capture-history counts, never a person.

Visibility: the lists are the incidents that :func:`visible_records` lets the user
analyse (for the operator, ``user=None``, every analysable record). The persons in them
are read by their own country's node (its analysable records), which is what sends the
encodings; the user is never shown them.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db.models import QuerySet

from crossings.estimation.cli import estimate_frame
from crossings.estimation.estimator import Estimator
from crossings.estimation.lists import COUNT, Membership, capture_histories
from crossings.estimation.report import Section, section
from crossings.linkage.pprl import Encoding, encode, features_of, match_encodings, pseudonym
from crossings.linkage.prepare import PERSON_COLUMNS, prepare_persons
from crossings.web.accounts.models import Unit
from crossings.web.intelligence.actions import link_country, person_row
from crossings.web.intelligence.models import IdentityMember, Kind, LinkageRun
from crossings.web.reporting.models import Record
from crossings.web.reporting.visibility import Purpose, analysable_records, visible_records

STRATA = ("citizenship", "sex")
MIGRANT = "SMUGGLED_MIGRANT"
MATCH_THRESHOLD = 0.8
"""Dice coefficient at or above which two countries' encodings are taken as one person."""
WEB_BOOTSTRAP = 500
"""Bootstrap resamples for estimates made on the web page (the CLI default is 1,000)."""


class EstimateInputError(ValueError):
    """The lists cannot be drawn as asked (unknown unit, bad period, too few lists)."""


class LinkageMissing(EstimateInputError):
    """A country's persons are not (all) linked yet; names the countries."""

    def __init__(self, countries: Sequence[str]) -> None:
        self.countries = tuple(countries)
        runs = "; ".join(f"crossings link --from-store --country {c}" for c in countries)
        super().__init__(f"linkage has not been run on the current persons of "
                         f"{', '.join(countries)}: run {runs}")


@dataclass(frozen=True)
class Period:
    """A half-open range of dates ``[start, end)`` with its label (``2025-H1``)."""

    label: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day < self.end


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(H[12])|(Q[1-4])|(0[1-9]|1[0-2])))?$")


def parse_period(text: str) -> Period:
    """A year ``2025``, a half ``2025-H1``, a quarter ``2025-Q3`` or a month ``2025-03``."""
    found = _PERIOD.match(text.strip().upper())
    if found is None:
        raise EstimateInputError(f"period {text!r}: use a year (2025), a half (2025-H1), "
                                 "a quarter (2025-Q3) or a month (2025-03)")
    year, half, quarter, month = found.groups()
    first, months = 1, 12
    if half:
        first, months = 1 + 6 * (int(half[1]) - 1), 6
    elif quarter:
        first, months = 1 + 3 * (int(quarter[1]) - 1), 3
    elif month:
        first, months = int(month), 1
    start = dt.date(int(year), first, 1)
    last = first + months - 1
    end = dt.date(int(year), last, calendar.monthrange(int(year), last)[1]) + dt.timedelta(1)
    return Period(found.group(0), start, end)


@dataclass
class StoreLists:
    """Memberships drawn from the store, and an account of how they were drawn.

    Attributes:
        lists: Unit codes, in the order asked (the capture-history columns).
        period: The period.
        by: Stratum name, if any.
        memberships: ``(unit, cross-border identity, stratum)`` rows.
        records: Person records found on each list.
        identities: Identities per country (within-country linkage) on the lists.
        encodings: Encodings each country sent to the hub.
        matches: Identity pairs the hub matched, per pair of countries (``KHM-THA``).
        linked: Countries linked now because no current run existed.
    """

    lists: tuple[str, ...]
    period: Period
    by: str | None
    memberships: list[Membership] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)
    identities: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, int] = field(default_factory=dict)
    matches: dict[str, int] = field(default_factory=dict)
    linked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready account (counts only: nothing here identifies a person)."""
        return {"lists": list(self.lists), "period": self.period.label, "by": self.by,
                "records": self.records, "identities": self.identities,
                "encodings_sent": self.encodings, "cross_border_matches": self.matches,
                "linked_now": self.linked, "people_observed": len({m.identity for m in
                                                                   self.memberships})}


@dataclass(frozen=True)
class _Person:
    list_id: str
    record: Record
    stratum: str | None


def lists_from_store(units: Sequence[str], period: str, *, by: str | None = None,
                     user: Any = None, link_missing: bool = True) -> StoreLists:
    """The memberships of the persons on each unit's list in the period, by linked identity.

    Args:
        units: Unit codes, one list each (at least two).
        period: ``2025``, ``2025-H1``, ``2025-Q3`` or ``2025-03``.
        by: ``citizenship`` (the person's nationality, else their migrant group's
            citizenship) or ``sex``; None for no strata.
        user: Whose visibility rule picks the incidents; None: the operator (all
            analysable records).
        link_missing: Link a country whose persons have no current linkage run; else
            raise :class:`LinkageMissing`.

    Raises:
        EstimateInputError: Unknown units, fewer than two, a bad period or stratum.
        LinkageMissing: A country needs linking and ``link_missing`` is False.
    """
    codes = _units(units)
    if by is not None and by not in STRATA:
        raise EstimateInputError(f"--by {by!r}: choose one of {', '.join(STRATA)}")
    out = StoreLists(codes, parse_period(period), by)
    persons = _persons(codes, out.period, by, user)
    out.records = {code: sum(p.list_id == code for p in persons) for code in codes}
    by_country: dict[str, list[_Person]] = defaultdict(list)
    for person in persons:
        by_country[person.record.country.code].append(person)
    out.linked = _ensure_linked(sorted(by_country), by_country, link_missing)
    local = {c: _identities(people) for c, people in by_country.items()}
    out.identities = {c: len(set(ids.values())) for c, ids in local.items()}
    joined = _cross_border(by_country, local, out)
    out.memberships = [Membership(p.list_id, joined[_node(p, local)], p.stratum)
                       for p in persons]
    return out


def _units(units: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(u.strip().upper() for u in units if u.strip()))
    if len(codes) < 2:
        raise EstimateInputError("at least 2 lists (unit codes) are needed")
    known = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise EstimateInputError(f"unknown unit {', '.join(unknown)}: see `crossings units`")
    return codes


def _incidents(user: Any) -> QuerySet[Record]:
    records = analysable_records() if user is None else visible_records(user, Purpose.ANALYSE)
    return records.filter(record_type="incident")


def _persons(codes: tuple[str, ...], period: Period, by: str | None, user: Any) -> list[_Person]:
    """Smuggled migrants in the units' incidents in the period (each country's own store)."""
    incidents = _incidents(user).filter(unit__code__in=codes, event_date__gte=period.start,
                                        event_date__lt=period.end).select_related("unit")
    listed = {(i.country_id, i.reference): i for i in incidents}
    refs: dict[int, set[str]] = defaultdict(set)
    for country_id, reference in listed:
        refs[country_id].add(reference)
    found = []
    for country_id, references in sorted(refs.items()):
        people = analysable_records().filter(
            record_type="person", country_id=country_id, incident_reference__in=references,
            data__role=MIGRANT).select_related("country", "unit").order_by("reference")
        for record in people:
            incident = listed[(country_id, record.incident_reference)]
            found.append(_Person(incident.unit.code, record, _stratum(by, record, incident)))
    return found


def _stratum(by: str | None, person: Record, incident: Record) -> str | None:
    if by == "sex":
        return _text(person.data.get("sex"))
    if by == "citizenship":
        groups = {_text(g.get("citizenship")) for g in incident.data.get("migrant_groups", [])}
        group = next(iter(groups)) if len(groups) == 1 else None
        return _text(person.data.get("nationality")) or group
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value in (None, "") else str(value)


def _ensure_linked(countries: list[str], by_country: dict[str, list[_Person]],
                   link_missing: bool) -> list[str]:
    """Countries whose listed persons lack an identity get linked now (or are named)."""
    stale = []
    for code in countries:
        ids = [p.record.pk for p in by_country[code]]
        has_run = LinkageRun.objects.filter(country__code=code).exists()
        members = IdentityMember.objects.filter(record_id__in=ids,
                                                identity__kind=Kind.PERSON).count()
        if not has_run or members < len(set(ids)):
            stale.append(code)
    if stale and not link_missing:
        raise LinkageMissing(stale)
    for code in stale:
        link_country(code)
    return stale


def _identities(people: list[_Person]) -> dict[int, str]:
    """Record pk -> the country's identity id."""
    rows = IdentityMember.objects.filter(
        record_id__in=[p.record.pk for p in people], identity__kind=Kind.PERSON,
    ).values_list("record_id", "identity__identity_id")
    return dict(rows)


def _node(person: _Person, local: dict[str, dict[int, str]]) -> str:
    code = person.record.country.code
    return f"{code}:{local[code][person.record.pk]}"


def _cross_border(by_country: dict[str, list[_Person]], local: dict[str, dict[int, str]],
                  out: StoreLists) -> dict[str, str]:
    """Each country's identities joined across borders through matched PPRL encodings."""
    secret = settings.CROSSINGS_PPRL_SECRET.encode()
    sent: dict[str, list[Encoding]] = {}
    back: dict[str, str] = {}  # pseudonym -> node: each country keeps its own, never sent
    for country, people in by_country.items():
        sent[country], mine = _encode(country, people, local[country], secret)
        back |= mine
    out.encodings = {c: len(e) for c, e in sent.items()}
    parent = {node: node for c in local for node in (f"{c}:{i}" for i in local[c].values())}
    countries = sorted(sent)
    for a_index, a in enumerate(countries):
        for b in countries[a_index + 1:]:
            pairs = match_encodings(sent[a], sent[b], threshold=MATCH_THRESHOLD)  # the hub
            out.matches[f"{a}-{b}"] = len(pairs)
            for left, right, _ in pairs:
                _join(parent, back[left], back[right])
    return {node: _root(parent, node) for node in parent}


def _encode(country: str, people: list[_Person], identity_of: dict[int, str],
            secret: bytes) -> tuple[list[Encoding], dict[str, str]]:
    """One encoding per identity, from its most informative record (done in ``country``).

    Returns the encodings (what is sent) and the country's own map from pseudonym back to
    its identity (what stays).
    """
    best: dict[str, Record] = {}
    for person in people:
        identity = identity_of[person.record.pk]
        if identity not in best or _richness(person.record) > _richness(best[identity]):
            best[identity] = person.record
    chosen = sorted(best.items())
    rows = [person_row(r) for _, r in chosen]
    prepared = prepare_persons(pa.table({c: pa.array([r.get(c) for r in rows], pa.string())
                                         for c in (*PERSON_COLUMNS, "aliases")}))
    nodes = [f"{country}:{identity}" for identity, _ in chosen]
    features = [dataclasses.replace(f, record_id=node)
                for node, f in zip(nodes, features_of(prepared), strict=True)]
    return encode(features, secret), {pseudonym(node, secret): node for node in nodes}


def _richness(record: Record) -> tuple[int, int, str]:
    """More of the birth date, then a longer name; the reference breaks ties."""
    birth = str(record.data.get("birth_date") or "")
    return (len(birth), len(str(record.data.get("full_name") or "")), record.reference)


def _join(parent: dict[str, str], a: str, b: str) -> None:
    ra, rb = _root(parent, a), _root(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _root(parent: dict[str, str], node: str) -> str:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


@dataclass(frozen=True)
class EstimateOutcome:
    """An estimate from the store: the report section and how its lists were drawn."""

    section: Section
    account: dict[str, Any]


def run_estimate(user: Any, units: Sequence[str], period: str, *, by: str | None = None,
                 method: str = "stepwise", bootstrap: int = WEB_BOOTSTRAP,
                 seed: int = 1234) -> EstimateOutcome:
    """Draw the lists the user may analyse, estimate, and build the report section.

    Linkage is not started from here (it can take minutes): a country without a current
    run raises :class:`LinkageMissing`.

    Raises:
        EstimateInputError: The lists cannot be drawn, or the table they give is unusable.
    """
    drawn = lists_from_store(units, period, by=by, user=user, link_missing=False)
    letters = {code: chr(ord("A") + j) for j, code in enumerate(drawn.lists)}  # short names
    short = [Membership(letters[m.list_id], m.identity, m.stratum) for m in drawn.memberships]
    try:
        frame = capture_histories(short, list(letters.values()), by=by, source="the lists")
        results = estimate_frame(frame, Estimator(method=method, bootstrap=bootstrap,
                                                  seed=seed), by, COUNT)
    except ValueError as exc:  # TableError too: an empty list, too few people
        raise EstimateInputError(str(exc)) from exc
    names = dict(Unit.objects.filter(code__in=drawn.lists).values_list("code", "name"))
    title = f"Smuggled migrants on {len(drawn.lists)} lists, {drawn.period.label}: how many?"
    subtitle = "Lists: " + "; ".join(f"{letters[c]} = {c} ({names.get(c, c)})"
                                     for c in drawn.lists)
    return EstimateOutcome(section(results, title, subtitle), drawn.to_dict())
