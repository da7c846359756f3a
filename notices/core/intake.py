"""Intake: a notice becomes a case, with a reference and an acknowledgement, in one
transaction or not at all. The public form, the API, the mailbox and the desk's log page
all store notices through `notice_submit`.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from iija_compliance.lib.signing import Signing
from notices.models import (
    Attachment,
    Channel,
    InfringingItem,
    Letter,
    Notice,
    ReferenceSequence,
    Work,
)
from notices.models.workflow import Status
from notices.outbox.letters import letter_draft, letters_store

from . import statutory
from .cases import NoticeError, lock_case, move_case, record_event, status_url
from .locations import LocationError
from .subscribers import match_subscribers

# Web and API submissions are checked before they are stored; logged paper notices are
# stored as received and their checklist shows what is missing.
CHECKED_CHANNELS = {Channel.WEB, Channel.API}


def notice_submit(
    *,
    submission: statutory.NoticeSubmission,
    channel: str,
    actor: str,
    signing: Signing | None = None,
    received_at: datetime | None = None,
    original: UploadedFile | None = None,
    revises: Notice | None = None,
    api_sender=None,
    acknowledge: bool = True,
    now: datetime | None = None,
) -> Notice:
    """Store a takedown notice (§ 512(c)(3)(A)) with all its rows, and acknowledge it.

    All or nothing: the notice, its works and items, the original document, the audit
    event and the acknowledgement letter are written in one transaction. `received_at`
    is when the notice reached the Designated Agent (for post and fax, as logged).
    `acknowledge=False` stores the case without the letter (the mailbox's daily limit).
    """
    now = now or timezone.now()
    _refuse_incomplete(submission, channel)
    received_at = received_at or now
    # The items are read and matched before the transaction (see _number_and_acknowledge).
    items = item_rows(submission.items, strict=channel in CHECKED_CHANNELS)
    with transaction.atomic():
        stored = _store(
            submission,
            items,
            channel=channel,
            actor=actor,
            signing=signing or Signing(),
            received_at=received_at,
            revises=revises,
            api_sender=api_sender,
            now=now,
        )
        year = timezone.localtime(received_at).year
        _number_and_acknowledge([stored], year, now, acknowledge=acknowledge)
        if original:
            attach_original(stored.notice, original, now)  # its path names the reference
    return stored.notice


def notice_batch_submit(
    *,
    submissions: list[statutory.NoticeSubmission],
    channel: str,
    actor: str,
    api_sender=None,
    now: datetime | None = None,
) -> list[Notice]:
    """Store several notices, received together, in one transaction: all or none.

    Their references are taken in one step at the end, in order, so the year's counter
    that every other submission waits for is held from that step to the commit only, not
    while the whole batch is written.
    """
    now = now or timezone.now()
    if not submissions:
        return []  # nothing to number: the counter is not touched
    for submission in submissions:
        _refuse_incomplete(submission, channel)
    strict = channel in CHECKED_CHANNELS
    with transaction.atomic():
        batch = [
            _store(
                submission,
                item_rows(submission.items, strict=strict),
                channel=channel,
                actor=actor,
                signing=Signing(),
                received_at=now,
                revises=None,
                api_sender=api_sender,
                now=now,
            )
            for submission in submissions
        ]
        _number_and_acknowledge(batch, timezone.localtime(now).year, now)
    return [stored.notice for stored in batch]


def _refuse_incomplete(submission: statutory.NoticeSubmission, channel: str) -> None:
    if channel in CHECKED_CHANNELS and (missing := statutory.deficiencies(submission)):
        raise NoticeError("The notice is missing required elements.", missing)


@dataclass
class _Stored:
    notice: Notice
    work_count: int
    item_count: int


def _store(
    submission: statutory.NoticeSubmission,
    items: list[InfringingItem],
    *,
    channel: str,
    actor: str,
    signing: Signing,
    received_at: datetime,
    revises: Notice | None,
    api_sender,
    now: datetime,
) -> _Stored:
    """Write a notice, its works, items and audit event; its reference comes later."""
    c = submission.complainant
    notice = Notice.objects.create(
        reference=f"pending-{secrets.token_hex(6)}",  # unique; replaced before commit
        channel=channel,
        received_at=received_at,
        complainant_name=c.name.strip(),
        complainant_organization=c.organization.strip(),
        acting_as=c.acting_as,
        street=c.street.strip(),
        city=c.city.strip(),
        region=c.region.strip(),
        postal_code=c.postal_code.strip(),
        country=c.country,
        phone=c.phone,
        email=c.email.strip(),
        signature_name=submission.signature_name.strip(),
        signed_at=received_at if submission.signature_name.strip() else None,
        signature_ip=signing.ip,
        signature_user_agent=signing.user_agent[:500],
        good_faith_statement=(
            (submission.good_faith_text or statutory.GOOD_FAITH_STATEMENT)
            if submission.good_faith_statement
            else ""
        ),
        accuracy_statement=(
            (submission.accuracy_text or statutory.ACCURACY_STATEMENT)
            if submission.accuracy_statement
            else ""
        ),
        revises=revises,
        api_sender=api_sender,
    )
    works = Work.objects.bulk_create(
        Work(notice=notice, position=i, description=w.description.strip(), url=w.url)
        for i, w in enumerate(submission.works)
        if w.description.strip()
    )
    for item in items:
        item.notice = notice
    InfringingItem.objects.bulk_create(items)
    record_event(
        notice,
        actor,
        "notice.received",
        now,
        to_status=Status.RECEIVED,
        data={"channel": channel, "works": len(submission.works), "items": len(submission.items)},
    )
    return _Stored(notice, work_count=len(works), item_count=len(items))


def _number_and_acknowledge(
    batch: list[_Stored], year: int, now: datetime, acknowledge: bool = True
) -> None:
    """Give the notices their references, in order, and write their acknowledgements.

    Taking the numbers locks the year's counter until commit, and every other submission
    waits for that lock: so they are taken last, once the letters are rendered. A letter
    names its case's reference: it is drafted with the stand-in reference that each notice
    has until then, and the stand-in is replaced when the numbers are known.
    """
    letters = {
        s.notice.reference: _acknowledgement(s, now)
        for s in batch
        if s.notice.email and acknowledge
    }
    references = ReferenceSequence.take(year, len(batch))
    for stored, reference in zip(batch, references, strict=True):
        letter = letters.get(stored.notice.reference)
        if letter:
            for field in ("subject", "body_text", "body_html"):
                text = getattr(letter, field).replace(stored.notice.reference, reference)
                setattr(letter, field, text)
        stored.notice.reference = reference
    Notice.objects.bulk_update([stored.notice for stored in batch], ["reference"])
    letters_store(list(letters.values()))


def _acknowledgement(stored: _Stored, now: datetime) -> Letter:
    return letter_draft(
        notice=stored.notice,
        kind="acknowledgement",
        to_email=stored.notice.email,
        # The counts just stored, so the letter does not count them again.
        context={
            "status_url": status_url(stored.notice),
            "work_count": stored.work_count,
            "item_count": stored.item_count,
        },
        now=now,
    )


def notice_acknowledge_to(
    *, notice_id: int, email: str, actor: str, now: datetime | None = None
) -> Notice:
    """The agent confirms where a case is acknowledged (a mailed notice is acknowledged
    only to the address it came from): its letters go there from now on, and the
    acknowledgement is sent there now."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        notice.email = email
        notice.save(update_fields=["email"])
        record_event(
            notice,
            actor,
            "notice.acknowledgement_address",
            now,
            note="The agent confirmed the address to acknowledge; the acknowledgement is sent.",
            data={"email": email},
        )
        stored = _Stored(notice, notice.works.count(), notice.items.count())
        letters_store([_acknowledgement(stored, now)])
    return notice


def item_rows(items: list[statutory.Item], strict: bool) -> list[InfringingItem]:
    """The item rows, read and matched to subscribers, their notice not yet set."""
    locations = []
    for item in items:
        try:
            locations.append(item.read())  # read already by the statutory check
        except LocationError:
            if strict:
                raise
            locations.append(None)  # a logged notice keeps what the original said
    subscribers = match_subscribers(location.host if location else "" for location in locations)
    rows = []
    for position, (item, location) in enumerate(zip(items, locations, strict=True)):
        host = location.host if location else ""
        rows.append(
            InfringingItem(
                position=position,
                location=item.location.strip()[:2048],
                kind=location.kind if location else "",
                normalized=location.normalized if location else "",
                location_hash=InfringingItem.hash_location(location.normalized) if location else "",
                host=host,
                description=item.description.strip(),
                subscriber=subscribers[host],
            )
        )
    return rows


def attach_original(notice: Notice, upload: UploadedFile, now: datetime) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        notice=notice,
        name=upload.name[:255],
        content_type=(upload.content_type or "application/octet-stream")[:100],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_at=now,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def notice_revise(
    *,
    original: Notice,
    submission: statutory.NoticeSubmission,
    signing: Signing,
    now: datetime | None = None,
) -> Notice:
    """A corrected notice sent after a deficiency letter: a new case linked to the first."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_case(original.id)
        if locked.status != Status.DEFICIENT:
            raise NoticeError(f"{locked.reference} is not waiting for a corrected notice.")
        revision = notice_submit(
            submission=submission,
            channel=Channel.WEB,
            actor="complainant",
            signing=signing,
            revises=locked,
            now=now,
        )
        move_case(
            locked,
            "close",
            "complainant",
            now,
            f"Corrected by {revision.reference}",
            revision=revision.reference,
        )
    return revision
