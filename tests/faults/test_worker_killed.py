"""A Celery worker killed with SIGKILL while it is sending letters."""

import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from iija_compliance.lib import emails
from notices.models import Letter
from notices.outbox.letters import STALE_SENDING
from tests.factories import web_notice
from tests.faults.conftest import fault_env, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

LETTERS = 20


def _queued_letters(count: int) -> list[Letter]:
    notice = web_notice()
    Letter.objects.all().delete()  # the acknowledgement went to the test's own broker
    now = timezone.now() - STALE_SENDING
    return Letter.objects.bulk_create(
        Letter(
            notice=notice,
            kind="acknowledgement",
            to_email=f"letter-{n}@lanternrow.example",
            subject=f"Letter {n}",
            body_text="text",
            body_html="<p>html</p>",
            message_id=emails.new_message_id(),
            created_at=now,
            next_attempt_at=now,
        )
        for n in range(count)
    )


def test_letters_of_a_killed_worker_are_each_delivered_exactly_once(
    inbox, smtp_server, redis_server, start_celery, start_beat
):
    letters = _queued_letters(LETTERS)
    inbox.stall_seconds = 0.3  # each SMTP conversation takes a while: room to be killed in
    env = fault_env(smtp_server, redis_server)
    worker = start_celery(env)
    start_beat(env)

    def mid_send() -> bool:
        # Claimed less than half the server's hold ago: its "250" cannot have been sent yet.
        just_claimed = timezone.now() - timedelta(seconds=inbox.stall_seconds / 2)
        sending = Letter.objects.filter(state="sending", claimed_at__gt=just_claimed)
        return len(inbox.messages) >= 5 and sending.exists()

    wait_until(mid_send, 60, "the worker to be in the middle of a letter")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    (killed,) = Letter.objects.filter(state="sending")
    assert len(inbox.messages) < LETTERS

    # A new worker takes over; a sweep as late as the stale limit re-queues the letter
    # that was in the middle of its SMTP conversation when its worker died.
    start_celery(env)
    start_beat({**env, "FAST_BEAT_AHEAD_SECONDS": str(STALE_SENDING.total_seconds() + 31)})
    expected = sorted(letter.message_id for letter in letters)
    assert inbox.wait_for_letters(expected, timeout=90) == expected  # each once
    assert not Letter.objects.exclude(state=Letter.State.SENT).exists()
    killed.refresh_from_db()
    assert killed.attempts == 2  # tried again, and delivered once
