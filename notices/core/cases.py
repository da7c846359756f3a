"""Services: the only code that writes a case. Interfaces call these and nothing else.

Each transition locks the case, checks the move against `workflow.TRANSITIONS`, changes
the case, writes an audit event and creates its letters, all in one transaction; the
letters are queued to Celery after commit.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notices.models import (
    Attachment,
    Channel,
    InfringingItem,
    Letter,
    Notice,
    NoticeEvent,
    ReferenceSequence,
    Subscriber,
    SubscriberEvent,
    SubscriberNotification,
    Work,
    workflow,
)
from notices.models.workflow import ItemAction, RejectionReason, Status
from notices.outbox.letters import letter_create, letter_draft, letters_store

from . import statutory
from .locations import LocationError
from .restoration import restore_material
from .subscribers import match_subscribers

# Web and API submissions are checked before they are stored; logged paper notices are
# stored as received and their checklist shows what is missing.
CHECKED_CHANNELS = {Channel.WEB, Channel.API}


class NoticeError(Exception):
    def __init__(self, message: str, checks: list[statutory.ElementCheck] | None = None):
        super().__init__(message)
        self.checks = checks or []


@dataclass
class Signing:
    """Who signed, from where: recorded with an electronic signature."""

    ip: str | None = None
    user_agent: str = ""


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
    items = _items(submission.items, strict=channel in CHECKED_CHANNELS)
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
                _items(submission.items, strict=strict),
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


def _items(items: list[statutory.Item], strict: bool) -> list[InfringingItem]:
    """The item rows, their notice not yet set."""
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


def status_url(notice: Notice) -> str:
    return settings.SITE_URL + reverse("notices:status", args=[notice.status_token])


def record_event(notice: Notice, actor: str, action: str, now: datetime, **fields) -> NoticeEvent:
    return NoticeEvent.objects.create(notice=notice, at=now, actor=actor, action=action, **fields)


def move_case(notice: Notice, name: str, actor: str, now: datetime, note: str = "", **data) -> None:
    """Apply one transition of `workflow.TRANSITIONS` to a locked case and log it."""
    if not workflow.allowed(name, notice.status):
        raise NoticeError(f"{notice.reference}: {workflow.refusal(name, notice.status)}")
    before = notice.status
    getattr(notice, name)()
    notice.ended_at = now if notice.status in workflow.FINAL else None
    notice.save(update_fields=["status", "ended_at"])
    record_event(
        notice,
        actor,
        f"notice.{name}",
        now,
        from_status=before,
        to_status=notice.status,
        note=note,
        data=data,
    )


def lock_case(notice_id: int) -> Notice:
    # Two agents (or an agent and a task) may act on one case at once: lock it first.
    return Notice.objects.select_for_update().get(id=notice_id)


def notice_start_review(*, notice_id: int, actor: str, now: datetime | None = None) -> Notice:
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        move_case(notice, "start_review", actor, now)
    return notice


def notice_mark_deficient(
    *, notice_id: int, actor: str, note: str = "", now: datetime | None = None
) -> Notice:
    """§ 512(c)(3)(B)(ii): ask for a compliant notice, naming each missing element."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        checks = statutory.check_notice(notice.submission())
        missing = [check for check in checks if not check.satisfied]
        if not missing:
            raise NoticeError(f"{notice.reference}: every element is present; accept it instead.")
        if not statutory.substantially_complies(checks):
            raise NoticeError(
                f"{notice.reference}: it does not substantially comply with (ii), (iii) and "
                "(iv), so § 512(c)(3)(B)(ii) does not call for a deficiency letter; reject it."
            )
        if not notice.email:
            raise NoticeError(f"{notice.reference}: there is no e-mail address to write to.")
        move_case(
            notice, "mark_deficient", actor, now, note, missing=[c.element.id for c in missing]
        )
        letter_create(
            notice=notice,
            kind="deficiency",
            to_email=notice.email,
            context={"missing": missing, "note": note, "status_url": status_url(notice)},
            now=now,
        )
    return notice


def notice_reject(
    *, notice_id: int, reason: str, actor: str, note: str = "", now: datetime | None = None
) -> Notice:
    now = now or timezone.now()
    reason = RejectionReason(reason)
    with transaction.atomic():
        notice = lock_case(notice_id)
        move_case(notice, "reject", actor, now, note, reason=reason.value)
        notice.rejection_reason = reason
        notice.save(update_fields=["rejection_reason"])
        if notice.email:
            letter_create(
                notice=notice,
                kind="rejection",
                to_email=notice.email,
                context={"reason": reason.label, "note": note, "status_url": status_url(notice)},
                now=now,
            )
    return notice


def notice_accept(*, notice_id: int, actor: str, now: datetime | None = None) -> Notice:
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        missing = statutory.deficiencies(notice.submission())
        if missing:
            names = ", ".join(f"{c.element.citation} {c.element.title}" for c in missing)
            raise NoticeError(f"{notice.reference}: cannot be accepted; it lacks {names}.")
        move_case(notice, "accept", actor, now)
    return notice


