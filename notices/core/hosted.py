"""Hosted material (§ 512(c)): removal requests to the customers of our cloud servers.

A network notice about an address we host asks the customer (the subscriber who held the
address) to remove the material within HOSTED_REMOVAL_BUSINESS_DAYS business days. One
request per customer and address is open at a time: events for that server join it
while it waits, so a report of twenty sightings, or two reports an hour apart, bring one
letter. The customer answers on a private link: removed, not mine (with its reason), or
disputed with a counter notice (counternotices.hosted runs its § 512(g) clock).

A request still unanswered after its day is put on the agent's queue by the sweep; the
agent decides, with a reason, whether the address is disabled through DISABLE_ACTION
(pluggable like RESTORATION_ACTION; the default writes to operations).
"""

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from iija_compliance.lib.business_days import add_business_days, local_date
from notices.models import AddressAssignment, HostedRemoval, NetworkEvent
from notices.outbox.letters import letter_create

NEW_YORK = ZoneInfo("America/New_York")
REASON_MAX = 2000


class HostedRemovalError(ValueError):
    """An answer or a decision the request's state does not allow, in words."""


def answer_url(removal: HostedRemoval) -> str:
    return settings.SITE_URL + reverse("hosted_removal_answer", args=[removal.token])


def event_facts(event: NetworkEvent) -> dict:
    """What the letter and the answer page say of one event."""
    return {
        "ip": event.ip,
        "port": event.port,
        "protocol": event.protocol,
        "occurred_utc": f"{event.occurred_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
        "occurred_new_york": _new_york(event.occurred_at),
        "files": event.files,
        "sender": event.api_sender.name if event.api_sender_id else event.sender,
        "vendor_case_id": event.vendor_case_id,
        "complainant": event.complainant,
    }


def _new_york(moment: datetime) -> str:
    """As the Designated Agent's office reads it: "March 2, 2026, 5:15:30 AM EST"."""
    local = moment.astimezone(NEW_YORK)
    hour = local.hour % 12 or 12
    return f"{local:%B} {local.day}, {local.year}, {hour}:{local:%M:%S %p %Z}"


def hosted_removals_request(events: list[NetworkEvent], now: datetime) -> list[HostedRemoval]:
    """Join each stored hosting event to its customer's waiting request for that address,
    or open one and write its letter. In the caller's transaction, with the events."""
    by_server = defaultdict(list)
    for event in events:
        hosted = (
            event.assignment_id and event.assignment.service == AddressAssignment.Service.HOSTING
        )
        if event.pk and event.outcome == NetworkEvent.Outcome.CASE and hosted:
            by_server[(event.subscriber_id, event.ip)].append(event)
    opened = []
    for grouped in by_server.values():
        removal, is_new = _waiting_request(grouped[0], now)
        NetworkEvent.objects.filter(id__in=[e.id for e in grouped]).update(hosted_removal=removal)
        if is_new:
            _write_request(removal, grouped, now)
            opened.append(removal)
    return opened


def _waiting_request(event: NetworkEvent, now: datetime) -> tuple[HostedRemoval, bool]:
    waiting = HostedRemoval.objects.filter(
        subscriber_id=event.subscriber_id, ip=event.ip, state=HostedRemoval.State.WAITING
    )
    found = waiting.select_for_update().first()
    if found:
        return found, False
    try:
        with transaction.atomic():
            return HostedRemoval.objects.create(
                subscriber_id=event.subscriber_id,
                network_case_id=event.case_id,
                assignment_id=event.assignment_id,
                ip=event.ip,
                requested_at=now,
                remove_by=add_business_days(local_date(now), settings.HOSTED_REMOVAL_BUSINESS_DAYS),
            ), True
    except IntegrityError:  # another worker opened it at this moment: join that one
        return waiting.select_for_update().get(), False


def _write_request(removal: HostedRemoval, events: list[NetworkEvent], now: datetime) -> None:
    subscriber = removal.subscriber
    removal.letter = letter_create(
        kind="hosted_removal",
        to_email=subscriber.notice_email,
        context={
            "removal": removal,
            "events": [event_facts(event) for event in events],
            "business_days": settings.HOSTED_REMOVAL_BUSINESS_DAYS,
            "deadline_utc": f"{removal.deadline_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
            "answer_url": answer_url(removal),
        },
        now=now,
        subscriber=subscriber,
        network_case=removal.network_case,
    )
    removal.save(update_fields=["letter"])


