"""The desk at daily volume: the queue's date on each case, and the case search's indexes.

`act_by` (notices/core/deadlines.py) is filled for the open cases awaiting review or
takedown; counternotices' 0003 fills it for cases whose counter-notice clock runs.

Indexes for the case search (notices/core/search.py), on PostgreSQL:

- a complainant's name is searched for any part (a surname): a trigram GIN index
  (pg_trgm) on UPPER(complainant_name) answers `icontains`, which PostgreSQL runs as
  UPPER(column) LIKE '%TERM%' (organizations by their start: 0003's index);
- references by their start (`2026-000042` is `DMCA-2026-000042`) and the complainant's
  e-mail exactly, both case-insensitively: btrees on UPPER(column);
- a domain with the hosts under it: a btree on reverse(host), where every host under
  `nightshare.example` begins with `elpmaxe.erahsthgin.`.

The operator classes are PostgreSQL's, so the indexes are not in the models' Meta: SQLite
(`make run`) gets none and needs none. Built concurrently, so notices keep arriving while
a large table is indexed.
"""

from django.conf import settings
from django.db import migrations, models

from iija_compliance.lib.business_days import add_business_days, local_date

WITHIN_TARGET = ["received", "in_review", "accepted"]

INDEXES = {
    "notice_name_trgm_idx": (
        "notices_notice",
        'USING gin (UPPER("complainant_name"::text) gin_trgm_ops)',
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


def fill_act_by(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    waiting = Notice.objects.filter(status__in=WITHIN_TARGET, act_by=None).only("received_at")
    days = settings.DESK_ACT_WITHIN_BUSINESS_DAYS
    batch = []
    for notice in waiting.iterator(chunk_size=2000):
        notice.act_by = add_business_days(local_date(notice.received_at), days)
        batch.append(notice)
        if len(batch) == 2000:
            Notice.objects.bulk_update(batch, ["act_by"])
            batch = []
    Notice.objects.bulk_update(batch, ["act_by"])


# Staff accounts on the desk (notices/desk/admin/accounts.py): the agent, or a Desk
# administrator, adds and deactivates Legal staff and Auditor accounts.
ACCOUNTS = ["view_user", "add_user", "change_user"]


def grant_accounts(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    user_type, _ = ContentType.objects.get_or_create(app_label="auth", model="user")
    permissions = [
        Permission.objects.get_or_create(
            content_type=user_type, codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )[0]
        for codename in ACCOUNTS
    ]
    for name in ["Designated agent", "Desk administrator"]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def drop_accounts(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Desk administrator").delete()
    agent = Group.objects.filter(name="Designated agent").first()
    if agent:
        agent.permissions.remove(*agent.permissions.filter(content_type__app_label="auth"))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False  # CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("notices", "0010_statute_letters_to_post_urgent_mail"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="act_by",
            field=models.DateField(blank=True, null=True, verbose_name="act by"),
        ),
        migrations.RunPython(fill_act_by, migrations.RunPython.noop),
        migrations.RunPython(grant_accounts, drop_accounts),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("act_by__isnull", False)),
                fields=["act_by", "received_at"],
                name="notice_queue_idx",
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
