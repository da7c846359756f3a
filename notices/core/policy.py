"""The § 512(i) repeat-infringer policy: counting, the steps, the agent's decisions and
the suspensions and terminations that follow.

A subscriber's count is its counted notices within the last REPEAT_WINDOW_DAYS: URL
takedowns actioned against it (the ledger's definition, `subscribers.counted_notices`)
and network events traced to it (outcome `case`: duplicates, `not_ours` and `too_old`
never count), whoever sent them and whichever of its addresses they named. When the count
reaches a step of settings.REPEAT_POLICY, `policy_sweep` takes that step: an audit event
on the subscriber, and its letter (the step "forward" has none: the forwarding letters
are its letters). Nothing resets a count: a reinstated customer keeps its history, and
its next notice counts on top of the others.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from iija_compliance.lib.repeat_policy import ACKNOWLEDGED_ACTIONS, AGENT_ACTIONS, Step
from notices.models import (
    AddressAssignment,
    InfringingItem,
    Letter,
    Mitigation,
    NetworkCase,
    NetworkEvent,
    PolicyStep,
    Subscriber,
    SubscriberEvent,
)
from notices.models.policy import WAITING_FOR_AGENT
from notices.models.workflow import ACTED_ON
from notices.outbox.letters import letter_create

from .cases import NoticeError
from .subscribers import NOT_COUNTED, subscriber_reinstate, subscriber_terminate

SYSTEM = "system"
Action = SubscriberEvent.Action


def window_start(now: datetime) -> datetime:
    return now - timedelta(days=settings.REPEAT_WINDOW_DAYS)


# Counting -------------------------------------------------------------------------------


def _acted_items():
    """URL takedowns that count: material still down, the case not ended without effect
    (the ledger's rule, `subscribers.counted_notices`)."""
    return (
        InfringingItem.objects.filter(action__in=ACTED_ON, restored_at=None)
        .exclude(subscriber=None)
        .exclude(notice__status__in=NOT_COUNTED)
    )


def _counted_items(since: datetime, *group_by: str):
    """One counted notice per case and subscriber, counted from its first takedown."""
    return (
        _acted_items()
        .values(*group_by)
        .annotate(counted_at=Min("actioned_at"))
        .filter(counted_at__gte=since)
        .order_by()
    )


def _counted_events(since: datetime):
    return NetworkEvent.objects.filter(
        outcome=NetworkEvent.Outcome.CASE, received_at__gte=since
    ).exclude(subscriber=None)


def policy_counts(now: datetime, subscriber_ids=None) -> dict[int, tuple[int, datetime]]:
    """Each subscriber's counted notices in the window and the newest one's moment, for
    all subscribers (or these): two grouped queries, whatever their number."""
    since = window_start(now)
    items = _counted_items(since, "subscriber_id", "notice_id")
    events = _counted_events(since)
    if subscriber_ids is not None:
        items = items.filter(subscriber_id__in=subscriber_ids)
        events = events.filter(subscriber_id__in=subscriber_ids)
    counts: dict[int, tuple[int, datetime]] = {}
    for row in items:
        count, newest = counts.get(row["subscriber_id"], (0, row["counted_at"]))
        counts[row["subscriber_id"]] = (count + 1, max(newest, row["counted_at"]))
    grouped = (
        events.values("subscriber_id").annotate(n=Count("id"), newest=Max("received_at")).order_by()
    )
    for row in grouped:
        count, newest = counts.get(row["subscriber_id"], (0, row["newest"]))
        counts[row["subscriber_id"]] = (count + row["n"], max(newest, row["newest"]))
    return counts


def ledger_notices(subscriber: Subscriber, now: datetime) -> list[dict]:
    """Every notice counted against the subscriber in the window, URL takedowns and
    network notices together, oldest first: {reference, kind, counted_at}."""
    since = window_start(now)
    rows = [
        {"reference": row["notice__reference"], "kind": "url", "counted_at": row["counted_at"]}
        for row in _counted_items(since, "notice__reference").filter(subscriber_id=subscriber.id)
    ]
    events = _counted_events(since).filter(subscriber=subscriber).select_related("case")
    rows += [
        {
            "reference": f"{event.case.reference} {event.vendor_case_id or f'event {event.id}'}",
            "kind": "network",
            "counted_at": event.received_at,
        }
        for event in events
    ]
    return sorted(rows, key=lambda row: (row["counted_at"], row["reference"]))


# Which step is due ----------------------------------------------------------------------


def due_step(count: int, newest: datetime | None, taken: list[PolicyStep]) -> Step | None:
    """The step the policy asks for at this count, given the steps taken in the window
    (oldest first); None when nothing is due.

    The highest step reached is due unless it, or a later one, was taken in the window; a
    review the agent decided comes back with the next notice counted after the decision,
    so each further notice is seen by the agent again."""
    reached = [step for step in settings.REPEAT_POLICY if step.count <= count]
    if not reached:
        return None
    step = reached[-1]
    order = [s.action for s in settings.REPEAT_POLICY]
    later = set(order[order.index(step.action) :])
    same_or_later = [t for t in taken if t.step in later]
    if not same_or_later:
        return step
    last = same_or_later[-1]
    if (
        step.needs_agent
        and last.step == step.action
        and last.decided_at is not None
        and newest is not None
        and newest > last.decided_at
    ):
        return step
    return None


def _steps_in_window(subscriber_ids, now: datetime) -> dict[int, list[PolicyStep]]:
    taken: dict[int, list[PolicyStep]] = {}
    for step in PolicyStep.objects.filter(
        subscriber_id__in=subscriber_ids, taken_at__gte=window_start(now)
    ).order_by("taken_at", "id"):
        taken.setdefault(step.subscriber_id, []).append(step)
    return taken


# The sweep ------------------------------------------------------------------------------


def policy_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Take every step that is due and put announced mitigations into effect.

    Set-based: one pass counts every subscriber's notices in the window, one reads the
    steps taken; only a subscriber with a step due is locked and looked at again. Safe to
    run twice at once: a step is unique per (subscriber, step, occurrence)."""
    now = now or timezone.now()
    first = settings.REPEAT_POLICY[0].count
    counts = {sid: c for sid, c in policy_counts(now).items() if c[0] >= first}
    taken = _steps_in_window(list(counts), now)
    stepped = 0
    for subscriber_id, (count, newest) in counts.items():
        if due_step(count, newest, taken.get(subscriber_id, [])):
            stepped += policy_step_take(subscriber_id=subscriber_id, now=now) is not None
    return {
        "policy steps taken": stepped,
        "suspensions and terminations put into effect": mitigations_sweep(now=now),
    }


def policy_step_take(*, subscriber_id: int, now: datetime) -> PolicyStep | None:
    """Take the step due for this subscriber, if one still is (under its row lock)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(id=subscriber_id)
        count, newest = policy_counts(now, [subscriber_id]).get(subscriber_id, (0, None))
        step = due_step(
            count, newest, _steps_in_window([subscriber_id], now).get(subscriber_id, [])
        )
        if step is None:
            return None
        try:
            with transaction.atomic():
                taken = _record_step(subscriber, step, count, now)
        except IntegrityError:  # another sweep took it in the meantime
            return None
    return taken


def _record_step(subscriber: Subscriber, step: Step, count: int, now: datetime) -> PolicyStep:
    occurrence = PolicyStep.objects.filter(subscriber=subscriber, step=step.action).count() + 1
    taken = PolicyStep(
        subscriber=subscriber,
        step=step.action,
        occurrence=occurrence,
        threshold=step.count,
        count=count,
        taken_at=now,
        taken_by=SYSTEM,
        network_case=NetworkCase.objects.filter(subscriber=subscriber, closed_at=None).first(),
    )
    if step.action in ACKNOWLEDGED_ACTIONS:
        taken.new_ack_token()
    if step.needs_agent:
        taken.due_at = now + timedelta(days=settings.POLICY_REVIEW_DAYS)
    taken.save()
    if step.action != "forward":  # forwarding is done by the notices' own letters
        taken.letter = _step_letter(taken, now)
        taken.save(update_fields=["letter"])
    SubscriberEvent.objects.create(
        subscriber=subscriber,
        at=now,
        actor=SYSTEM,
        action=Action.STEP_TAKEN,
        reason=f"{taken.get_step_display()}: {count} counted notices in "
        f"{settings.REPEAT_WINDOW_DAYS} days (policy step at {step.count}).",
        data={"step": step.action, "policy_step": taken.id, "count": count},
    )
    return taken


def _next_step(action: str) -> Step | None:
    order = list(settings.REPEAT_POLICY)
    index = [s.action for s in order].index(action)
    return order[index + 1] if index + 1 < len(order) else None


def _step_letter(step: PolicyStep, now: datetime) -> Letter:
    context = {
        "step": step,
        "window_days": settings.REPEAT_WINDOW_DAYS,
        "next_step": _next_step(step.step),
        "policy_url": f"{settings.SITE_URL}{reverse('copyright')}#repeat-infringers",
        "ack_url": (
            f"{settings.SITE_URL}{reverse('policy_acknowledge', args=[step.ack_token])}"
            if step.ack_token
            else ""
        ),
    }
    return letter_create(
        kind="policy_step",
        to_email=step.subscriber.notice_email,
        context=context,
        now=now,
        subscriber=step.subscriber,
        network_case=step.network_case,
    )


# The customer and the agent -------------------------------------------------------------


def policy_step_acknowledge(*, token: str, now: datetime | None = None) -> PolicyStep:
    """The customer acknowledged a warning on its private link (once; again is a no-op)."""
    now = now or timezone.now()
    with transaction.atomic():
        step = PolicyStep.objects.select_for_update().get(ack_token=token)
        if step.acknowledged_at is None:
            step.acknowledged_at = now
            step.save(update_fields=["acknowledged_at"])
            SubscriberEvent.objects.create(
                subscriber_id=step.subscriber_id,
                at=now,
                actor="customer (private link)",
                action=Action.STEP_ACKNOWLEDGED,
                reason=f"{step.get_step_display()} acknowledged.",
                data={"policy_step": step.id},
            )
    return step


DECISIONS = {
    "suspension_review": [PolicyStep.Decision.SUSPEND, PolicyStep.Decision.NO_ACTION],
    "termination_review": [
        PolicyStep.Decision.TERMINATE,
        PolicyStep.Decision.SUSPEND,
        PolicyStep.Decision.NO_ACTION,
    ],
}


def policy_step_decide(
    *,
    step_id: int,
    decision: str,
    reason: str,
    actor: str,
    scope: str = Mitigation.Scope.ACCOUNT,
    target: str = "",
    now: datetime | None = None,
) -> PolicyStep:
    """§ 512(i): the Designated Agent decides a review, always with a reason. A
    suspension or termination is announced at once and takes effect later."""
    now = now or timezone.now()
    reason, target = reason.strip(), target.strip()
    if not reason:
        raise NoticeError("Give the reason for the decision: it is kept on the ledger.")
    with transaction.atomic():
        step = PolicyStep.objects.select_for_update().select_related("subscriber").get(id=step_id)
        if step.step not in AGENT_ACTIONS:
            raise NoticeError(f"“{step.get_step_display()}” is not decided by the agent.")
        if step.decided_at is not None:
            raise NoticeError(f"This review was decided on {step.decided_at:%Y-%m-%d}.")
        if decision not in DECISIONS[step.step]:
            raise NoticeError(f"A {step.get_step_display().lower()} cannot decide that.")
        step.decision, step.decision_reason = decision, reason
        step.decided_at, step.decided_by = now, actor
        step.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
        SubscriberEvent.objects.create(
            subscriber=step.subscriber,
            at=now,
            actor=actor,
            action=Action.STEP_DECIDED,
            reason=f"{step.get_decision_display()}: {reason}",
            data={"policy_step": step.id, "decision": decision},
        )
        if decision != PolicyStep.Decision.NO_ACTION:
            kind = (
                Mitigation.Kind.TERMINATION
                if decision == PolicyStep.Decision.TERMINATE
                else Mitigation.Kind.SUSPENSION
            )
            mitigation_announce(
                subscriber=step.subscriber,
                step=step,
                kind=kind,
                scope=scope,
                target=target,
                reason=reason,
                actor=actor,
                now=now,
            )
    return step


# Suspensions and terminations -----------------------------------------------------------


def _hosting(subscriber: Subscriber, now: datetime) -> bool:
    return (
        AddressAssignment.objects.filter(
            subscriber=subscriber, service=AddressAssignment.Service.HOSTING, valid_from__lte=now
        )
        .filter(Q(valid_until=None) | Q(valid_until__gt=now))
        .exists()
    )


def mitigation_announce(*, subscriber, step, kind, scope, target, reason, actor, now) -> Mitigation:
    """A suspension or termination, announced now to the customer, in effect after
    SUSPENSION_NOTICE_HOURS; a hosting customer keeps DATA_RETRIEVAL_DAYS after a
    termination to take its data away."""
    if scope not in Mitigation.Scope.values:
        raise NoticeError("Choose what the suspension or termination covers.")
    if scope != Mitigation.Scope.ACCOUNT and not target:
        raise NoticeError("Name the address or server it covers.")
    effective_at = now + timedelta(hours=settings.SUSPENSION_NOTICE_HOURS)
    hosting = _hosting(subscriber, now)
    mitigation = Mitigation.objects.create(
        subscriber=subscriber,
        step=step,
        kind=kind,
        scope=scope,
        target=target if scope != Mitigation.Scope.ACCOUNT else "",
        hosting=hosting,
        decided_at=now,
        decided_by=actor,
        reason=reason,
        effective_at=effective_at,
        data_retrieval_until=(
            effective_at + timedelta(days=settings.DATA_RETRIEVAL_DAYS)
            if hosting and kind == Mitigation.Kind.TERMINATION
            else None
        ),
    )
    _mitigation_event(mitigation, Action.MITIGATION_ANNOUNCED, actor, reason, now)
    _mitigation_letter(mitigation, "announced", subscriber.notice_email, now)
    return mitigation


def mitigations_sweep(*, now: datetime | None = None) -> int:
    """Put into effect each announced mitigation whose date has come."""
    now = now or timezone.now()
    due = Mitigation.objects.filter(state=Mitigation.State.PENDING, effective_at__lte=now)
    done = 0
    for mitigation_id in due.values_list("id", flat=True):
        try:
            mitigation_activate(mitigation_id=mitigation_id, actor=SYSTEM, now=now)
        except NoticeError:  # lifted or activated meanwhile
            continue
        done += 1
    return done


def mitigation_activate(*, mitigation_id: int, actor: str, now: datetime) -> Mitigation:
    with transaction.atomic():
        mitigation = _locked(mitigation_id, Mitigation.State.PENDING, "not waiting to start")
        if mitigation.effective_at > now:
            raise NoticeError(
                f"It takes effect on {timezone.localtime(mitigation.effective_at):%B %-d, %Y}: "
                "the customer was promised that notice."
            )
        mitigation.activate()
        mitigation.activated_at = now
        mitigation.save(update_fields=["state", "activated_at"])
        _mitigation_event(mitigation, Action.MITIGATION_ACTIVE, actor, "In effect.", now)
        _mitigation_letter(mitigation, "active", settings.OPERATIONS_EMAIL, now)
        if _ends_account(mitigation) and not mitigation.subscriber.terminated_at:
            subscriber_terminate(
                subscriber_id=mitigation.subscriber_id,
                reason=f"Termination under the repeat-infringer policy: {mitigation.reason}",
                actor=actor,
                now=now,
            )
    return mitigation


def mitigation_lift(*, mitigation_id: int, reason: str, actor: str, now=None) -> Mitigation:
    """Lift a suspension or termination (an appeal upheld, a mistake, its term over).
    The count and the steps stay: a reinstated customer starts from where it was."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise NoticeError("Give the reason for lifting it.")
    with transaction.atomic():
        mitigation = _locked(mitigation_id, None, "already lifted")
        was_active = mitigation.state == Mitigation.State.ACTIVE
        mitigation.lift()
        mitigation.lifted_at, mitigation.lifted_by, mitigation.lift_reason = now, actor, reason
        mitigation.save(update_fields=["state", "lifted_at", "lifted_by", "lift_reason"])
        _mitigation_event(mitigation, Action.MITIGATION_LIFTED, actor, reason, now)
        _mitigation_letter(mitigation, "lifted", mitigation.subscriber.notice_email, now)
        if was_active:
            _mitigation_letter(mitigation, "lifted", settings.OPERATIONS_EMAIL, now)
        if was_active and _ends_account(mitigation) and mitigation.subscriber.terminated_at:
            subscriber_reinstate(
                subscriber_id=mitigation.subscriber_id, reason=reason, actor=actor, now=now
            )
    return mitigation


def mitigation_appeal(
    *, mitigation_id: int, reason_code: str, text: str, actor: str, now=None
) -> Mitigation:
    """Record the customer's appeal (one per mitigation), with its reason in the
    customer's own words; the agent answers it by lifting the mitigation or not."""
    now = now or timezone.now()
    text = text.strip()
    if reason_code not in Mitigation.AppealReason.values:
        raise NoticeError("Choose the reason the customer gives.")
    if not text:
        raise NoticeError("Write down what the customer says.")
    with transaction.atomic():
        mitigation = Mitigation.objects.select_for_update().get(id=mitigation_id)
        if mitigation.appealed_at:
            raise NoticeError("An appeal is already recorded for it.")
        if mitigation.state == Mitigation.State.LIFTED:
            raise NoticeError("It was lifted: there is nothing to appeal.")
        mitigation.appeal_reason, mitigation.appeal_text = reason_code, text[:5000]
        mitigation.appealed_at, mitigation.appeal_recorded_by = now, actor
        mitigation.save(
            update_fields=["appeal_reason", "appeal_text", "appealed_at", "appeal_recorded_by"]
        )
        label = Mitigation.AppealReason(reason_code).label
        _mitigation_event(mitigation, Action.MITIGATION_APPEALED, actor, f"{label}: {text}", now)
    return mitigation


def _locked(mitigation_id: int, state, refusal: str) -> Mitigation:
    mitigation = (
        Mitigation.objects.select_for_update().select_related("subscriber").get(id=mitigation_id)
    )
    if (state and mitigation.state != state) or mitigation.state == Mitigation.State.LIFTED:
        raise NoticeError(f"{mitigation} is {refusal}.")
    return mitigation


def _ends_account(mitigation: Mitigation) -> bool:
    return (
        mitigation.kind == Mitigation.Kind.TERMINATION
        and mitigation.scope == Mitigation.Scope.ACCOUNT
    )


def _mitigation_event(mitigation, action, actor, reason, now) -> None:
    SubscriberEvent.objects.create(
        subscriber_id=mitigation.subscriber_id,
        at=now,
        actor=actor,
        action=action,
        reason=reason,
        data={"mitigation": mitigation.id, "kind": mitigation.kind, "scope": mitigation.scope},
    )


def _mitigation_letter(mitigation: Mitigation, event: str, to_email: str, now) -> Letter:
    to_operations = to_email == settings.OPERATIONS_EMAIL
    return letter_create(
        kind="mitigation_operations" if to_operations else "mitigation",
        to_email=to_email,
        context={"mitigation": mitigation, "event": event},
        now=now,
        subscriber=mitigation.subscriber,
    )


# The ledger as data ---------------------------------------------------------------------


def waiting_for_agent():
    """Reviews the agent has not decided yet, the nearest deadline first."""
    return PolicyStep.objects.filter(WAITING_FOR_AGENT).order_by("due_at")


def subscriber_ledger(subscriber: Subscriber, now: datetime | None = None) -> dict:
    """The ledger as `manage.py subscriber_ledger` prints it (README)."""
    now = now or timezone.now()
    notices = ledger_notices(subscriber, now)
    steps = subscriber.policy_steps.select_related("letter").order_by("taken_at", "id")
    pending = waiting_for_agent().filter(subscriber=subscriber).first()
    return {
        "account": subscriber.account_id,
        "window_days": settings.REPEAT_WINDOW_DAYS,
        "counted": len(notices),
        "notices": [{**row, "counted_at": row["counted_at"].isoformat()} for row in notices],
        "steps": [
            {
                "step": step.step,
                "taken_at": step.taken_at.isoformat(),
                "by": step.taken_by,
                "letter": step.letter.message_id if step.letter else None,
            }
            for step in steps
        ],
        "pending_step": (
            {
                "step": pending.step,
                "taken_at": pending.taken_at.isoformat(),
                "due_at": pending.due_at.isoformat(),
            }
            if pending
            else None
        ),
    }