def hosted_removal_answer(
    *, removal_id: int, answer: str, reason: str = "", now: datetime | None = None
) -> HostedRemoval:
    """The customer says it removed the material, or that it is not its own (with why).
    A dispute goes through counternotices.hosted, with the counter notice."""
    now = now or timezone.now()
    reason = reason.strip()
    if answer == HostedRemoval.State.NOT_MINE and not reason:
        raise HostedRemovalError("Say why the material is not yours.")
    if answer not in (HostedRemoval.State.REMOVED, HostedRemoval.State.NOT_MINE):
        raise HostedRemovalError("Choose one of the answers.")
    with transaction.atomic():
        removal = HostedRemoval.objects.select_for_update().get(id=removal_id)
        if removal.state not in HostedRemoval.ANSWERABLE:
            raise HostedRemovalError("This request was answered or decided already.")
        removal.state, removal.answered_at = answer, now
        removal.answer_reason = reason[:REASON_MAX]
        removal.act_by = None
        removal.save(update_fields=["state", "answered_at", "answer_reason", "act_by"])
    return removal


def hosted_removal_disputed(removal: HostedRemoval, now: datetime) -> None:
    """A counter notice arrived for the request (the caller holds its row lock)."""
    if removal.state not in HostedRemoval.DISPUTABLE:
        raise HostedRemovalError("This request was answered already.")
    removal.state = HostedRemoval.State.DISPUTED
    removal.answered_at, removal.act_by = now, None
    removal.save(update_fields=["state", "answered_at", "act_by"])


def hosted_removals_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Requests whose day ended unanswered go on the agent's queue, each with the date by
    which the agent should decide. Read from the database: a day without beat is caught up."""
    now = now or timezone.now()
    today = local_date(now)
    act_by = add_business_days(today, settings.DESK_ACT_WITHIN_BUSINESS_DAYS)
    queued = HostedRemoval.objects.filter(
        state=HostedRemoval.State.WAITING, remove_by__lt=today
    ).update(state=HostedRemoval.State.OVERDUE, overdue_at=now, act_by=act_by)
    return {"hosted removals overdue, to the agent": queued}


def hosted_address_decide(
    *, removal_id: int, disable: bool, actor: str, reason: str, now: datetime | None = None
) -> HostedRemoval:
    """The agent's decision on an overdue request, with its reason: disable the address
    (the configured DISABLE_ACTION, in this transaction) or leave it enabled."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise HostedRemovalError("Give the reason for the decision.")
    with transaction.atomic():
        removal = HostedRemoval.objects.select_for_update().get(id=removal_id)
        if removal.state != HostedRemoval.State.OVERDUE:
            raise HostedRemovalError(
                f"This request is “{removal.get_state_display()}”: there is nothing to decide."
            )
        if disable:
            import_string(settings.DISABLE_ACTION)(removal=removal, reason=reason, now=now)
            removal.disabled_at = now
        removal.state = HostedRemoval.State.DISABLED if disable else HostedRemoval.State.KEPT
        removal.decided_at, removal.decided_by = now, actor
        removal.decision_reason, removal.act_by = reason[:REASON_MAX], None
        removal.save(
            update_fields=[
                "state",
                "decided_at",
                "decided_by",
                "decision_reason",
                "act_by",
                "disabled_at",
            ]
        )
    return removal


def email_operations(*, removal: HostedRemoval, reason: str, now: datetime) -> None:
    """The default DISABLE_ACTION: ask operations to disable the address, and tell the
    customer, as § 512(g)(2)(A) asks, with its link for a counter notice."""
    context = {
        "removal": removal,
        "reason": reason,
        "events": [event_facts(event) for event in removal.events.select_related("api_sender")],
        "answer_url": answer_url(removal),
    }
    common = {"subscriber": removal.subscriber, "network_case": removal.network_case, "now": now}
    letter_create(
        kind="hosted_disable", to_email=settings.OPERATIONS_EMAIL, context=context, **common
    )
    letter_create(
        kind="hosted_disabled",
        to_email=removal.subscriber.notice_email,
        context=context,
        **common,
    )
