"""Words of the page chrome that name workflow states, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from crossings.web.accounts.models import SharingScope
from crossings.web.reporting.models import Status

STATUS: dict[str, Any] = {
    Status.DRAFT: pgettext_lazy("record status", "Draft"),
    Status.SUBMITTED: pgettext_lazy("record status", "Submitted"),
    Status.RETURNED: pgettext_lazy("record status", "Returned for correction"),
    Status.APPROVED: pgettext_lazy("record status", "Approved"),
    Status.SHARED: pgettext_lazy("record status", "Shared"),
    Status.WITHDRAWN: pgettext_lazy("record status", "Withdrawn"),
}
SCOPE: dict[str, Any] = {
    SharingScope.NATIONAL_ONLY: pgettext_lazy("sharing scope", "National only"),
    SharingScope.BILATERAL: pgettext_lazy("sharing scope", "Named partner countries"),
    SharingScope.REGIONAL_CONTRIBUTORS: pgettext_lazy(
        "sharing scope", "Regional contributors (give to get)"),
    SharingScope.PUBLIC_AGGREGATES_ONLY: pgettext_lazy(
        "sharing scope", "Public aggregates only"),
}
CHANGE: dict[str, Any] = {
    "CREATED": pgettext_lazy("version change", "Created"),
    "REVISED": pgettext_lazy("version change", "Edited"),
    "DELETED": pgettext_lazy("version change", "Deleted"),
    "RESTORED": pgettext_lazy("version change", "Restored"),
    "SUBMITTED": pgettext_lazy("version change", "Submitted"),
    "RETURNED": pgettext_lazy("version change", "Returned for correction"),
    "APPROVED": pgettext_lazy("version change", "Approved"),
    "SHARED": pgettext_lazy("version change", "Shared"),
    "REVOKED": pgettext_lazy("version change", "Sharing revoked"),
    "WITHDRAWN": pgettext_lazy("version change", "Withdrawn"),
}
DETAIL: dict[str, Any] = {
    "FULL": pgettext_lazy("detail level", "Full record"),
    "NON_NOMINAL": pgettext_lazy("detail level",
                                 "Shared by a partner: without names and sensitive fields"),
}
