"""Give the staff roles their permissions on counter notices and court actions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_counternotice", "view_courtaction"]
ROLES = {
    "Designated agent": VIEW + ["add_counternotice"],
    "Legal staff": VIEW,
    "Auditor": VIEW,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("counternotices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        permissions = Permission.objects.filter(
            content_type__app_label="counternotices", codename__in=codenames
        )
        assert permissions.count() == len(codenames), name
        Group.objects.get(name=name).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("counternotices", "0001_initial"), ("notices", "0002_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
