"""The buttons shown match what the workflow allows: every action, in every status."""

from __future__ import annotations

import pytest
from django.db import transaction

from crossings.web.errors import CrossingsError
from crossings.web.forms.permissions import ACTIONS, available_actions
from crossings.web.forms.views_workflow import CALLS
from crossings.web.reporting.models import Status
from tests.web.conftest import Spec

pytestmark = pytest.mark.django_db
POST = {"comment": "fix it", "reason": "because", "scope": "BILATERAL", "partners": ["THA"]}


class Post(dict):
    def getlist(self, key):
        return self[key]


@pytest.mark.parametrize("username", ["khm-officer", "khm-focal"])
def test_shown_actions_are_exactly_the_allowed_ones(demo_users, records_of, username):
    user = demo_users[username]
    records = records_of([Spec(f"P-{s}", "KHM", "incident", s) for s in Status.values])
    for status, record in ((s, records[f"P-{s}"]) for s in Status.values):
        shown = set(available_actions(user, record))
        for action in set(ACTIONS) - {"edit"}:
            try:
                with transaction.atomic():
                    CALLS[action](user, record, Post(POST))
                    transaction.set_rollback(True)
                allowed = True
            except CrossingsError:
                allowed = False
            record.refresh_from_db()
            assert (action in shown) == allowed, (username, status, action)
