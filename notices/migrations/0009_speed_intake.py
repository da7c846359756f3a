"""Intake without waiting: a letter can be written when it is sent (Letter.context), and on
PostgreSQL case numbers come from one sequence per year (ReferenceSequence)."""

from django.db import migrations, models

# Creates the year's sequence when it is first needed. Two submissions creating it at once:
# one waits for the other's commit, fails to create it, and takes its numbers from it.
TAKE_REFERENCES = """
CREATE OR REPLACE FUNCTION notices_take_references(year integer, count integer)
RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE
    name text := 'notices_reference_' || year;
BEGIN
    IF to_regclass(name) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', name);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL;
        END;
    END IF;
    RETURN QUERY SELECT nextval(name) FROM generate_series(1, count);
END $$;
"""


def counters_to_sequences(apps, schema_editor):
    """Each year numbered so far goes on from its counter's last number."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TAKE_REFERENCES, params=None)  # no placeholders: %I is SQL's
    for counter in apps.get_model("notices", "ReferenceSequence").objects.all():
        schema_editor.execute(
            f"CREATE SEQUENCE IF NOT EXISTS notices_reference_{int(counter.year)} "
            f"START WITH {int(counter.last) + 1}"
        )


def sequences_to_counters(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    counters = apps.get_model("notices", "ReferenceSequence")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences "
            "WHERE sequencename LIKE 'notices\\_reference\\_%' AND last_value IS NOT NULL"
        )
        for name, last in cursor.fetchall():
            year = int(name.rsplit("_", 1)[1])
            counters.objects.update_or_create(year=year, defaults={"last": last})
            schema_editor.execute(f"DROP SEQUENCE {name}")
    schema_editor.execute("DROP FUNCTION notices_take_references(integer, integer)")


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0008_netdesk_network"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="context",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(counters_to_sequences, sequences_to_counters),
    ]
