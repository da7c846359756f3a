"""Terminations and reinstatements as an append-only history, and who may decide them."""

import re

from django.contrib.auth.management import create_permissions
from django.db import migrations, models
import django.db.models.deletion

ROLES = {
    "Designated agent": ["terminate_subscriber", "view_subscriberevent"],
    "Legal staff": ["view_subscriberevent"],
    "Auditor": ["view_subscriberevent"],
}
DECIDED_BY = re.compile(r"^(?P<reason>.*) \(decided by (?P<actor>[^()]*)\)$", re.S)


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


def history_from_terminations(apps, schema_editor):
    """Each termination recorded before has its event; the reason loses the actor's name,
    which the event now holds."""
    Subscriber = apps.get_model("notices", "Subscriber")
    SubscriberEvent = apps.get_model("notices", "SubscriberEvent")
    for subscriber in Subscriber.objects.exclude(terminated_at=None):
        found = DECIDED_BY.match(subscriber.termination_reason)
        reason, actor = (found["reason"], found["actor"]) if found else (
            subscriber.termination_reason, "unknown"
        )
        SubscriberEvent.objects.create(
            subscriber=subscriber,
            at=subscriber.terminated_at,
            actor=actor,
            action="subscriber.terminated",
            reason=reason,
        )
        subscriber.termination_reason = reason
        subscriber.save(update_fields=["termination_reason"])


def terminations_from_history(apps, schema_editor):
    Subscriber = apps.get_model("notices", "Subscriber")
    SubscriberEvent = apps.get_model("notices", "SubscriberEvent")
    for subscriber in Subscriber.objects.exclude(terminated_at=None):
        last = SubscriberEvent.objects.filter(subscriber=subscriber).order_by("-at", "-id").first()
        if last:
            subscriber.termination_reason = f"{last.reason} (decided by {last.actor})"
            subscriber.save(update_fields=["termination_reason"])


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0005_export_owner_and_access_record'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='subscriber',
            options={'ordering': ['name'], 'permissions': [('terminate_subscriber', 'Can terminate and reinstate accounts (§ 512(i))')]},
        ),
        migrations.CreateModel(
            name='SubscriberEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('actor', models.CharField(max_length=100)),
                ('action', models.CharField(choices=[('subscriber.terminated', 'Terminated'), ('subscriber.reinstated', 'Reinstated')], max_length=32)),
                ('reason', models.TextField()),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='notices.subscriber')),
            ],
            options={
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['subscriber', 'at'], name='notices_sub_subscri_e4b977_idx')],
            },
        ),
        migrations.RunPython(history_from_terminations, terminations_from_history),
        migrations.RunPython(grant, revoke),
    ]
