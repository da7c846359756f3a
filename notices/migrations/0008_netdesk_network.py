"""Network notices: the address plan with validity periods, network cases and their events.

On PostgreSQL an exclusion constraint keeps one block from being held by two assignments
at once; its GiST index over (network::inet inet_ops, tstzrange(valid_from, valid_until))
is also what answers "who held this address at this moment" (notices/network/addresses.py).
Both operator classes are PostgreSQL's own (no extension). Deferred to commit, so that an
import may shorten one period and start the next in either order. SQLite (`make run`) gets
the plain range index and the import's own overlap check.
"""

from django.contrib.auth.management import create_permissions
import django.db.models.deletion
from django.db import migrations, models

TABLE = "notices_addressassignment"
EXCLUSION = "assignment_no_overlap"
ROLES = {
    "Designated agent": [
        "view_addressassignment",
        "add_addressassignment",
        "view_networkcase",
        "view_networkevent",
    ],
    "Legal staff": ["view_addressassignment", "view_networkcase", "view_networkevent"],
    "Auditor": ["view_networkcase", "view_networkevent"],
}


def exclusion_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{EXCLUSION}" EXCLUDE USING gist '
        "((network::inet) inet_ops WITH =, tstzrange(valid_from, valid_until, '[)') WITH &&) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def exclusion_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT IF EXISTS "{EXCLUSION}"')


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        permissions = Permission.objects.filter(
            content_type__app_label="notices", codename__in=codenames
        )
        assert permissions.count() == len(codenames), name
        Group.objects.get(name=name).permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = {codename for names in ROLES.values() for codename in names}
    permissions = Permission.objects.filter(
        content_type__app_label="notices", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0007_hostile_mail'),
    ]

    operations = [
        migrations.CreateModel(
            name='AddressAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('network', models.CharField(help_text='e.g. 198.51.100.0/24 or 2001:db8::/48', max_length=43)),
                ('first_address', models.DecimalField(decimal_places=0, max_digits=39)),
                ('last_address', models.DecimalField(decimal_places=0, max_digits=39)),
                ('valid_from', models.DateTimeField()),
                ('valid_until', models.DateTimeField(blank=True, null=True)),
                ('service', models.CharField(choices=[('transit', "Transit (the customer's network behind ours)"), ('hosting', 'Hosting (our cloud servers)')], max_length=8)),
                ('imported_at', models.DateTimeField()),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='notices.subscriber')),
            ],
            options={
                'ordering': ['network', 'valid_from'],
            },
        ),
        migrations.CreateModel(
            name='NetworkCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('opened_at', models.DateTimeField()),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='network_cases', to='notices.subscriber')),
            ],
            options={
                'ordering': ['-opened_at'],
            },
        ),
        migrations.CreateModel(
            name='NetworkEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_at', models.DateTimeField()),
                ('outcome', models.CharField(choices=[('case', "On the subscriber's network case"), ('duplicate', 'Duplicate (same sender, same vendor case id)'), ('not_ours', 'Not ours (no subscriber held the address then)'), ('too_old', 'Too old (NETWORK_NOTICE_MAX_AGE_DAYS)')], max_length=10)),
                ('sender', models.CharField(max_length=300)),
                ('format', models.CharField(max_length=16)),
                ('vendor_case_id', models.CharField(blank=True, max_length=200)),
                ('dedup_key', models.CharField(max_length=255)),
                ('complainant', models.CharField(blank=True, max_length=300)),
                ('ip', models.GenericIPAddressField(verbose_name='IP address')),
                ('port', models.PositiveIntegerField(blank=True, null=True)),
                ('protocol', models.CharField(blank=True, max_length=32)),
                ('occurred_at', models.DateTimeField()),
                ('files', models.JSONField(blank=True, default=list)),
                ('flags', models.JSONField(blank=True, default=list)),
                ('api_sender', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='network_events', to='notices.apisender')),
                ('assignment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='notices.addressassignment')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='notices.networkcase')),
                ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='notices.networkevent')),
                ('inbound', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='network_events', to='notices.inboundmessage')),
                ('subscriber', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='network_events', to='notices.subscriber')),
            ],
            options={
                'ordering': ['-received_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='addressassignment',
            index=models.Index(fields=['first_address', 'last_address'], name='assignment_range_idx'),
        ),
        migrations.AddConstraint(
            model_name='addressassignment',
            constraint=models.UniqueConstraint(fields=('network', 'valid_from'), name='assignment_once'),
        ),
        migrations.AddConstraint(
            model_name='networkcase',
            constraint=models.UniqueConstraint(condition=models.Q(('closed_at', None)), fields=('subscriber',), name='one_open_network_case'),
        ),
        migrations.AddIndex(
            model_name='networkevent',
            index=models.Index(fields=['outcome', 'received_at'], name='network_event_outcome_idx'),
        ),
        migrations.AddIndex(
            model_name='networkevent',
            index=models.Index(fields=['case', 'occurred_at'], name='network_event_case_idx'),
        ),
        migrations.AddConstraint(
            model_name='networkevent',
            constraint=models.UniqueConstraint(condition=models.Q(('outcome', 'duplicate'), _negated=True), fields=('sender', 'dedup_key', 'ip', 'occurred_at'), name='network_event_once'),
        ),
        migrations.AlterField(
            model_name='inboundmessage',
            name='kind',
            field=models.CharField(choices=[('takedown', 'Takedown notice'), ('network', 'Network notice'), ('counter_notice', 'Counter notice'), ('retraction', 'Retraction'), ('other', 'Other mail'), ('unreadable', 'Unreadable')], max_length=16),
        ),
        migrations.RunPython(exclusion_create, exclusion_drop),
        migrations.RunPython(grant, revoke),
    ]
