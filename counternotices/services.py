"""Counter notices and the statutory clock (§ 512(g)(2)(B)-(C)).

The restoration window is computed once, at receipt, and stored. The sweep reads it from
the database: the broker only delivers work, so a flushed broker or a day without beat
is caught up on the next run.
"""

from datetime import date, datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from iija_compliance.lib.business_days import (
    local_date,
    restoration_opens_at,
    restoration_window,
    start_of_day,
)
from iija_compliance.lib.signing import Signing
from notices.core.cases import NoticeError, lock_case, move_case, record_event, status_url
from notices.core.intake import attach_original
from notices.core.restoration import restore_material
from notices.models import (
    InfringingItem,
    Notice,
    NoticeEvent,
    SubscriberNotification,
    workflow,
)
from notices.models.workflow import Status
from notices.outbox.letters import letter_create, letter_to_complainant

from . import statutory
from .models import CounterNotice, CourtAction

# Cases whose clock is running: a counter notice is pending or its restoration is due.
CLOCK_RUNNING = (Status.COUNTER_NOTICED, Status.RESTORATION_SCHEDULED)


def counter_notice_submit(
    *,
    notice_id: int,
    subscriber_id: int,
    item_ids: list[int],
    submission: statutory.CounterNoticeSubmission,
    channel: str,
    actor: str,
    signing: Signing | None = None,
    received_at: datetime | None = None,
    original: UploadedFile | None = None,
    notification: SubscriberNotification | None = None,
    now: datetime | None = None,
) -> CounterNotice:
    """Receive a counter notice: store it, fix its window, forward a copy to the complainant.

    `received_at` is when it reached the Designated Agent; the window counts from it.
    """
    now = now or timezone.now()
    received_at = received_at or now
    signing = signing or Signing()
    with transaction.atomic():
        notice = lock_case(notice_id)
        items = list(
            notice.items.filter(id__in=item_ids, subscriber_id=subscriber_id, restored_at=None)
            .exclude(action__in=["", workflow.ItemAction.NOT_ACTIONED])
            .order_by("position")
        )
        if not items or len(items) != len(set(item_ids)):
            raise NoticeError("Choose material of yours that this case removed or disabled.")
        if notification and notice.counter_notices.filter(notification=notification).exists():
            raise NoticeError("A counter notice was already received through this link.")
        submission.locations = [item.location for item in items]
        missing = statutory.deficiencies(submission)
        if missing:
            # § 512(g)(2)(C) runs only for a counter notice that meets paragraph (3); an
            # incomplete one, however it came, does not start the clock.
            names = ", ".join(f"{c.element.citation} {c.element.title}" for c in missing)
            raise NoticeError(f"The counter notice lacks {names}; it cannot start the clock.")
        not_before, not_after = restoration_window(received_at)
        counter = CounterNotice.objects.create(
            notice=notice,
            subscriber_id=subscriber_id,
            notification=notification,
            channel=channel,
            received_at=received_at,
            original=attach_original(notice, original, now) if original else None,
            name=submission.name.strip(),
            street=submission.street.strip(),
            city=submission.city.strip(),
            region=submission.region.strip(),
            postal_code=submission.postal_code.strip(),
            country=submission.country,
            phone=submission.phone,
            email=submission.email.strip(),
            signature_name=submission.signature_name.strip(),
            signed_at=received_at if submission.signature_name.strip() else None,
            signature_ip=signing.ip,
            signature_user_agent=signing.user_agent[:500],
            mistake_statement=statutory.MISTAKE_STATEMENT if submission.mistake_statement else "",
            consent_statement=(
                statutory.consent_statement(submission.country)
                if submission.consent_to_jurisdiction
                else ""
            ),
            restore_not_before=not_before,
            restore_not_after=not_after,
        )
        counter.items.set(items)
        window = {
            "restore_not_before": not_before.isoformat(),
            "restore_not_after": not_after.isoformat(),
        }
        if notice.status == Status.RESTORATION_SCHEDULED:
            record_event(
                notice,
                actor,
                "counternotice.received",
                now,
                data={"counter_notice": counter.id, **window},
            )
        else:
            move_case(notice, "counter_notice", actor, now, counter_notice=counter.id, **window)
        _keep_act_by(notice)
        _forward(counter, items, now)
    return counter


