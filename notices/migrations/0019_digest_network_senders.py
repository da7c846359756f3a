"""The registry of network notice senders (with the agent's decisions on each), the
sender of each event, and the transit digest that forwarded it.

Senders of the events already stored are entered, one per address, named after it.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils import timezone

ROLES = {
    "Designated agent": [
        "view_networksender",
        "change_networksender",
        "view_networksenderdecision",
    ],
    "Legal staff": ["view_networksender", "view_networksenderdecision"],
    "Auditor": ["view_networksender", "view_networksenderdecision"],
}


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


def senders_enter(apps, schema_editor):
    """Each address that sent network notices becomes a sender of the registry."""
    NetworkEvent = apps.get_model("notices", "NetworkEvent")
    NetworkSender = apps.get_model("notices", "NetworkSender")
    NetworkSenderAddress = apps.get_model("notices", "NetworkSenderAddress")
    ApiSender = apps.get_model("notices", "ApiSender")
    now = timezone.now()
    for address in NetworkEvent.objects.values_list("sender", flat=True).distinct():
        events = NetworkEvent.objects.filter(sender=address)
        formats = sorted(set(events.values_list("format", flat=True)))
        api = None
        if address.startswith("api:") and address[4:].isdigit():
            api = ApiSender.objects.filter(id=int(address[4:])).first()
        name = api.name if api else (address.rpartition("@")[2] or address)[:200]
        sender = NetworkSender.objects.create(
            name=name, api_sender=api, formats_seen=formats, created_at=now
        )
        NetworkSenderAddress.objects.create(sender=sender, address=address)
        events.update(reporter=sender)



class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0018_reader3_cover_note'),
    ]

    operations = [
        migrations.CreateModel(
            name='NetworkSender',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('formats_seen', models.JSONField(blank=True, default=list)),
                ('facts_only', models.BooleanField(default=False, verbose_name='facts only')),
                ('reply', models.CharField(choices=[('off', 'No reply'), ('acns', 'ACNS acknowledgement (XML)'), ('text', 'Plain-text acknowledgement')], default='off', max_length=4)),
                ('created_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'network notice sender',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='NetworkSenderAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.CharField(max_length=300, unique=True)),
            ],
            options={
                'ordering': ['address'],
            },
        ),
        migrations.CreateModel(
            name='NetworkSenderDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('actor', models.CharField(max_length=100)),
                ('changes', models.JSONField()),
                ('reason', models.TextField()),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='letter',
            name='originals',
            field=models.ManyToManyField(blank=True, related_name='forwarded_in', to='notices.inboundmessage'),
        ),
        migrations.AddField(
            model_name='networkevent',
            name='digest_letter',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='digest_events', to='notices.letter'),
        ),
        migrations.AddIndex(
            model_name='letter',
            index=models.Index(condition=models.Q(('kind', 'network_digest')), fields=['subscriber', 'created_at'], name='letter_digest_idx'),
        ),
        migrations.AddField(
            model_name='networksender',
            name='api_sender',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='network_sender', to='notices.apisender'),
        ),
        migrations.AddField(
            model_name='networkevent',
            name='reporter',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='notices.networksender'),
        ),
        migrations.AddIndex(
            model_name='networkevent',
            index=models.Index(condition=models.Q(('digest_letter', None), ('outcome', 'case')), fields=['subscriber', 'received_at'], name='network_event_undigested_idx'),
        ),
        migrations.AddField(
            model_name='networksenderaddress',
            name='sender',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='addresses', to='notices.networksender'),
        ),
        migrations.AddField(
            model_name='networksenderdecision',
            name='sender',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='notices.networksender'),
        ),
        migrations.AddIndex(
            model_name='networksenderdecision',
            index=models.Index(fields=['sender', 'at'], name='notices_net_sender__c5b082_idx'),
        ),
        migrations.RunPython(grant, revoke),
        migrations.RunPython(senders_enter, migrations.RunPython.noop),
    ]

