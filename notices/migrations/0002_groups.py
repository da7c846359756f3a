"""The three staff roles, as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "view_notice",
    "view_work",
    "view_infringingitem",
    "view_noticeevent",
    "view_letter",
    "view_attachment",
    "view_subscriber",
    "view_networkresource",
    "view_subscribernotification",
]
ROLES = {
    "Designated agent": VIEW_ALL
    + [
        "add_notice",
        "triage_notice",
        "view_personal_data",
        "change_infringingitem",
        "add_attachment",
        "add_subscriber",
        "change_subscriber",
        "add_networkresource",
        "change_networkresource",
        "delete_networkresource",
        "change_letter",
        "export_records",
        "view_personaldataview",
        "view_apisender",
        "add_apisender",
        "change_apisender",
        "view_inboundmessage",
    ],
    "Legal staff": VIEW_ALL
    + ["view_personal_data", "export_records", "record_court_action", "view_inboundmessage"],
    "Auditor": VIEW_ALL + ["view_personaldataview"],
}


def create_groups(apps, schema_editor):
    app_config = apps.get_app_config("notices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="notices", codename__in=codenames
        )
        assert permissions.count() == len(codenames), name
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