def _forward(counter: CounterNotice, items: list[InfringingItem], now: datetime) -> None:
    """§ 512(g)(2)(B): a copy to the complaining party, and a receipt to the subscriber."""
    notice = counter.notice
    context = {"counter": counter, "items": items, "status_url": status_url(notice)}
    # The desk's transcription of a counter notice that came by post, e-mail or fax goes
    # with the original itself: § 512(g)(2)(B) asks for "a copy of the counter notification".
    letter_to_complainant(
        notice=notice,
        kind="counter_notice_copy",
        context=context,
        now=now,
        attachments=[counter.original] if counter.original else [],
    )
    if not notice.email:
        # A notice that came by post has no e-mail: the agent must post the copy.
        record_event(
            notice,
            "system",
            "counternotice.copy_by_post_needed",
            now,
            data={"counter_notice": counter.id},
        )
    letter_create(
        notice=notice,
        kind="counter_notice_receipt",
        to_email=counter.email or counter.subscriber.notice_email,
        context=context,
        now=now,
    )


def court_action_report(
    *,
    notice_id: int,
    court: str,
    case_number: str,
    filed_on: date,
    complaint: UploadedFile | None,
    reported_by: str,
    counter_notice_id: int | None = None,
    received_at: datetime | None = None,
    now: datetime | None = None,
) -> CourtAction:
    """§ 512(g)(2)(C): notice that the complaining party "has filed an action seeking a court
    order to restrain the subscriber" stops that subscriber's restoration, if the Designated
    Agent receives it first, before the material is replaced. Other subscribers' counter
    notices in the case keep their clocks.

    `counter_notice_id` names the counter notice the action answers (needed only when the
    case has more than one); `received_at` is when the agent received the notice."""
    now = now or timezone.now()
    received_at = received_at or now
    with transaction.atomic():
        notice = lock_case(notice_id)
        counter = _answered_counter(notice, counter_notice_id)
        stops = counter.state in (CounterNotice.State.PENDING, CounterNotice.State.DUE)
        action = CourtAction.objects.create(
            notice=notice,
            counter_notice=counter,
            court=court.strip(),
            case_number=case_number.strip(),
            filed_on=filed_on,
            complaint=attach_original(notice, complaint, now) if complaint else None,
            reported_by=reported_by,
            received_at=received_at,
            stopped_restoration=stops,
        )
        if not stops:
            _record_too_late(action, counter, now)
            return action
        if counter.state == CounterNotice.State.DUE:
            # Operations were already asked to restore: tell them to stop.
            restore_material(
                notice=notice,
                subscriber=counter.subscriber,
                items=list(counter.items.all()),
                reason="cancelled",
                now=now,
            )
        counter.state = CounterNotice.State.CANCELLED
        counter.save(update_fields=["state"])
        if _open_counters(notice).exists():
            record_event(
                notice, reported_by, "courtaction.received", now, data=_action_data(action)
            )
        else:
            move_case(notice, "court_action", reported_by, now, **_action_data(action))
        context = {"action": action, "counter": counter, "status_url": status_url(notice)}
        letter_to_complainant(notice=notice, kind="court_action_received", context=context, now=now)
        letter_create(
            notice=notice,
            kind="court_action_subscriber",
            to_email=counter.email or counter.subscriber.notice_email,
            context=context,
            now=now,
        )
    return action


def _answered_counter(notice: Notice, counter_notice_id: int | None) -> CounterNotice:
    counters = notice.counter_notices.select_related("subscriber").exclude(
        state=CounterNotice.State.CANCELLED
    )
    if counter_notice_id is not None:
        counter = counters.filter(id=counter_notice_id).first()
    else:
        candidates = list(counters[:2])
        if len(candidates) > 1:
            raise NoticeError(
                f"{notice.reference}: more than one subscriber sent a counter notice; name "
                "the one whose counter notice the court action answers."
            )
        counter = candidates[0] if candidates else None
    if counter is None:
        raise NoticeError(
            f"{notice.reference}: a court action matters only after a counter notice."
        )
    return counter


