"""Writing many new rows in few round trips to the database.

`insert` and `copy` (for many rows: COPY_FROM_ROWS) write unsaved model instances as the
ORM's bulk_create would (`insert` reads their ids back when asked). On PostgreSQL, the
statements run inside `pipeline()` go to the server together and are answered together
(psycopg's pipeline mode), up to the first statement whose result is read.
"""

from contextlib import contextmanager, nullcontext
from functools import cache

from django.db import connection, connections
from django.db.models import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKey,
    IntegerField,
    Model,
    TextField,
)

# Fewer rows go faster as one INSERT; more as COPY, which PostgreSQL reads as a stream.
COPY_FROM_ROWS = 1000
# Fields whose values COPY takes as they are (an aware datetime, a str, an int, a bool).
PLAIN_FIELDS = (BooleanField, CharField, DateTimeField, ForeignKey, IntegerField, TextField)


def pipeline():
    """Statements inside go to PostgreSQL together; elsewhere one at a time, as usual."""
    if connection.vendor != "postgresql":
        return nullcontext()
    return _pipeline()


@contextmanager
def _pipeline():
    connection.ensure_connection()
    # An error is raised when the pipeline is read, at the end: it is still Django's.
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def insert(rows: list[Model], ids: bool = False) -> None:
    """Multi-row INSERTs of unsaved instances of one model; with `ids`, each instance gets
    its id as with bulk_create. The statement is written as the ORM's compiler would (on
    PostgreSQL, several rows as arrays, UNNEST), but once per model instead of once per
    call (the compiler took a third of a millisecond each time); being the same text for
    any number of rows, PostgreSQL keeps it prepared."""
    if not rows:
        return
    model = type(rows[0])
    fields = _fields(model)
    batch = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = [
                [
                    field.get_db_prep_save(field.pre_save(row, add=True), connection)
                    for field in fields
                ]
                for row in chunk
            ]
            arrays = connection.vendor == "postgresql" and len(chunk) > 1
            if arrays:
                params = [list(column) for column in zip(*values, strict=True)]
            else:
                params = [value for row in values for value in row]
            sql = _insert_sql(model, len(chunk), ids) if not arrays else _unnest_sql(model, ids)
            cursor.execute(sql, params)
            if ids:
                for row, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    row.pk = pk
                    row._state.adding, row._state.db = False, connection.alias


def _insert_head(model: type[Model]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _fields(model))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})"


def _returning(model: type[Model], ids: bool) -> str:
    return f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}" if ids else ""


@cache
def _insert_sql(model: type[Model], count: int, ids: bool) -> str:
    row = "(" + ", ".join(["%s"] * len(_fields(model))) + ")"
    return f"{_insert_head(model)} VALUES {', '.join([row] * count)}{_returning(model, ids)}"


@cache
def _unnest_sql(model: type[Model], ids: bool) -> str:
    # As Django's compiler: array types without their length, so that nothing is cut short.
    arrays = ", ".join(
        f"(%s)::{field.db_type(connection).split('(')[0]}[]" for field in _fields(model)
    )
    return f"{_insert_head(model)} SELECT * FROM UNNEST({arrays}){_returning(model, ids)}"


def copy(rows: list[Model]) -> None:
    """Many unsaved instances of one model, streamed with COPY on PostgreSQL (`insert`
    elsewhere). Not inside `pipeline()`: COPY cannot run there."""
    if connection.vendor != "postgresql" or not rows:
        insert(rows)
        return
    model = type(rows[0])
    fields = _fields(model)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # psycopg adapts plain values (text, numbers, booleans, times, None) itself; the rest
    # (JSON, for one) is prepared by its field, on the connection itself, not its proxy.
    database = connections[connection.alias]
    prepared = [not isinstance(field, PLAIN_FIELDS) for field in fields]
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [field.pre_save(row, add=True) for field in fields]
            for index, field in enumerate(fields):
                if prepared[index]:
                    values[index] = field.get_db_prep_save(values[index], database)
            copy.write_row(values)


def _fields(model: type[Model]) -> list:
    """The columns an INSERT of a new row names: all but a generated id."""
    return [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, AutoField) and not field.generated
    ]
