"""Indexes for the case search (notices/core/search.py), on PostgreSQL.

- names and organizations are searched for any part (a surname): trigram GIN indexes
  (pg_trgm) on UPPER(column) answer `icontains`, which PostgreSQL runs as
  UPPER(column) LIKE '%TERM%';
- references by their start (`2026-000042` is `DMCA-2026-000042`) and the complainant's
  e-mail exactly, both case-insensitively: btrees on UPPER(column);
- a domain with the hosts under it: a btree on reverse(host), where every host under
  `nightshare.example` begins with `elpmaxe.erahsthgin.`.

The operator classes are PostgreSQL's, so the indexes are not in the models' Meta: SQLite
(`make run`) gets none and needs none. Built concurrently, so notices keep arriving while
a large table is indexed.
"""

from django.db import migrations

INDEXES = {
    "notice_name_trgm_idx": (
        "notices_notice",
        'USING gin (UPPER("complainant_name"::text) gin_trgm_ops)',
    ),
    "notice_organization_trgm_idx": (
        "notices_notice",
        'USING gin (UPPER("complainant_organization"::text) gin_trgm_ops)',
    ),
    "notice_reference_prefix_idx": (
        "notices_notice",
        '(UPPER("reference"::text) text_pattern_ops)',
    ),
    "notice_email_idx": ("notices_notice", '(UPPER("email"::text))'),
    "item_reversed_host_idx": (
        "notices_infringingitem",
        '(REVERSE("host"::text) text_pattern_ops)',
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, definition) in INDEXES.items():
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
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" {definition}'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False  # CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("notices", "0007_hostile_mail"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
