"""The outbox. Every letter is a row before it is an e-mail (§ 512 letters are records).

A letter is created in the same transaction as the event that calls for it, queued to
Celery after commit, and sent by `letter_send`, which claims the row first so that a task
delivered twice sends once. `letters_sweep` queues whatever the broker lost. A letter
drafted to be written when sent (the acknowledgement: a notice is received when it is
stored, not when its letter is written) is rendered by `letter_send` once claimed, and
its words are stored before they go out: the records keep the letter as sent.
"""

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from iija_compliance.lib import emails, rows
from iija_compliance.lib.dispatch import enqueue, enqueue_soon
from notices.models import (
    Attachment,
    InboundMessage,
    Letter,
    NetworkCase,
    Notice,
    NoticeEvent,
    Subscriber,
)

logger = logging.getLogger(__name__)

# A letter left "sending" this long means its worker died mid-send.
STALE_SENDING = timedelta(minutes=10)
# Letters younger than this were just queued after commit; the sweep leaves them be.
QUEUE_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500


def letter_create(
    *,
    notice: Notice | None = None,
    kind: str,
    to_email: str,
    context: dict,
    now: datetime,
    attachments: Sequence[Attachment] = (),
    subscriber: Subscriber | None = None,
    network_case: NetworkCase | None = None,
    write_when_sent: bool = False,
    inbound: InboundMessage | None = None,
) -> Letter:
    """Store a letter about a notice's case, or about a subscriber (and the network case it
    speaks of), or in answer to a message: queued to be sent once the caller's transaction
    commits."""
    letter = letter_draft(
        notice=notice,
        kind=kind,
        to_email=to_email,
        context=context,
        now=now,
        subscriber=subscriber,
        network_case=network_case,
        write_when_sent=write_when_sent,
    )
    letter.inbound = inbound
    letters_store([letter])
    if attachments:
        # In the same transaction: the letter is queued only once this commits.
        letter.attachments.set(attachments)
    return letter


def letter_to_complainant(
    *,
    notice: Notice,
    kind: str,
    context: dict,
    now: datetime,
    attachments: Sequence[Attachment] = (),
) -> Letter:
    """A letter to the complaining party: by e-mail, or, when the notice gave no e-mail
    address (§ 512(c)(3)(A)(iv) asks for one only "if available"), to post."""
    return letter_create(
        notice=notice,
        kind=kind,
        to_email=notice.email,
        context=context,
        now=now,
        attachments=attachments,
    )


def letter_mark_posted(*, letter_id: int, actor: str, now: datetime | None = None) -> Letter:
    """The agent printed the letter and put it in the post."""
    now = now or timezone.now()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter_id)
        if letter.state != Letter.State.TO_POST:
            raise ValueError(
                f"This letter is “{letter.get_state_display()}”, not waiting to be posted."
            )
        letter.state, letter.sent_at = Letter.State.POSTED, now
        letter.save(update_fields=["state", "sent_at"])
        _record_on_case(
            letter,
            at=now,
            actor=actor,
            action="letter.posted",
            data={"letter": letter.id, "kind": letter.kind},
        )
    return letter


def letter_draft(
    *,
    notice: Notice | None = None,
    kind: str,
    to_email: str,
    context: dict,
    now: datetime,
    write_when_sent: bool = False,
    subscriber: Subscriber | None = None,
    network_case: NetworkCase | None = None,
) -> Letter:
    """A letter not yet stored (`letters_store` stores it): rendered now, or, with
    `write_when_sent`, rendered by `letter_send` from the case and `context` (JSON)."""
    letter = Letter(
        notice=notice,
        subscriber=subscriber,
        network_case=network_case,
        kind=kind,
        to_email=to_email,
        message_id=emails.new_message_id(),
        created_at=now,
        # Delivery runs on the wall clock: a letter written by a sweep that was handed a
        # later `now` (tests move the clock) must still be sendable at once.
        next_attempt_at=min(now, timezone.now()),
        state=Letter.State.QUEUED if to_email else Letter.State.TO_POST,
    )
    # A letter to post is printed from the desk, so it is written now whatever was asked.
    if write_when_sent and to_email:
        letter.context = context
    else:
        _write(letter, context)
    return letter


def _write(letter: Letter, context: dict) -> None:
    owners = {
        "notice": letter.notice,
        "subscriber": letter.subscriber,
        "network_case": letter.network_case,
    }
    owners = {name: owner for name, owner in owners.items() if owner is not None}
    letter.subject, letter.body_text, letter.body_html = emails.render(
        letter.kind, {**owners, **context}
    )


def _record_on_case(letter: Letter, *, at: datetime, actor: str, action: str, data: dict) -> None:
    """A letter's event goes on its notice's audit trail; a letter about a subscriber is
    its own record (its state and times are the trail)."""
    if letter.notice_id:
        NoticeEvent.objects.create(
            notice_id=letter.notice_id, at=at, actor=actor, action=action, data=data
        )


def letters_store(letters: list[Letter]) -> None:
    """Store drafted letters in one statement; each is queued once the transaction commits."""
    rows.insert(letters, ids=True)
    for letter in letters:
        if letter.state == Letter.State.QUEUED:
            # Published in the background: the request does not wait for the broker.
            transaction.on_commit(partial(enqueue_soon, SEND_TASK, letter.id))


