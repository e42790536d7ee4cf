"""Fast inserts for imports: one prepared statement, many rows.

Django's ``bulk_create`` compiles SQL per object and spends most of an import's time doing so;
an import inserts hundreds of thousands of rows of two known shapes. This module prepares each
value with the model field's own ``get_db_prep_save`` (so JSON, UUIDs and dates are adapted for
SQLite and PostgreSQL alike) and hands the rows to the driver's ``executemany``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

PLAIN_TYPES = (models.CharField, models.IntegerField, models.ForeignKey)


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows (values in ``columns`` order; foreign keys as ids) into the model's table."""
    fields = [model._meta.get_field(name) for name in columns]
    prepare = [None if isinstance(f, PLAIN_TYPES) and not isinstance(f, models.JSONField)
               else f for f in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    prepared = [
        [value if field is None or value is None
         else field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
         for field, value in zip(prepare, row, strict=True)]
        for row in rows
    ]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
