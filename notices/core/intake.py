"""Intake: a notice becomes a case, with a reference and an acknowledgement, in one
transaction or not at all. The public form, the API, the mailbox and the desk's log page
all store notices through `notice_submit`.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from iija_compliance.lib import rows
from iija_compliance.lib.signing import Signing
from notices.models import (
    Attachment,
    Channel,
    InfringingItem,
    Letter,
    Notice,
    NoticeEvent,
    ReferenceSequence,
    Work,
)
from notices.models.workflow import Status
from notices.outbox.letters import letter_draft, letters_store

from . import deadlines, statutory
from .cases import NoticeError, lock_case, move_case, record_event, status_url
from .locations import Location, LocationError
from .subscribers import match_subscribers

# Web and API submissions are checked before they are stored; logged paper notices are
# stored as received and their checklist shows what is missing.
CHECKED_CHANNELS = {Channel.WEB, Channel.API}
# A notice that came on paper and gave no e-mail address is acknowledged by post; one that
# came by e-mail waits for the agent to confirm the address (notice_acknowledge_to).
BY_POST = {Channel.POST, Channel.FAX}


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
    # The items are read and matched before the transaction.
    items = item_rows(submission.items, strict=channel in CHECKED_CHANNELS)
    with transaction.atomic():
        (reference,) = ReferenceSequence.take(timezone.localtime(received_at).year)
        case = _case(
            submission,
            items,
            reference=reference,
            channel=channel,
            signing=signing or Signing(),
            received_at=received_at,
            revises=revises,
            api_sender=api_sender,
        )
        _write([case], actor=actor, now=now, acknowledge=acknowledge)
        if original:
            attach_original(case.notice, original, now)  # its path names the reference
    return case.notice


def notice_batch_submit(
    *,
    submissions: list[statutory.NoticeSubmission],
    channel: str,
    actor: str,
    api_sender=None,
    now: datetime | None = None,
) -> list[Notice]:
    """Store several notices, received together, in one transaction: all or none, with
    references in their order."""
    now = now or timezone.now()
    if not submissions:
        return []  # nothing to number
    for submission in submissions:
        _refuse_incomplete(submission, channel)
    strict = channel in CHECKED_CHANNELS
    batch = items_rows([submission.items for submission in submissions], strict=strict)
    with transaction.atomic():
        references = ReferenceSequence.take(timezone.localtime(now).year, len(submissions))
        cases = [
            _case(
                submission,
                items,
                reference=reference,
                channel=channel,
                signing=Signing(),
                received_at=now,
                revises=None,
                api_sender=api_sender,
            )
            for submission, items, reference in zip(submissions, batch, references, strict=True)
        ]
        _write(cases, actor=actor, now=now, acknowledge=True)
    return [case.notice for case in cases]


def _refuse_incomplete(submission: statutory.NoticeSubmission, channel: str) -> None:
    if channel in CHECKED_CHANNELS and (missing := statutory.deficiencies(submission)):
        raise NoticeError("The notice is missing required elements.", missing)


@dataclass
class _Case:
    """A notice and its rows, not yet stored."""

    notice: Notice
    works: list[Work]
    items: list[InfringingItem]
    submitted_works: int


def _case(
    submission: statutory.NoticeSubmission,
    items: list[InfringingItem],
    *,
    reference: str,
    channel: str,
    signing: Signing,
    received_at: datetime,
    revises: Notice | None,
    api_sender,
) -> _Case:
    c = submission.complainant
    notice = Notice(
        reference=reference,
        channel=channel,
        received_at=received_at,
        act_by=deadlines.review_target(received_at),
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
    works = [
        Work(position=i, description=w.description.strip(), url=w.url)
        for i, w in enumerate(submission.works)
        if w.description.strip()
    ]
    return _Case(notice, works, items, submitted_works=len(submission.works))


def _write(cases: list[_Case], *, actor: str, now: datetime, acknowledge: bool) -> None:
    """The notices (their ids read back), then everything that points at them together:
    works, items, the audit events and the acknowledgements (written when sent)."""
    rows.insert([case.notice for case in cases], ids=True)
    for case in cases:
        for row in (*case.works, *case.items):
            row.notice = case.notice
    items = [item for case in cases for item in case.items]
    many = len(items) >= rows.COPY_FROM_ROWS
    if many:
        rows.copy(items)  # streamed; COPY cannot run inside the pipeline
    with rows.pipeline():
        rows.insert([work for case in cases for work in case.works])
        rows.insert([] if many else items)
        rows.insert([_received(case, actor, now) for case in cases])
        if acknowledge:
            letters_store(
                [
                    _acknowledgement(case.notice, len(case.works), case.items, now)
                    for case in cases
                    if case.notice.email or case.notice.channel in BY_POST
                ]
            )


def _received(case: _Case, actor: str, now: datetime) -> NoticeEvent:
    return NoticeEvent(
        notice=case.notice,
        at=now,
        actor=actor,
        action="notice.received",
        to_status=Status.RECEIVED,
        data={
            "channel": case.notice.channel,
            "works": case.submitted_works,
            "items": len(case.items),
        },
    )


def _acknowledgement(
    notice: Notice, work_count: int, items: list[InfringingItem], now: datetime
) -> Letter:
    return letter_draft(
        notice=notice,
        kind="acknowledgement",
        to_email=notice.email,
        context={
            "status_url": status_url(notice),
            "work_count": work_count,
            "item_count": len(items),
            # § 512(c)(3)(A)(iii): lines of a mailed notice we cannot read as a location.
            "not_located": [item.location for item in items if not item.kind],
        },
        now=now,
        write_when_sent=True,
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
        items = list(notice.items.only("location", "kind"))
        letters_store([_acknowledgement(notice, notice.works.count(), items, now)])
    return notice


def item_rows(items: list[statutory.Item], strict: bool) -> list[InfringingItem]:
    """The item rows, read and matched to subscribers, their notice not yet set."""
    return items_rows([items], strict)[0]


def items_rows(notices: list[list[statutory.Item]], strict: bool) -> list[list[InfringingItem]]:
    """item_rows for the items of several notices, matched to subscribers together."""
    read = [[_read(item, strict) for item in items] for items in notices]
    subscribers = match_subscribers(
        location.host if location else "" for locations in read for location in locations
    )
    return [
        [
            InfringingItem(
                position=position,
                location=item.location.strip()[:2048],
                kind=location.kind if location else "",
                normalized=location.normalized if location else "",
                location_hash=InfringingItem.hash_location(location.normalized) if location else "",
                host=location.host if location else "",
                description=item.description.strip(),
                subscriber=subscribers[location.host if location else ""],
            )
            for position, (item, location) in enumerate(zip(items, locations, strict=True))
        ]
        for items, locations in zip(notices, read, strict=True)
    ]


def _read(item: statutory.Item, strict: bool) -> Location | None:
    try:
        return item.read()  # read already by the statutory check
    except LocationError:
        if strict:
            raise
        return None  # a logged notice keeps what the original said


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
