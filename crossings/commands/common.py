"""What every subcommand shares: Django on demand, the store check, exit codes, output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

EXIT_REJECTED, EXIT_USAGE, EXIT_STORE, EXIT_INTERNAL = 1, 2, 3, 70


def setup_django() -> None:
    """Configure Django on first use, so commands that need no store start fast."""
    import django  # noqa: PLC0415

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossings.web.settings")
    django.setup()


class StoreNotReady(click.ClickException):
    """The database is unreachable or not initialised."""

    exit_code = EXIT_STORE


def require_store() -> None:
    """Set up Django and check the store is initialised, with a message saying what to do."""
    setup_django()
    from django.db import connection  # noqa: PLC0415
    from django.db.utils import OperationalError  # noqa: PLC0415

    try:
        tables = connection.introspection.table_names()
    except OperationalError as exc:
        raise StoreNotReady(f"cannot reach the database: {exc}") from None
    if "reporting_record" not in tables:
        raise StoreNotReady("the store is not initialised: run `crossings init` first.")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def existing_paths(paths: tuple[str, ...]) -> list[Path]:
    """The given files, or a usage error naming those that do not exist."""
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise click.UsageError(f"no such file: {', '.join(missing)}")
    return [Path(p) for p in paths]
