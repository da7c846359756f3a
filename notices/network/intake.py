"""Network notices into the desk: each reported event joins the open network case of the
subscriber who held the address at that moment, or is kept with the reason it did not.

Outcomes, checked in this order: `duplicate` (the same sender reported the same vendor
case id before), `too_old` (the event is older than NETWORK_NOTICE_MAX_AGE_DAYS when it
reaches us), `not_ours` (no subscriber held the address then), `case`. Every event is
stored whatever its outcome, so that each can be counted and shown.
"""

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notices.core.hosted import hosted_removals_request
from notices.models import ApiSender, InboundMessage, NetworkCase, NetworkEvent

from .addresses import holder_at
from .senders import reporters_fill

Outcome = NetworkEvent.Outcome


class EventUnreadable(ValueError):
    """An event whose address or moment cannot be stored as given."""


def network_events_record(
    events,
    *,
    format: str,
    sender: str,
    received_at: datetime,
    api_sender: ApiSender | None = None,
    flags=(),
    now: datetime | None = None,
) -> list[NetworkEvent]:
    """Store each event with its outcome, all or none."""
    traced = network_events_trace(
        events, format=format, sender=sender, received_at=received_at, flags=flags
    )
    with transaction.atomic():
        return network_events_store(traced, api_sender=api_sender, now=now)


def network_events_trace(
    events, *, format: str, sender: str, received_at: datetime, flags=()
) -> list[NetworkEvent]:
    """Each event with its outcome, its subscriber and their open case: not stored yet
    (the mailbox stores its message first, knowing whether a case was reached)."""
    common = {"format": format, "sender": sender[:300], "received_at": received_at}
    return [_trace(NetworkEvent(**_fields(event), **common, flags=list(flags))) for event in events]


def network_events_store(
    traced: list[NetworkEvent],
    *,
    inbound: InboundMessage | None = None,
    api_sender: ApiSender | None = None,
    now: datetime | None = None,
) -> list[NetworkEvent]:
    """Store traced events (in the caller's transaction); a report taken in by another
    worker meanwhile makes its event a duplicate. Events of one report are traced before
    any is stored, so several moments under one case id are each an event. Events at an
    address we host join a removal request to the customer (one letter per server), whose
    days to remove count from `now` (when the customer is asked, not when the notice was
    sent: a notice uploaded late still leaves the customer its days)."""
    reporters_fill(traced, api_sender=api_sender)
    for event in traced:
        event.inbound, event.api_sender = inbound, api_sender
        if event.outcome == Outcome.CASE and event.case_id is None:
            event.case = _open_case(event.subscriber_id, event.received_at)
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:  # the same report, stored by another worker at this moment
            _duplicate(event, _first_report(event))
    hosted_removals_request(traced, now or timezone.now())
    return traced


def _fields(event: dict) -> dict:
    try:
        ip = str(ipaddress.ip_address(str(event.get("ip", "")).strip()))
    except ValueError:
        raise EventUnreadable(f"{str(event.get('ip'))[:60]!r} is not an IP address.") from None
    try:
        occurred_at = datetime.fromisoformat(str(event.get("timestamp", "")))
    except ValueError:
        raise EventUnreadable(f"{str(event.get('timestamp'))[:60]!r} is no moment.") from None
    if occurred_at.tzinfo is None:
        raise EventUnreadable(f"{event['timestamp']!r} gives no time zone.")
    port = event.get("port")
    port = port if isinstance(port, int) and 0 <= port <= 65535 else None
    case_id = str(event.get("case_id") or "")[:200]
    return {
        "ip": ip,
        "port": port,
        "occurred_at": occurred_at,
        "protocol": str(event.get("protocol") or "")[:32],
        "vendor_case_id": case_id,
        "dedup_key": (case_id or f"{ip}|{port or ''}|{occurred_at.isoformat()}")[:255],
        "complainant": str(event.get("complainant") or "")[:300],
        "files": list(event.get("files") or [])[:1000],
    }


def _trace(event: NetworkEvent) -> NetworkEvent:
    first = _first_report(event)
    if first:
        event.outcome, event.duplicate_of = Outcome.DUPLICATE, first
        return event
    age_limit = timedelta(days=settings.NETWORK_NOTICE_MAX_AGE_DAYS)
    if event.occurred_at < event.received_at - age_limit:
        event.outcome = Outcome.TOO_OLD
        return event
    assignment = holder_at(event.ip, event.occurred_at)
    if assignment is None:
        event.outcome = Outcome.NOT_OURS
        return event
    event.outcome = Outcome.CASE
    event.assignment, event.subscriber = assignment, assignment.subscriber
    event.case_id = assignment.open_case_id  # None: opened when stored
    return event


def _first_report(event: NetworkEvent) -> NetworkEvent | None:
    return (
        NetworkEvent.objects.filter(sender=event.sender, dedup_key=event.dedup_key)
        .exclude(outcome=Outcome.DUPLICATE)
        .first()
    )


def _duplicate(event: NetworkEvent, first: NetworkEvent) -> None:
    event.outcome, event.duplicate_of = Outcome.DUPLICATE, first
    event.case = event.subscriber = event.assignment = None
    event.save()


def _open_case(subscriber_id: int, now: datetime) -> NetworkCase:
    case, _ = NetworkCase.objects.get_or_create(
        subscriber_id=subscriber_id, closed_at=None, defaults={"opened_at": now}
    )
    return case


def summary(events: list[NetworkEvent]) -> dict:
    """The message's outcome in one word, and the case and subscriber it reached: the
    first event that joined a case, else the first event."""
    ranked = sorted(events, key=lambda e: list(Outcome).index(e.outcome))
    first = ranked[0] if ranked else None
    return {
        "outcome": first.outcome if first else None,
        "reference": first.case.reference if first and first.case else None,
        "subscriber": first.subscriber.account_id if first and first.subscriber else None,
    }
