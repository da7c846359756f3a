"""The real beat schedule: Celery's own beat runs every entry of iija_compliance/celery.py
on a short clock, a real worker runs each task by the name the schedule gives, and each
task's work shows in the database, the SMTP inbox or the IMAP mailbox. The other fault
tests replace beat with a loop that only sweeps letters."""

import imaplib
import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from counternotices.models import CounterNotice
from iija_compliance.celery import app
from iija_compliance.lib import emails
from notices.core.cases import notice_reject
from notices.core.intake import notice_submit
from notices.models import (
    Channel,
    Document,
    ExportJob,
    InboundMessage,
    Letter,
    Notice,
    PolicyStep,
    Subscriber,
)
from notices.network.intake import network_events_record
from notices.outbox import letters
from tests.factories import assignment, counter_notice, notified_case, submission, subscriber
from tests.faults.conftest import fault_env, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAILED = b"""\
From: Sam Okoye <notices@northwind-aps.example>\r
To: copyright@iij-america.com\r
Subject: Any news on our notice?\r
Message-ID: <beat-schedule-1@northwind-aps.example>\r
\r
Is there any news on the notice we sent last week?\r
"""


def _lost_letter() -> Letter:
    """A stored letter whose task the broker never had: only the letters sweep sends it."""
    notice = notice_submit(
        submission=submission(email="beat-lost@lanternrow.example"),
        channel=Channel.POST,
        actor="agent",
    )
    letter = notice.letters.get()
    due = timezone.now() - letters.QUEUE_GRACE
    Letter.objects.filter(id=letter.id).update(
        message_id=emails.new_message_id(), created_at=due, next_attempt_at=due
    )
    letter.refresh_from_db()
    return letter


def _lost_export() -> ExportJob:
    """An export queued two minutes ago whose task the broker lost (the records sweep
    queues it again); made as export_create makes one, without its enqueue."""
    notice = Notice.objects.first()
    return ExportJob.objects.create(
        created_by="legal",
        created_at=timezone.now() - timedelta(minutes=2),
        version=Document.Version.INTERNAL,
        notice_ids=[notice.id],
        total=1,
    )


def _expired_case() -> Notice:
    """A case that ended a year past the retention period (the records sweep anonymizes it)."""
    ended = timezone.now() - timedelta(days=366 * (settings.RETENTION_YEARS + 1))
    notice = notice_submit(
        submission=submission(email="beat-expired@lanternrow.example"),
        channel=Channel.POST,
        actor="agent",
        received_at=ended - timedelta(days=10),
    )
    notice_reject(notice_id=notice.id, reason="duplicate", actor="agent", now=ended)
    return notice


def _counter_notice_past_day_10() -> CounterNotice:
    """A counter notice received five weeks ago, still pending (the sweep opens it)."""
    received = timezone.now() - timedelta(weeks=5)
    notice, notification = notified_case(now=received - timedelta(days=2))
    item = notice.items.get(subscriber=notification.subscriber)
    return counter_notice(notice, notification, item, now=received)


def _transit_event():
    """A network notice about a transit customer's address, not yet forwarded."""
    from notices.mailbox.intake import intake_raw
    from tests.factories import assignment, subscriber
    from tests.notices.network.samples import acns_xml, letter, mail

    held = subscriber("T-1", "Transit One")
    assignment(
        held, "192.0.2.0/24", f"{timezone.now() - timedelta(days=30):%Y-%m-%dT%H:%M:%S+00:00}"
    )
    moment = f"{timezone.now() - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"
    xml = acns_xml(ip="192.0.2.7", source_time=moment, item_times=(moment,))
    intake_raw(mail(letter(ip="192.0.2.7", moment=moment, xml=xml)).as_bytes(),
               received_at=timezone.now() - timedelta(minutes=5))  # fmt: skip
    return held


def _three_network_notices() -> Subscriber:
    """A customer with three network notices in the last hours (the policy sweep warns it)."""
    customer = subscriber("C-BEAT", "Beat Row LLC")
    assignment(customer, "198.51.100.0/24", "2026-01-01T00:00:00+00:00")
    now = timezone.now()
    for n in range(3):
        event = {"ip": "198.51.100.7", "timestamp": (now - timedelta(hours=n + 1)).isoformat()}
        network_events_record(
            [{**event, "case_id": f"BEAT-{n}"}],
            format="acns",
            sender="notices@vendor.example",
            received_at=now - timedelta(hours=n),
        )
    return customer


