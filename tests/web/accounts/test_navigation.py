"""The header links to the pages a role may open, and those pages open."""

from __future__ import annotations

import pytest

from tests.web.conftest import verified_browser

pytestmark = pytest.mark.django_db

LINKS = {"/records/": "Records", "/records/new/": "New incident", "/dashboards/": "Dashboards",
         "/estimates/": "Estimates", "/linkage/review/": "Linkage review", "/audit/": "Audit log"}
EXPECTED = {
    "khm-officer": {"/records/", "/records/new/"},
    "khm-focal": {"/records/", "/records/new/", "/dashboards/", "/linkage/review/", "/audit/"},
    "khm-analyst": {"/records/", "/dashboards/", "/estimates/", "/linkage/review/"},
    "regional-analyst": {"/records/", "/dashboards/", "/estimates/"},
    "admin": {"/audit/"},
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_the_links_it_may_follow(username, demo_users):
    browser = verified_browser(demo_users[username])
    page = browser.get("/").content.decode()
    nav = page[page.index("<nav"):page.index("</nav>")]
    shown = {href for href in LINKS if f'href="{href}"' in nav}
    assert shown == EXPECTED[username]
    for href in shown:
        response = browser.get(href, follow=True)
        assert response.status_code == 200, (username, href, response.status_code)
