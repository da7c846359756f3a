"""The queue's date (notices' `act_by`) for cases whose counter-notice clock runs: the last
day of a restoration that is due, else the first day of the earliest window."""

from django.db import migrations
from django.db.models import Min, Q

CLOCK_RUNNING = ["counter_noticed", "restoration_scheduled"]


def fill_act_by(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    for notice in Notice.objects.filter(status__in=CLOCK_RUNNING, act_by=None):
        windows = notice.counter_notices.aggregate(
            due=Min("restore_not_after", filter=Q(state="due")),
            pending=Min("restore_not_before", filter=Q(state="pending")),
        )
        notice.act_by = windows["due"] or windows["pending"]
        notice.save(update_fields=["act_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("counternotices", "0003_statute_court_action_counter_notice"),
        ("notices", "0011_desk_queue_search_accounts"),
    ]

    operations = [migrations.RunPython(fill_act_by, migrations.RunPython.noop)]
