"""End to end: the public form, the broker, a real Celery worker and a real SMTP server."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from iija_compliance.lib import emails
from notices.models import Letter, Notice
from notices.outbox import letters
from tests.factories import form_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_web_notice_is_acknowledged_by_email(client, celery_worker, inbox):
    address = "e2e-ack@lanternrow.example"
    response = client.post(reverse("notices:new"), form_data(email=address))
    assert response.status_code == 302
    notice = Notice.objects.get(email=address)

    (message,) = inbox.wait_for(address)
    body = message.get_body(("plain",)).get_content()
    assert notice.reference in message["Subject"]
    assert f"http://testserver/notices/status/{notice.status_token}/" in body
    letter = Letter.objects.get(notice=notice)
    assert letter.state == "sent"
    assert message["Message-ID"] == letter.message_id
    status_page = client.get(reverse("notices:status", args=[notice.status_token]))
    assert "We wrote to you" in status_page.content.decode()


def _lost_letter(notice: Notice, address: str, **fields) -> Letter:
    """A stored letter whose task the broker never delivered (flushed or down)."""
    now = timezone.now() - letters.QUEUE_GRACE
    return Letter.objects.create(
        notice=notice,
        kind="acknowledgement",
        to_email=address,
        subject=f"{notice.reference}: test",
        body_text="text",
        body_html="<p>html</p>",
        message_id=emails.new_message_id(),
        created_at=now,
        next_attempt_at=now,
        **fields,
    )


def test_the_sweep_delivers_letters_the_broker_lost_exactly_once(client, celery_worker, inbox):
    client.post(reverse("notices:new"), form_data(email="e2e-first@lanternrow.example"))
    notice = Notice.objects.get()
    address = "e2e-lost@lanternrow.example"
    lost = _lost_letter(notice, address)

    with transaction.atomic():
        # Holding the row keeps the worker from claiming it until both sweeps are done.
        Letter.objects.select_for_update().get(id=lost.id)
        assert letters.letters_sweep() == 1
        assert letters.letters_sweep() == 1  # a second, overlapping sweep queues it again
    messages = inbox.wait_for(address)
    assert [m["Message-ID"] for m in messages] == [lost.message_id]
    lost.refresh_from_db()
    assert lost.state == "sent"


def test_a_letter_whose_worker_died_mid_send_is_sent_again(client, celery_worker, inbox):
    client.post(reverse("notices:new"), form_data(email="e2e-other@lanternrow.example"))
    notice = Notice.objects.get()
    address = "e2e-stale@lanternrow.example"
    claimed = timezone.now() - letters.STALE_SENDING - letters.QUEUE_GRACE
    stale = _lost_letter(notice, address, state="sending", claimed_at=claimed, attempts=1)

    assert letters.letters_sweep() == 1
    (message,) = inbox.wait_for(address)
    assert message["Message-ID"] == stale.message_id
    stale.refresh_from_db()
    assert (stale.state, stale.attempts) == ("sent", 2)


def test_a_sender_killed_mid_send_still_delivers_the_letter_once(
    client, celery_worker, inbox, smtp_server
):
    """SIGKILL the process sending a letter while the SMTP server holds its reply."""
    import signal
    import subprocess
    import sys
    import time
    from datetime import timedelta

    from tests.conftest import ROOT, worker_env

    client.post(reverse("notices:new"), form_data(email="e2e-first-kill@lanternrow.example"))
    notice = Notice.objects.get()
    address = "e2e-killed@lanternrow.example"
    letter = _lost_letter(notice, address)
    inbox.stall_seconds = 5
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); from notices.outbox.letters import letter_send; "
            "letter_send(letter_id=int(sys.argv[1]))",
            str(letter.id),
        ],
        cwd=ROOT,
        env=worker_env(smtp_server),
    )
    deadline = time.monotonic() + 20
    while Letter.objects.get(id=letter.id).state != "sending":
        assert time.monotonic() < deadline, "the sender never started"
        time.sleep(0.05)
    time.sleep(0.5)  # in the middle of the SMTP conversation
    sender.send_signal(signal.SIGKILL)
    sender.wait(timeout=10)
    time.sleep(inbox.stall_seconds + 0.5)
    assert inbox.to(address) == []  # the killed send did not get through
    inbox.stall_seconds = 0

    letters.letters_sweep(now=timezone.now() + letters.STALE_SENDING + timedelta(seconds=1))
    (message,) = inbox.wait_for(address)
    assert message["Message-ID"] == letter.message_id
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == ("sent", 2)


def _acknowledged_without_its_task(address: str) -> Letter:
    """A notice stored by the intake, whose acknowledgement's task the broker lost: the
    row is committed unwritten, and nothing was published for it."""
    from django.db import connection

    from notices.core.intake import notice_submit
    from notices.models import Channel
    from tests.factories import submission

    with transaction.atomic():
        submitted = submission()
        submitted.complainant.email = address
        notice = notice_submit(submission=submitted, channel=Channel.API, actor="api:test")
        connection.run_on_commit.clear()  # the publish that the broker loses
    letter = notice.letters.get()
    assert (letter.subject, letter.body_text, letter.state) == ("", "", "queued")
    return letter


def test_an_acknowledgement_whose_worker_died_before_writing_it_goes_out_once(celery_worker, inbox):
    """One task lost by the broker; another letter claimed by a worker that died before
    writing it. The sweep finds both in the database; the worker writes each, stores its
    words and sends it once."""
    lost = _acknowledged_without_its_task("e2e-ack-lost@lanternrow.example")
    died = _acknowledged_without_its_task("e2e-ack-died@lanternrow.example")
    claimed = timezone.now() - letters.STALE_SENDING - letters.QUEUE_GRACE
    Letter.objects.filter(id=died.id).update(state="sending", claimed_at=claimed, attempts=1)

    assert letters.letters_sweep(now=timezone.now() + letters.QUEUE_GRACE) == 2
    for letter in (lost, died):
        (message,) = inbox.wait_for(letter.to_email)
        letter.refresh_from_db()
        assert letter.state == "sent"
        assert message["Message-ID"] == letter.message_id
        # The records keep the letter as it went out.
        assert message["Subject"] == letter.subject
        assert letter.notice.reference in letter.subject
        body = message.get_body(("plain",)).get_content()
        assert body.strip().splitlines() == letter.body_text.strip().splitlines()
        assert f"/notices/status/{letter.notice.status_token}/" in body
    assert letters.letters_sweep(now=timezone.now() + letters.QUEUE_GRACE) == 0
