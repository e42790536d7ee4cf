"""Browser tests: Debian's Chromium, headless, driven by Playwright against the live server.

No `playwright install`: the system's /usr/bin/chromium is launched (``.ci/run`` installs it).
Playwright's sync API runs an event loop in the test's thread, so Django is told that its ORM
may be used from there (DJANGO_ALLOW_ASYNC_UNSAFE), as pytest-django's live server needs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CROSSINGS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not shutil.which(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (.ci/run "
                                                        "installs it)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture
def demo(transactional_db: None) -> Iterator[None]:
    """The organisations and demo users, committed so that the live server sees them."""
    from crossings.web.accounts.seed import seed_organisations
    from crossings.web.setup import create_demo_users

    seed_organisations()
    create_demo_users()
    yield