def notice_disable_material(
    *, notice_id: int, actions: dict[int, str], actor: str, now: datetime | None = None
) -> Notice:
    """§ 512(c)(1)(C): record what was done to each item, then notify the subscribers."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        items = {item.id: item for item in notice.items.select_related("subscriber")}
        acted = {i: ItemAction(a) for i, a in actions.items() if a != ItemAction.NOT_ACTIONED}
        if not acted:
            raise NoticeError(f"{notice.reference}: no item was acted on.")
        unknown = set(actions) - set(items)
        if unknown:
            raise NoticeError(f"{notice.reference}: items {sorted(unknown)} are not in this case.")
        orphans = [items[i].location for i in acted if items[i].subscriber is None]
        if orphans:
            raise NoticeError(
                f"{notice.reference}: no subscriber is known for {', '.join(orphans[:3])}; "
                "match a subscriber first or leave it not acted on."
            )
        move_case(
            notice, "disable_material", actor, now, items={str(i): a for i, a in acted.items()}
        )
        for item_id, action in acted.items():
            item = items[item_id]
            item.action, item.actioned_at = action, now
            item.save(update_fields=["action", "actioned_at"])
        _notify_subscribers(notice, [items[i] for i in acted], now)
    return notice


def _notify_subscribers(notice: Notice, items: list[InfringingItem], now: datetime) -> None:
    """§ 512(g)(2)(A): tell each subscriber what was taken down and how to answer."""
    move_case(notice, "notify_subscribers", "system", now)
    by_subscriber: dict[int, list[InfringingItem]] = {}
    for item in items:
        by_subscriber.setdefault(item.subscriber_id, []).append(item)
    for subscriber_items in by_subscriber.values():
        subscriber = subscriber_items[0].subscriber
        notification = SubscriberNotification(notice=notice, subscriber=subscriber, created_at=now)
        notification.letter = letter_create(
            notice=notice,
            kind="subscriber_notification",
            to_email=subscriber.notice_email,
            context={
                "subscriber": subscriber,
                "items": subscriber_items,
                "works": list(notice.works.all()),
                "counter_notice_url": settings.SITE_URL
                + reverse("counter_notice_new", args=[notification.token]),
            },
            now=now,
        )
        notification.save()


def notice_withdraw(
    *, notice_id: int, actor: str, note: str = "", now: datetime | None = None
) -> Notice:
    """The complainant withdraws the notice: the case ends and taken-down material returns."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        move_case(notice, "withdraw", actor, now, note)
        # Counter notices have nothing left to wait for (states named by the counter-notice
        # app, which depends on this one, not the other way round).
        notice.counter_notices.filter(state__in=["pending", "due"]).update(state="cancelled")
        down = list(
            notice.items.exclude(action__in=["", ItemAction.NOT_ACTIONED])
            .filter(restored_at=None, restoration_requested_at=None)
            .select_related("subscriber")
        )
        by_subscriber: dict[int, list[InfringingItem]] = {}
        for item in down:
            by_subscriber.setdefault(item.subscriber_id, []).append(item)
        for items in by_subscriber.values():
            restore_material(
                notice=notice,
                subscriber=items[0].subscriber,
                items=items,
                reason="withdrawn",
                now=now,
            )
    return notice


def notice_close(*, notice_id: int, actor: str, note: str = "", now: datetime | None = None):
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        move_case(notice, "close", actor, now, note)
    return notice


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


def item_assign_subscriber(
    *, item_id: int, subscriber_id: int | None, actor: str, now: datetime | None = None
) -> InfringingItem:
    """The agent's manual match of an item to a subscriber (or to none)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the case, not only the item: a takedown running at the same time must see
        # either the old subscriber or the new one, never notify one and store the other.
        lock_case(InfringingItem.objects.values_list("notice_id", flat=True).get(id=item_id))
        item = InfringingItem.objects.select_for_update().get(id=item_id)
        if item.action:
            raise NoticeError("This item was already acted on; its subscriber cannot change.")
        before = item.subscriber_id
        item.subscriber_id = subscriber_id
        item.subscriber_set_by_hand = True
        item.save(update_fields=["subscriber", "subscriber_set_by_hand"])
        record_event(
            item.notice,
            actor,
            "item.subscriber_set",
            now,
            data={"item": item.id, "from": before, "to": subscriber_id},
        )
    return item


def subscriber_terminate(
    *, subscriber_id: int, reason: str, actor: str, now: datetime | None = None
) -> Subscriber:
    """§ 512(i): record the decision to terminate a repeat infringer's account."""
    return _account_decide(subscriber_id, SubscriberEvent.Action.TERMINATED, reason, actor, now)


def subscriber_reinstate(
    *, subscriber_id: int, reason: str, actor: str, now: datetime | None = None
) -> Subscriber:
    """Reverse a termination (a notice counted by mistake, say); the history keeps both."""
    return _account_decide(subscriber_id, SubscriberEvent.Action.REINSTATED, reason, actor, now)


def _account_decide(subscriber_id, action, reason, actor, now) -> Subscriber:
    now = now or timezone.now()
    terminate = action == SubscriberEvent.Action.TERMINATED
    reason = reason.strip()
    if not reason:
        raise NoticeError(
            f"Give the reason for the {'termination' if terminate else 'reinstatement'}."
        )
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(id=subscriber_id)
        if terminate and subscriber.terminated_at:
            raise NoticeError(f"{subscriber} was already terminated.")
        if not terminate and not subscriber.terminated_at:
            raise NoticeError(f"{subscriber} is not terminated.")
        subscriber.terminated_at = now if terminate else None
        subscriber.termination_reason = reason if terminate else ""
        subscriber.save(update_fields=["terminated_at", "termination_reason"])
        SubscriberEvent.objects.create(
            subscriber=subscriber, at=now, actor=actor, action=action, reason=reason
        )
    return subscriber
