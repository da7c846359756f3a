"""`manage.py run_sweeps` runs beat's schedule by hand: every entry, by its task's name."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from iija_compliance.celery import app
from notices.models import Letter
from tests.factories import web_notice

pytestmark = pytest.mark.django_db


def test_run_sweeps_runs_each_entry_of_the_beat_schedule_and_says_what_it_did():
    lost = web_notice().letters.get()  # its task never reached a worker
    Letter.objects.filter(id=lost.id).update(next_attempt_at=timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("run_sweeps", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == list(app.conf.beat_schedule)
    assert "letters-sweep: queued: 1" in lines
    assert "mailbox-poll: messages taken in: 0" in lines  # no IMAP_HOST here
    assert "network-digests-sweep: transit digests written: 0" in lines
    assert (
        "counter-notices-sweep: restoration windows opened: 0, escalated: 0, "
        "hosted material the customer may restore: 0"
    ) in lines
    assert "hosted-removals-sweep: hosted removals overdue, to the agent: 0" in lines
