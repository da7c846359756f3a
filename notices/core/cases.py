"""The case's transitions: the only code that moves a case. Interfaces call these.

Each transition locks the case, checks the move against `workflow.TRANSITIONS`, changes
the case, writes an audit event and creates its letters, all in one transaction; the
letters are queued to Celery after commit.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notices.models import (
    InfringingItem,
    Notice,
    NoticeEvent,
    SubscriberNotification,
    workflow,
)
from notices.models.workflow import ACTED_ON, ItemAction, RejectionReason
from notices.outbox.letters import letter_create, letter_to_complainant

from . import deadlines, statutory
from .restoration import restore_material


class NoticeError(Exception):
    def __init__(self, message: str, checks: list[statutory.ElementCheck] | None = None):
        super().__init__(message)
        self.checks = checks or []


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
    notice.act_by = deadlines.target_date(notice)
    notice.save(update_fields=["status", "ended_at", "act_by"])
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
        submission = statutory.submission_of(notice)
        missing = statutory.deficiencies(submission)
        if not missing:
            raise NoticeError(f"{notice.reference}: every element is present; accept it instead.")
        if gaps := statutory.substantial_gaps(submission):
            raise NoticeError(
                f"{notice.reference}: it lacks {_named(gaps)}, so it does not substantially "
                "comply with (ii), (iii) and (iv) and § 512(c)(3)(B)(ii) does not call for a "
                "deficiency letter; reject it as not compliant."
            )
        move_case(
            notice, "mark_deficient", actor, now, note, missing=[c.element.id for c in missing]
        )
        letter_to_complainant(
            notice=notice,
            kind="deficiency",
            context={"missing": missing, "note": note, "status_url": status_url(notice)},
            now=now,
        )
    return notice


def notice_reject(
    *, notice_id: int, reason: str, actor: str, note: str = "", now: datetime | None = None
) -> Notice:
    """Reject a notice. § 512(c)(3)(B)(ii): one that substantially complies with (ii), (iii)
    and (iv) calls for an attempt to obtain a compliant notice, not a rejection as
    non-compliant; the other reasons stay open."""
    now = now or timezone.now()
    reason = RejectionReason(reason)
    with transaction.atomic():
        notice = lock_case(notice_id)
        if reason == RejectionReason.NOT_COMPLIANT and statutory.substantially_complies(
            statutory.submission_of(notice)
        ):
            raise NoticeError(
                f"{notice.reference}: it substantially complies with (ii), (iii) and (iv), so "
                "§ 512(c)(3)(B)(ii) calls for a deficiency letter (or acceptance, if "
                "complete), not a rejection as not compliant."
            )
        move_case(notice, "reject", actor, now, note, reason=reason.value)
        notice.rejection_reason = reason
        notice.save(update_fields=["rejection_reason"])
        letter_to_complainant(
            notice=notice,
            kind="rejection",
            context={"reason": reason.label, "note": note, "status_url": status_url(notice)},
            now=now,
        )
    return notice


def _named(checks: list[statutory.ElementCheck]) -> str:
    return ", ".join(f"{c.element.citation} {c.element.title}" for c in checks)


def notice_accept(*, notice_id: int, actor: str, now: datetime | None = None) -> Notice:
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        missing = statutory.deficiencies(statutory.submission_of(notice))
        if missing:
            raise NoticeError(
                f"{notice.reference}: cannot be accepted; it lacks {_named(missing)}."
            )
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
        move_case(
            notice, "disable_material", actor, now, items={str(i): a for i, a in acted.items()}
        )
        for item_id, action in actions.items():
            # "Not acted on" is stored too: the agent's decision, which the complainant sees.
            item = items[item_id]
            item.action, item.actioned_at = ItemAction(action), now
            item.save(update_fields=["action", "actioned_at"])
        _notify_subscribers(notice, [items[i] for i in acted], now)
        _report_takedown(notice, now)
    return notice


def _report_takedown(notice: Notice, now: datetime) -> None:
    """Tell the complainant what was done to each location they reported."""
    letter_to_complainant(
        notice=notice,
        kind="material_actioned",
        context={
            "items": list(notice.items.all()),
            "subscriber_told": notice.notifications.exists(),
            "status_url": status_url(notice),
        },
        now=now,
    )


def _notify_subscribers(notice: Notice, items: list[InfringingItem], now: datetime) -> None:
    """§ 512(g)(2)(A): tell each subscriber what was taken down and how to answer. Material
    not yet traced to a subscriber is down all the same; its subscriber is told when an
    item is matched (`item_assign_subscriber`, `notices_rematch`)."""
    by_subscriber: dict[int, list[InfringingItem]] = {}
    for item in items:
        if item.subscriber_id:
            by_subscriber.setdefault(item.subscriber_id, []).append(item)
    unmatched = len(items) - sum(map(len, by_subscriber.values()))
    if unmatched:
        record_event(
            notice,
            "system",
            "notice.unmatched_material",
            now,
            note=f"{unmatched} item(s) acted on with no subscriber known yet: match them to "
            "a subscriber, and the subscriber is notified then.",
        )
    for subscriber_items in by_subscriber.values():
        notify_subscriber(notice, subscriber_items, now)


def notify_subscriber(notice: Notice, items: list[InfringingItem], now: datetime) -> None:
    """Write one subscriber's notification letter for these items, with the private link
    to a counter notice (the same link if the subscriber was told of other items before);
    the case moves on to "Subscriber notified" with its first notification."""
    if notice.status == workflow.Status.MATERIAL_DISABLED:
        move_case(notice, "notify_subscribers", "system", now)
    subscriber = items[0].subscriber
    notification = notice.notifications.filter(subscriber=subscriber).first()
    first = notification is None
    if first:
        notification = SubscriberNotification(notice=notice, subscriber=subscriber, created_at=now)
    letter = letter_create(
        notice=notice,
        kind="subscriber_notification",
        to_email=subscriber.notice_email,
        context={
            "subscriber": subscriber,
            "items": items,
            "works": list(notice.works.all()),
            "counter_notice_url": settings.SITE_URL
            + reverse("counter_notice_new", args=[notification.token]),
        },
        now=now,
    )
    if first:
        notification.letter = letter
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
        if not item.matchable or item.action and not subscriber_id:
            raise NoticeError("This item was already acted on; its subscriber cannot change.")
        set_subscriber(item, subscriber_id, actor, now, by_hand=True)
    return item


def set_subscriber(
    item: InfringingItem, subscriber_id: int | None, actor: str, now: datetime, by_hand: bool
) -> None:
    """Match an item of a locked case to a subscriber and record it. Material already taken
    down that had no subscriber yet: the subscriber is notified now."""
    before = item.subscriber_id
    item.subscriber_id = subscriber_id
    item.subscriber_set_by_hand = by_hand
    item.save(update_fields=["subscriber", "subscriber_set_by_hand"])
    record_event(
        item.notice,
        actor,
        "item.subscriber_set" if by_hand else "item.subscriber_matched",
        now,
        data={"item": item.id, "from": before, "to": subscriber_id},
    )
    if item.action in ACTED_ON and before is None and subscriber_id:
        notify_subscriber(item.notice, [item], now)