def letter_resend(*, letter_id: int, actor: str, now: datetime | None = None) -> Letter:
    """Send a stored letter again, word for word, as a new letter of the case."""
    now = now or timezone.now()
    with transaction.atomic():
        original = Letter.objects.get(id=letter_id)
        copy = Letter.objects.create(
            notice=original.notice,
            subscriber=original.subscriber,
            network_case=original.network_case,
            kind=original.kind,
            to_email=original.to_email,
            subject=original.subject,
            body_text=original.body_text,
            body_html=original.body_html,
            context=original.context,
            message_id=emails.new_message_id(),
            created_at=now,
            next_attempt_at=now,
            state=Letter.State.QUEUED if original.to_email else Letter.State.TO_POST,
        )
        copy.attachments.set(original.attachments.all())
        copy.originals.set(original.originals.all())
        _record_on_case(
            original,
            at=now,
            actor=actor,
            action="letter.resent",
            data={"letter": original.id, "copy": copy.id},
        )
        if copy.state == Letter.State.QUEUED:
            transaction.on_commit(lambda: letter_enqueue(copy.id))
    return copy


SEND_TASK = "notices.tasks.letter_send_task"


def letter_enqueue(letter_id: int) -> None:
    # The row is stored; if the broker is away, the sweep queues it once it answers again.
    enqueue(SEND_TASK, letter_id)


def letter_send(*, letter_id: int, now: datetime | None = None) -> None:
    now = now or timezone.now()
    # Claim the row: only one worker moves it from queued to sending.
    claimed = Letter.objects.filter(
        id=letter_id, state=Letter.State.QUEUED, next_attempt_at__lte=now
    ).update(state=Letter.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return
    letter = Letter.objects.select_related("notice", "subscriber", "network_case").get(id=letter_id)
    if not letter.body_text:
        _write(letter, letter.context)
        letter.context = {}
        # Stored before it goes out: if this worker dies now, the next attempt sends
        # these words.
        letter.save(update_fields=["subject", "body_text", "body_html", "context"])
    try:
        emails.send(
            to=letter.to_email,
            subject=letter.subject,
            text=letter.body_text,
            html=letter.body_html,
            message_id=letter.message_id,
            attachments=[
                *(_as_file(attachment) for attachment in letter.attachments.all()),
                *_originals(letter),
            ],
        )
    except Exception as exc:  # any failure must leave the row retryable, not stuck sending
        _record_failure(letter, exc, now)
        return
    letter.state = Letter.State.SENT
    letter.sent_at = timezone.now()
    letter.last_error = ""
    letter.save(update_fields=["state", "sent_at", "last_error"])
    _record_on_case(
        letter,
        at=letter.sent_at,
        actor="system",
        action="letter.sent",
        data={"letter": letter.id, "kind": letter.kind, "message_id": letter.message_id},
    )


def _as_file(attachment: Attachment) -> emails.File:
    with attachment.file.open("rb") as stored:
        return emails.File(attachment.name, stored.read(), attachment.content_type)


def _originals(letter: Letter) -> list[emails.File]:
    """The mails a letter forwards, as they arrived: notice-1.eml, notice-2.eml, ... in
    the order they were received (the names the letter's text gives them)."""
    files = []
    for number, inbound in enumerate(letter.originals.order_by("id"), start=1):
        with inbound.original.open("rb") as stored:
            files.append(emails.File(f"notice-{number}.eml", stored.read(), "message/rfc822"))
    return files


def _record_failure(letter: Letter, exc: Exception, now: datetime) -> None:
    backoff = settings.LETTER_RETRY_BACKOFF
    letter.last_error = _describe(exc)[:2000]
    if _is_permanent(exc) or letter.attempts > len(backoff):
        letter.state = Letter.State.FAILED
        logger.error("Letter %s failed for good after %s attempts", letter.id, letter.attempts)
    else:
        letter.state = Letter.State.QUEUED
        letter.next_attempt_at = now + timedelta(seconds=backoff[letter.attempts - 1])
        logger.warning("Letter %s not sent, retry at %s", letter.id, letter.next_attempt_at)
    letter.save(update_fields=["state", "next_attempt_at", "last_error"])


def _describe(exc: Exception) -> str:
    """The error as the agent reads it in the outbox."""
    if isinstance(exc, smtplib.SMTPResponseException):
        answer = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        return f"The mail server answered {exc.smtp_code} {answer}"
    return f"{type(exc).__name__}: {exc}"


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer will not change on retry; a 4xx or a broken connection may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def letters_sweep(*, now: datetime | None = None) -> int:
    """Queue every letter that is due and not being sent; return how many.

    Safe to run twice and concurrently: queuing only publishes ids, and `letter_send`
    claims each row before sending. A letter stuck in "sending" past STALE_SENDING had
    its worker killed mid-send: we cannot know whether the SMTP server took it, so it is
    sent again (at least once) with the same Message-ID, which lets a duplicate be told.
    """
    now = now or timezone.now()
    Letter.objects.filter(state=Letter.State.SENDING, claimed_at__lt=now - STALE_SENDING).update(
        state=Letter.State.QUEUED, next_attempt_at=min(now, timezone.now()) - QUEUE_GRACE
    )
    due = list(
        Letter.objects.filter(state=Letter.State.QUEUED, next_attempt_at__lte=now - QUEUE_GRACE)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )
    for letter_id in due:
        letter_enqueue(letter_id)
    return len(due)