def _open_counters(notice: Notice):
    return notice.counter_notices.filter(
        state__in=[CounterNotice.State.PENDING, CounterNotice.State.DUE]
    )


def open_counter_notices(notice: Notice) -> list[CounterNotice]:
    """The counter notices whose restoration a court action could still stop."""
    return list(_open_counters(notice).select_related("subscriber").order_by("received_at"))


def _action_data(action: CourtAction) -> dict:
    return {
        "court_action": action.id,
        "counter_notice": action.counter_notice_id,
        "received_at": action.received_at.isoformat(),
    }


def _record_too_late(action: CourtAction, counter: CounterNotice, now: datetime) -> None:
    """The material was replaced before the action was reported: nothing is stopped. If
    the agent had received the notice before the replacement, that is worth a flag."""
    first = counter.restored_at is not None and action.received_at < counter.restored_at
    record_event(
        action.notice,
        action.reported_by,
        "courtaction.received_before_replacement" if first else "courtaction.after_restoration",
        now,
        data={
            **_action_data(action),
            "replaced_at": counter.restored_at.isoformat() if counter.restored_at else None,
        },
    )


def counter_notice_confirm_restored(
    *,
    counter_notice_id: int,
    actor: str,
    replaced_at: datetime | None = None,
    now: datetime | None = None,
) -> CounterNotice:
    """The agent confirms the material is back; both parties are told.

    `replaced_at` is when operations actually replaced the material (default: now): a court
    action received before that moment should have stopped it (§ 512(g)(2)(C), "first")."""
    now = now or timezone.now()
    entered, replaced_at = replaced_at is not None, replaced_at or now
    with transaction.atomic():
        counter = CounterNotice.objects.select_related("notice").get(id=counter_notice_id)
        notice = lock_case(counter.notice_id)
        counter.refresh_from_db()
        if counter.state != CounterNotice.State.DUE:
            raise NoticeError(
                f"{notice.reference}: restoration can be confirmed only once it is due "
                f"(this counter notice is “{counter.get_state_display()}”)."
            )
        if entered and (replaced_at > now or (counter.due_at and replaced_at < counter.due_at)):
            raise NoticeError(
                f"{notice.reference}: the material can only have been replaced between the "
                f"restoration request ({counter.due_at:%B %-d, %Y %H:%M}) and now."
            )
        counter.state, counter.restored_at = CounterNotice.State.RESTORED, replaced_at
        counter.save(update_fields=["state", "restored_at"])
        counter.items.update(restored_at=replaced_at)
        record_event(
            notice,
            actor,
            "counternotice.restored",
            now,
            data={"counter_notice": counter.id, "replaced_at": replaced_at.isoformat()},
        )
        next_move = _after_restoration(notice)
        if next_move:
            move_case(notice, next_move, actor, now, counter_notice=counter.id)
        _keep_act_by(notice)
        context = {
            "counter": counter,
            "items": list(counter.items.all()),
            "status_url": status_url(notice),
        }
        letter_to_complainant(notice=notice, kind="restored_complainant", context=context, now=now)
        letter_create(
            notice=notice,
            kind="restored_subscriber",
            to_email=counter.email or counter.subscriber.notice_email,
            context=context,
            now=now,
        )
    return counter


def _after_restoration(notice: Notice) -> str:
    """Where a case goes once one counter notice's material is back."""
    open_counters = _open_counters(notice)
    if open_counters.filter(state=CounterNotice.State.DUE).exists():
        return ""  # another restoration is due: the case stays "restoration due"
    if open_counters.exists():
        return "await_window"
    still_down = notice.items.exclude(action__in=["", workflow.ItemAction.NOT_ACTIONED]).filter(
        restored_at=None
    )
    if notice.court_actions.filter(stopped_restoration=True).exists():
        return "court_action"  # the rest stays down: a court action stopped its restoration
    return "partly_restored" if still_down.exists() else "restore"


