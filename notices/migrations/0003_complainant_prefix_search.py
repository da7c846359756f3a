"""Indexes for the case list's search by complainant name or organization, on PostgreSQL.

The search is `istartswith`, which PostgreSQL runs as UPPER(column) LIKE 'TERM%'. A btree
on that expression with text_pattern_ops answers it as a range; without one every search
read every case (1.4 s at a million cases). The operator class is PostgreSQL's, so the
indexes are not in the model's Meta: SQLite (`make run`) gets none and needs none.
"""

from django.db import migrations

INDEXES = {
    "notice_name_prefix_idx": "complainant_name",
    "notice_organization_prefix_idx": "complainant_organization",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        # A concurrent build that failed leaves an INVALID index that IF NOT EXISTS would
        # keep for good: drop it so that this run builds it again.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = %s AND NOT i.indisvalid",
                [name],
            )
            invalid = cursor.fetchone()
        if invalid:
            schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" '
            f'ON "notices_notice" (UPPER("{column}"::text) text_pattern_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    # CONCURRENTLY cannot run in a transaction; it lets notices keep arriving while a
    # large table is indexed.
    atomic = False

    dependencies = [
        ("notices", "0002_groups"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
