"""Fast inserts for imports: one prepared statement, many rows.

Django's ``bulk_create`` compiles SQL per object and spends most of an import's time doing so;
an import inserts hundreds of thousands of rows of two known shapes. This module prepares each
value with the model field's own ``get_db_prep_save`` (so JSON, UUIDs and dates are adapted for
SQLite and PostgreSQL alike) and hands the rows to the driver: ``executemany`` on SQLite,
``COPY`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

PLAIN_TYPES = (models.CharField, models.IntegerField, models.ForeignKey)


def db_value(model: type[models.Model], column: str, value: Any) -> Any:
    """A value as the database wants it, for values shared by many rows (prepare once)."""
    field = model._meta.get_field(column)
    return field.get_db_prep_save(value, connection)  # type: ignore[union-attr]


def json_value(text: str) -> Any:
    """Already serialised JSON for a JSONField column, as :func:`insert_rows` writes it: text
    bound to SQLite's TEXT column, or a text field of PostgreSQL's COPY parsed into jsonb."""
    return text


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Iterable[Sequence[Any]], prepared: frozenset[str] = frozenset()) -> None:
    """Insert rows (values in ``columns`` order; foreign keys as ids) into the model's table.

    Columns named in ``prepared`` already hold database values (see :func:`db_value`).
    """
    fields = [model._meta.get_field(name) for name in columns]
    prepare = [None if name in prepared or isinstance(f, PLAIN_TYPES) else f
               for name, f in zip(columns, fields, strict=True)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    values = [
        [value if field is None or value is None
         else field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
         for field, value in zip(prepare, row, strict=True)]
        for row in rows
    ]
    if not values:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: several times faster than many INSERTs.
            table = quote(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)
