"""The SMTP server refusing mail for a while, then recovering."""

from datetime import timedelta

import pytest
from django.urls import reverse

from notices.models import Letter
from tests.conftest import desk_today
from tests.faults.conftest import fault_env, wait_until
from tests.faults.test_worker_killed import _queued_letters

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

LETTERS = 10
BACKOFF = [1, 2, 3, 3, 3, 3, 3, 3]  # seconds here; minutes to hours in production


def test_letters_retry_with_backoff_show_in_the_admin_and_go_out_once(
    inbox, smtp_server, redis_server, start_celery, start_beat, admin_client
):
    letters = _queued_letters(LETTERS)
    inbox.refuse_with = "451 4.3.0 Mail system busy, try again later"
    env = fault_env(
        smtp_server, redis_server, FAULT_LETTER_RETRY_BACKOFF=",".join(map(str, BACKOFF))
    )
    start_celery(env)
    start_beat(env)

    retried: list[Letter] = []

    def all_retried_and_waiting() -> bool:  # read at one moment, between two attempts
        retried[:] = Letter.objects.all()
        return all(r.attempts >= 2 and r.state == Letter.State.QUEUED for r in retried)

    wait_until(all_retried_and_waiting, 60, "every letter to be tried twice")
    for letter in retried:
        assert "451" in letter.last_error
        wait = timedelta(seconds=BACKOFF[letter.attempts - 1])
        assert letter.next_attempt_at - letter.claimed_at == wait

    desk = desk_today(admin_client.get(reverse("admin:index")).content.decode())
    retrying, urgent = desk["Letters the mail server has not taken yet, retrying"]
    # The worker (one process) may hold one letter for its next try; the rest wait.
    assert urgent and LETTERS - 1 <= retrying <= LETTERS, retrying
    assert desk["Letters that failed"] == (0, False)
    listing = admin_client.get(
        reverse("admin:notices_letter_changelist") + "?attempts__gte=1"
    ).content.decode()
    assert listing.count("The mail server answered 451 4.3.0 Mail system busy") == LETTERS

    inbox.refuse_with = None
    expected = sorted(letter.message_id for letter in letters)
    assert inbox.wait_for_letters(expected, timeout=60) == expected  # each once
    assert set(Letter.objects.values_list("state", flat=True)) == {Letter.State.SENT}
