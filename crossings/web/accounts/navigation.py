"""What the header links to: each page a user's role may open, and nothing else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from crossings.web.accounts.models import Role
from crossings.web.accounts.roles import role_of

AUTHORS = (Role.OFFICER, Role.FOCAL_POINT)
ANALYSIS = (Role.FOCAL_POINT, Role.NATIONAL_ANALYST, Role.REGIONAL_ANALYST)
ESTIMATION = (Role.NATIONAL_ANALYST, Role.REGIONAL_ANALYST)
REVIEW = (Role.FOCAL_POINT, Role.NATIONAL_ANALYST)
AUDIT = (Role.FOCAL_POINT, Role.ADMINISTRATOR)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``nav`` holds one flag per section of the site."""
    role = role_of(request.user) if request.user.is_authenticated else None
    return {"nav": {
        "records": role is not None and role != Role.ADMINISTRATOR,
        "author": role in AUTHORS,
        "dashboards": role in ANALYSIS,
        "estimates": role in ESTIMATION,
        "review": role in REVIEW,
        "audit": role in AUDIT,
    }}
