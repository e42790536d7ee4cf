"""Keeping the analytical store in step with the record store.

Call :func:`refresh_analytics` after an action that changes whether or what a record
contributes (approve, share, revise, withdraw, delete, restore), ideally from
``transaction.on_commit``: analysable records are upserted (skipped if their version is already
stored), the others are removed. :func:`sync_analytics` does the same for every record by
comparing versions (for a periodic job or after bulk changes); :func:`rebuild_analytics` starts
from scratch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from crossings.analysis.store import AnalyticsStore, RefreshResult
from crossings.web.dashboards.source import (
    analysable_records,
    as_source,
    is_analysable,
    source_records,
)
from crossings.web.reporting.models import Record

logger = logging.getLogger(__name__)
STORE_NAME = "analytics.duckdb"
IN_CHUNK = 500  # SQLite limits the parameters of one query


def store_path() -> Path:
    """The analytical store's file, beside the record store under the var directory."""
    return Path(settings.VAR_DIR) / STORE_NAME


def analytics_store() -> AnalyticsStore:
    """The node's analytical store."""
    return AnalyticsStore(store_path())


def current_store(store: AnalyticsStore | None = None) -> AnalyticsStore:
    """The store, rebuilt first if it was written with other columns (an upgrade)."""
    store = store or analytics_store()
    if store.stale():
        logger.warning("the analytical store has an old schema; rebuilding it")
        rebuild_analytics(store)
    return store


def refresh_analytics(records: Iterable[Record],
                      store: AnalyticsStore | None = None) -> RefreshResult:
    """Bring these records' rows up to date: upsert the analysable ones, remove the others."""
    records = list(records)
    keep = [r for r in records if is_analysable(r)]
    gone = [r.uid for r in records if not is_analysable(r)]
    return current_store(store).refresh(as_source(keep), removed=gone)


def rebuild_analytics(store: AnalyticsStore | None = None) -> int:
    """Rebuild the store from every analysable record; returns how many went in."""
    return (store or analytics_store()).rebuild(source_records(analysable_records()))


def sync_analytics(store: AnalyticsStore | None = None) -> RefreshResult:
    """Compare versions with the record store and apply the differences."""
    store = current_store(store)
    wanted = {str(uid): version for uid, version in
              analysable_records().values_list("uid", "version").iterator(chunk_size=10000)}
    stored = {row[0]: int(row[1]) for row in store.query(
        "SELECT CAST(uid AS VARCHAR), version FROM incidents UNION ALL "
        "SELECT CAST(uid AS VARCHAR), version FROM aggregate_returns").itertuples(index=False)}
    changed = [uid for uid, version in wanted.items() if stored.get(uid) != version]
    gone = [uid for uid in stored if uid not in wanted]
    fresh = (record for start in range(0, len(changed), IN_CHUNK)
             for record in source_records(
                 analysable_records().filter(uid__in=changed[start:start + IN_CHUNK])))
    return store.refresh(fresh, removed=gone)


def refresh_after_commit(records: Iterable[Record]) -> None:
    """Refresh these records' analytics once the current transaction commits.

    Called by every action that changes what a record contributes (approve, share, revoke,
    edit, withdraw, delete, restore, a revising import). A failure here never undoes the action:
    it is logged, and ``crossings analytics sync`` catches up.
    """
    changed = list(records)
    if not changed:
        return

    def refresh() -> None:
        try:
            refresh_analytics(changed)
        except Exception:  # the store must never block the record workflow
            logger.exception("analytics refresh failed; run `crossings analytics sync`")

    transaction.on_commit(refresh)
