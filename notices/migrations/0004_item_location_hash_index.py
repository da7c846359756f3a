"""location_hash: keep only the equality index.

db_index on a CharField also gives PostgreSQL a varchar_pattern_ops ("_like") index for
prefix searches; nothing searches a hash by prefix, and every stored item paid for it.
The plain index is renamed rather than rebuilt and the other dropped concurrently, so a
large item table is not locked while this runs.
"""

from django.db import migrations, models

TABLE = "notices_infringingitem"
NEW_NAME = "item_location_hash_idx"


def _old_name(schema_editor, suffix=""):
    return schema_editor._create_index_name(TABLE, ["location_hash"], suffix=suffix)


def forwards(apps, schema_editor):
    old = _old_name(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'DROP INDEX CONCURRENTLY IF EXISTS "{_old_name(schema_editor, "_like")}"'
        )
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{old}" RENAME TO "{NEW_NAME}"')
    else:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{old}"')
        schema_editor.execute(f'CREATE INDEX "{NEW_NAME}" ON "{TABLE}" ("location_hash")')


def backwards(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NEW_NAME}"')
    schema_editor.execute(
        f'CREATE INDEX "{_old_name(schema_editor)}" ON "{TABLE}" ("location_hash")'
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{_old_name(schema_editor, "_like")}" '
            f'ON "{TABLE}" ("location_hash" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("notices", "0003_complainant_prefix_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(
                    model_name="infringingitem",
                    name="location_hash",
                    field=models.CharField(blank=True, max_length=64),
                ),
                migrations.AddIndex(
                    model_name="infringingitem",
                    index=models.Index(fields=["location_hash"], name=NEW_NAME),
                ),
            ],
        ),
    ]
