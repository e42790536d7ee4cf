"""Shared fixtures: the store is seeded once per session with the demo organisations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import factories


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that touch the store get the `store` mark, so they also run on PostgreSQL."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(fixtures):
            item.add_marker(pytest.mark.store)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None,
                    django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    from crossings.web.accounts.seed import seed_organisations

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        seed_organisations()
    yield


@pytest.fixture
def incident_files(tmp_path: Path) -> list[Path]:
    return factories.incident_files(tmp_path)