def counter_notices_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Open restoration windows whose day 10 has ended; escalate any still open on day 14.

    Safe to run twice and concurrently: each counter notice is claimed under a row lock
    (SKIP LOCKED, so two sweeps split the work) and moved only from the state that
    calls for the step, so a second run finds nothing left to do.
    """
    now = now or timezone.now()
    today = local_date(now)
    opened = escalated = 0
    due_ids = CounterNotice.objects.filter(
        state=CounterNotice.State.PENDING, restore_not_before__lt=today
    ).values_list("id", flat=True)
    for counter_id in list(due_ids):
        opened += _open_restoration(counter_id, now)
    overdue_ids = CounterNotice.objects.filter(
        state=CounterNotice.State.DUE, escalated_at=None, restore_not_after__lte=today
    ).values_list("id", flat=True)
    for counter_id in list(overdue_ids):
        escalated += _escalate(counter_id, now)
    return {"opened": opened, "escalated": escalated}


def _claim(counter_id: int, state: str) -> CounterNotice | None:
    return (
        CounterNotice.objects.select_for_update(skip_locked=True)
        .select_related("notice", "subscriber")
        .filter(id=counter_id, state=state)
        .first()
    )


def _keep_act_by(notice: Notice) -> None:
    """The case's next date (notices/core/deadlines.py) while its counter notices' clocks
    run: the last day of a restoration that is due, else the first day of a window."""
    if notice.status not in CLOCK_RUNNING:
        return
    windows = notice.counter_notices.aggregate(
        due=Min("restore_not_after", filter=Q(state=CounterNotice.State.DUE)),
        pending=Min("restore_not_before", filter=Q(state=CounterNotice.State.PENDING)),
    )
    notice.act_by = windows["due"] or windows["pending"]
    notice.save(update_fields=["act_by"])


def _open_restoration(counter_id: int, now: datetime) -> int:
    with transaction.atomic():
        counter = _claim(counter_id, CounterNotice.State.PENDING)
        if counter is None or now < restoration_opens_at(counter.restore_not_before):
            return 0
        notice = lock_case(counter.notice_id)
        if notice.status not in CLOCK_RUNNING:
            # Withdrawn, closed or stopped by a court action: nothing to restore.
            counter.state = CounterNotice.State.CANCELLED
            counter.save(update_fields=["state"])
            return 0
        counter.state, counter.due_at = CounterNotice.State.DUE, now
        counter.save(update_fields=["state", "due_at"])
        if notice.status == Status.COUNTER_NOTICED:
            move_case(notice, "restoration_due", "system", now, counter_notice=counter.id)
        else:
            record_event(
                notice, "system", "counternotice.due", now, data={"counter_notice": counter.id}
            )
        _keep_act_by(notice)
        restore_material(
            notice=notice,
            subscriber=counter.subscriber,
            items=list(counter.items.all()),
            reason="counter_notice",
            now=now,
        )
    return 1


def _escalate(counter_id: int, now: datetime) -> int:
    """Day 14 has begun and the agent has not confirmed the restoration: raise the alarm."""
    with transaction.atomic():
        counter = _claim(counter_id, CounterNotice.State.DUE)
        if counter is None or counter.escalated_at or now < start_of_day(counter.restore_not_after):
            return 0
        if counter.notice.status not in CLOCK_RUNNING:
            counter.state = CounterNotice.State.CANCELLED
            counter.save(update_fields=["state"])
            return 0
        counter.escalated_at = now
        counter.save(update_fields=["escalated_at"])
        notice = counter.notice
        NoticeEvent.objects.create(
            notice=notice,
            at=now,
            actor="system",
            action="counternotice.escalated",
            data={
                "counter_notice": counter.id,
                "restore_not_after": counter.restore_not_after.isoformat(),
            },
        )
        letter_create(
            notice=notice,
            kind="restoration_overdue",
            to_email=settings.DESIGNATED_AGENT["email"],
            context={
                "counter": counter,
                "items": list(counter.items.all()),
                "admin_url": settings.SITE_URL
                + reverse("admin:counternotices_counternotice_change", args=[counter.id]),
            },
            now=now,
        )
    return 1