def _hosted_request_past_its_day():
    """A removal request to a hosting customer, a month old and unanswered (the hosted
    removals sweep hands it to the agent)."""
    from notices.models import HostedRemoval
    from tests.factories import assignment, subscriber
    from tests.notices.hosted.conftest import report

    cloud = subscriber("C-7", "Blue Lantern Apps LLC")
    assignment(cloud, "203.0.113.0/24", "2025-01-01T00:00:00Z", service="hosting")
    month_ago = timezone.now() - timedelta(days=30)
    report(
        ("203.0.113.7", 6881, (month_ago - timedelta(hours=2)).isoformat()), received_at=month_ago
    )
    return HostedRemoval.objects.get()


def _mail(imap_server) -> None:
    with imaplib.IMAP4(imap_server["host"], imap_server["port"]) as client:
        client.login(imap_server["user"], imap_server["password"])
        client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), MAILED)


def _ran(log: str, task: str) -> bool:
    return re.search(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", log) is not None


def test_every_scheduled_task_runs_by_its_registered_name_and_does_its_work(
    inbox, smtp_server, redis_server, imap_server, start_celery, start_beat, tmp_path
):
    lost = _lost_letter()
    export = _lost_export()
    expired = _expired_case()
    counter = _counter_notice_past_day_10()
    transit = _transit_event()
    warned = _three_network_notices()
    hosted = _hosted_request_past_its_day()
    _mail(imap_server)
    # Each task the schedule names, and what shows that it ran.
    effects = {
        "notices.tasks.letters_sweep_task": lambda: bool(inbox.to(lost.to_email)),
        "notices.tasks.mailbox_poll_task": lambda: InboundMessage.objects.filter(
            message_id__contains="beat-schedule-1@northwind-aps.example"
        ).exists(),
        "notices.tasks.records_sweep_task": lambda: (
            ExportJob.objects.filter(id=export.id, state=ExportJob.State.DONE).exists()
            and Notice.objects.filter(id=expired.id).exclude(anonymized_at=None).exists()
        ),
        "notices.tasks.network_digests_sweep_task": lambda: bool(inbox.to(transit.notice_email)),
        "notices.tasks.policy_sweep_task": lambda: PolicyStep.objects.filter(
            subscriber=warned, step="warning"
        ).exists(),
        "counternotices.tasks.counter_notices_sweep_task": lambda: (
            CounterNotice.objects.get(id=counter.id).state == CounterNotice.State.DUE
        ),
        "notices.tasks.hosted_removals_sweep_task": lambda: (
            type(hosted).objects.get(id=hosted.id).state == "overdue"
        ),
    }
    scheduled = sorted(entry["task"] for entry in app.conf.beat_schedule.values())
    assert scheduled == sorted(effects), "each scheduled task needs its effect checked here"

    imap = {
        "IMAP_HOST": imap_server["host"],
        "IMAP_PORT": str(imap_server["port"]),
        "IMAP_SSL": "false",
        "IMAP_USER": imap_server["user"],
        "IMAP_PASSWORD": imap_server["password"],
        "IMAP_FOLDER": "INBOX",
    }
    env = fault_env(smtp_server, redis_server, **imap)
    worker = start_celery(env)
    beat = start_beat(env, "tests.faults.short_beat", "--schedule", str(tmp_path / "schedule"))
    pending = set(effects)

    def every_task_ran_and_did_its_work() -> bool:
        log = worker.log_path.read_text()
        unregistered = re.findall(r".*unregistered task.*", log)
        assert not unregistered, f"the schedule names a task no worker knows: {unregistered}"
        pending.difference_update(task for task in effects if _ran(log, task) and effects[task]())
        return not pending

    try:
        wait_until(every_task_ran_and_did_its_work, 60, "every scheduled task and its work")
    except BaseException:
        print(f"Not seen: {sorted(pending)}\nbeat:\n{beat.log_path.read_text()}")
        raise
    (message,) = inbox.wait_for(lost.to_email)
    assert message["Message-ID"] == lost.message_id
