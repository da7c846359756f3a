"""The outbox against a real SMTP server: sent once, retried when the server fails."""

import socket
from datetime import UTC, datetime, timedelta

import pytest

from notices.core.intake import notice_submit
from notices.models import Channel, Letter, NoticeEvent
from notices.outbox import letters
from tests.factories import submission

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
ADDRESS = "m.okafor@lanternrow.example"


@pytest.fixture
def letter() -> Letter:
    notice = notice_submit(
        submission=submission(), channel=Channel.WEB, actor="public form", now=NOW
    )
    return notice.letters.get()


def test_it_sends_the_letter_as_stored(letter, inbox):
    letters.letter_send(letter_id=letter.id, now=NOW)
    (message,) = inbox.to(ADDRESS)
    letter.refresh_from_db()  # written when sent
    assert message["Subject"] == letter.subject
    assert message["Message-ID"] == letter.message_id
    assert "DMCA-2026-000001" in message.get_body(("plain",)).get_content()
    assert "Follow your case" in message.get_body(("html",)).get_content()
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == ("sent", 1)
    assert letter.sent_at is not None
    assert NoticeEvent.objects.filter(action="letter.sent", notice=letter.notice).count() == 1


def test_a_letter_is_sent_once_even_if_the_task_runs_twice(letter, inbox):
    letters.letter_send(letter_id=letter.id, now=NOW)
    letters.letter_send(letter_id=letter.id, now=NOW)
    assert len(inbox.to(ADDRESS)) == 1


def test_a_temporary_refusal_is_retried_with_backoff(letter, inbox, settings):
    settings.LETTER_RETRY_BACKOFF = [60, 300]
    inbox.refuse_with = "451 Try again later"
    letters.letter_send(letter_id=letter.id, now=NOW)
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == ("queued", 1)
    assert letter.next_attempt_at == NOW + timedelta(seconds=60)
    assert "451" in letter.last_error
    # Not due yet: a task that arrives early does nothing.
    letters.letter_send(letter_id=letter.id, now=NOW + timedelta(seconds=30))
    assert Letter.objects.get(id=letter.id).attempts == 1

    inbox.refuse_with = None
    letters.letter_send(letter_id=letter.id, now=NOW + timedelta(seconds=61))
    letter.refresh_from_db()
    assert (letter.state, letter.attempts, letter.last_error) == ("sent", 2, "")
    assert len(inbox.to(ADDRESS)) == 1


def test_it_gives_up_after_the_last_retry_and_says_why(letter, inbox, settings):
    settings.LETTER_RETRY_BACKOFF = [60]
    inbox.refuse_with = "451 Try again later"
    letters.letter_send(letter_id=letter.id, now=NOW)
    letters.letter_send(letter_id=letter.id, now=NOW + timedelta(seconds=60))
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == ("failed", 2)
    assert "451" in letter.last_error


def test_a_permanent_refusal_fails_at_once(letter, inbox):
    inbox.refuse_with = "550 No such mailbox"
    letters.letter_send(letter_id=letter.id, now=NOW)
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == ("failed", 1)
    assert "550" in letter.last_error


def test_an_unreachable_server_is_a_temporary_failure(letter, settings):
    settings.LETTER_RETRY_BACKOFF = [60]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # A port of this test's own that refuses connections: bound, never listening.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = closed.getsockname()
        settings.EMAIL_TIMEOUT = 2
        letters.letter_send(letter_id=letter.id, now=NOW)
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == ("queued", 1)
    assert letter.next_attempt_at == NOW + timedelta(seconds=60)
    assert letter.last_error.startswith("ConnectionRefusedError")


def test_an_unexpected_error_leaves_the_letter_to_retry_not_stuck(letter, settings):
    settings.EMAIL_BACKEND = "tests.notices.outbox.test_letters.BrokenBackend"
    letters.letter_send(letter_id=letter.id, now=NOW)
    letter.refresh_from_db()
    assert letter.state == "queued"
    assert "RuntimeError: the backend broke" in letter.last_error


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise RuntimeError("the backend broke")
