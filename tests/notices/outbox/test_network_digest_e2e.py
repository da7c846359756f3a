"""End to end: network notices taken in by the mailbox, the digest sweep run by a real
Celery worker, the letters sent through a real SMTP server as the customer receives them."""

import os
import signal
import subprocess
import sys
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from iija_compliance.lib.dispatch import enqueue
from notices.mailbox.intake import intake_report
from notices.models import Letter, NetworkEvent, NetworkSender
from notices.network import digest
from notices.network.senders import sender_decide
from notices.outbox import letters
from tests.conftest import ROOT, wait_until, worker_env
from tests.factories import assignment, subscriber
from tests.notices.network.samples import acns_xml, letter, mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SWEEP_TASK = "notices.tasks.network_digests_sweep_task"


def keep(message, name: str) -> None:
    """With DESK_SCREENSHOTS naming a folder, the letter as received, to look at."""
    if folder := os.environ.get("DESK_SCREENSHOTS"):
        (Path(folder) / f"{name}.eml").write_bytes(message.as_bytes())


def take_in(number: int, ip: str, *, sender="Notices <notices@rights.example>", extra=""):
    """A vendor's ACNS notice about `ip`, seen an hour ago, taken in by the mailbox."""
    moment = f"{timezone.now() - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"
    xml = acns_xml(ip=ip, case_id=f"NW-{number}", source_time=moment, item_times=(moment,))
    message = mail(letter(ip=ip, moment=moment, xml=xml) + extra, sender=sender)
    message.replace_header("Message-ID", f"<n-{number}@rights.example>")
    intake_report(message.as_bytes(), received_at=timezone.now() - timedelta(minutes=30))


def customer(account_id: str, network: str):
    since = f"{timezone.now() - timedelta(days=30):%Y-%m-%dT%H:%M:%S+00:00}"
    held = subscriber(account_id, f"Customer {account_id}")
    assignment(held, network, since)
    return held


def test_a_transit_customer_gets_one_letter_with_the_facts_and_the_original_notices(
    celery_worker, inbox
):
    held = customer("T-1", "198.51.100.0/24")
    take_in(1, "198.51.100.7")
    take_in(2, "198.51.100.8")

    enqueue(SWEEP_TASK)  # as beat does: the worker writes the digest, then sends it
    (message,) = inbox.wait_for(held.notice_email)
    keep(message, "network_digest")

    case = held.network_cases.get()
    assert (
        message["Subject"] == f"{case.reference}: 2 copyright notices about your network, forwarded"
    )
    text = message.get_body(("plain",)).get_content()
    assert "198.51.100.7 port 51413 (bittorrent)" in text
    assert "198.51.100.8 port 51413 (bittorrent)" in text
    seen = NetworkEvent.objects.first().occurred_at
    assert f"{seen.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" in text
    new_york = seen.astimezone(ZoneInfo("America/New_York"))
    assert f"{new_york:%Y-%m-%d %H:%M:%S} New York time ({new_york:%Z})" in text
    assert "their case NW-1, for Example Pictures LLC" in text
    assert "sha1:0123456789abcdef0123456789abcdef01234567" in text
    assert "What you must do" in text
    html = message.get_body(("html",)).get_content()
    assert "198.51.100.8" in html and "attached as notice-2.eml" in html
    originals = [part for part in message.iter_attachments()]
    assert [part.get_filename() for part in originals] == ["notice-1.eml", "notice-2.eml"]
    assert originals[0].get_content_type() == "message/rfc822"
    forwarded = originals[0].get_content()
    assert forwarded["Message-ID"] == "<n-1@rights.example>"
    assert "NW-1" in forwarded.get_body(("plain",)).get_content()

    letter_row = Letter.objects.get(kind="network_digest")
    assert (letter_row.subscriber, letter_row.network_case, letter_row.state) == (
        held,
        case,
        "sent",
    )
    assert set(NetworkEvent.objects.values_list("digest_letter", flat=True)) == {letter_row.id}


def test_a_facts_only_sender_is_forwarded_without_its_original(celery_worker, inbox):
    held = customer("T-2", "203.0.113.0/24")
    take_in(11, "203.0.113.5", sender="Claims <claims@settle.example>", extra="\nPay $300 now.\n")
    take_in(12, "203.0.113.6")
    demanding = NetworkSender.objects.get(addresses__address="claims@settle.example")
    assert NetworkEvent.objects.get(reporter=demanding).flags == ["settlement_demand"]
    sender_decide(
        sender_id=demanding.id,
        actor="agent",
        reason="Its notices ask our customers for money.",
        now=timezone.now(),
        facts_only=True,
    )

    enqueue(SWEEP_TASK)
    (message,) = inbox.wait_for(held.notice_email)
    keep(message, "network_digest_facts_only")

    assert [part.get_filename() for part in message.iter_attachments()] == ["notice-1.eml"]
    forwarded = next(message.iter_attachments()).get_content()
    assert forwarded["Message-ID"] == "<n-12@rights.example>"  # the other sender's only
    text = message.get_body(("plain",)).get_content()
    assert "203.0.113.5" in text  # the facts are forwarded all the same
    assert "not attached (this sender's notices are forwarded as facts only)" in text
    assert "Pay $300" not in message.as_string()


def test_a_sweep_killed_mid_digest_leaves_each_event_in_exactly_one_letter(
    celery_worker, inbox, smtp_server
):
    """SIGKILL a sweep while it writes a digest: nothing of that digest remains, and the
    next sweep (the worker's) forwards every event once."""
    customers = [customer(f"K-{n}", f"192.0.2.{n * 16}/28") for n in range(4)]
    for n in range(len(customers)):
        take_in(100 + 2 * n, f"192.0.2.{n * 16 + 1}")
        take_in(101 + 2 * n, f"192.0.2.{n * 16 + 2}")
    last = customers[-1]

    with transaction.atomic():
        # The last customer's events are held, so the sweep waits inside that digest's
        # transaction, its letter written and its events not yet marked.
        list(NetworkEvent.objects.select_for_update().filter(subscriber=last))
        sweep = subprocess.Popen(
            [sys.executable, "-c", "import django; django.setup(); "
             "from notices.network.digest import digests_sweep; digests_sweep()"],
            cwd=ROOT,
            env=worker_env(smtp_server),
        )  # fmt: skip

        def waiting_on_the_lock() -> bool:
            with connection.cursor() as cursor:
                # The activity as it is now, not as this transaction first read it.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
                return cursor.fetchone()[0] > 0

        wait_until(waiting_on_the_lock, 30, "the sweep to wait inside the last digest")
        assert Letter.objects.filter(kind="network_digest").count() == len(customers) - 1
        sweep.send_signal(signal.SIGKILL)
        sweep.wait(timeout=10)
    assert not Letter.objects.filter(subscriber=last).exists()
    assert not NetworkEvent.objects.filter(subscriber=last).exclude(digest_letter=None).exists()

    enqueue(SWEEP_TASK)
    # The killed process may not have queued the letters it had stored: the outbox's
    # sweep does, as beat would.
    letters.letters_sweep(now=timezone.now() + letters.QUEUE_GRACE)
    for held in customers:
        inbox.wait_for(held.notice_email)
    delivered = [m.get_body(("plain",)).get_content() for m in inbox.messages]
    for event in NetworkEvent.objects.all():
        assert sum(f"{event.ip} port" in text for text in delivered) == 1, event.ip
    assert Letter.objects.filter(kind="network_digest").count() == len(customers)
    assert digest.digests_sweep() == 0  # nothing left, and none due again within the window
