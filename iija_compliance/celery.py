"""The Celery app. Beat only triggers sweeps; each sweep reads its work from the database."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iija_compliance.settings")

app = Celery("iija_compliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "letters-sweep": {"task": "notices.tasks.letters_sweep_task", "schedule": 60.0},
    "mailbox-poll": {"task": "notices.tasks.mailbox_poll_task", "schedule": 60.0},
    "network-digests-sweep": {
        "task": "notices.tasks.network_digests_sweep_task",
        "schedule": 300.0,
    },
    "policy-sweep": {"task": "notices.tasks.policy_sweep_task", "schedule": 300.0},
    "records-sweep": {"task": "notices.tasks.records_sweep_task", "schedule": 300.0},
    "counter-notices-sweep": {
        "task": "counternotices.tasks.counter_notices_sweep_task",
        "schedule": 60.0,
    },
    "hosted-removals-sweep": {
        "task": "notices.tasks.hosted_removals_sweep_task",
        "schedule": 300.0,
    },
}
