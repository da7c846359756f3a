"""Network notices into the desk: each reported event joins the open network case of the
subscriber who held the address at that moment, or is kept with the reason it did not.

Outcomes, checked in this order: `duplicate` (the same sender reported the same vendor
case id before), `too_old` (the event is older than NETWORK_NOTICE_MAX_AGE_DAYS when it
reaches us), `not_ours` (no subscriber held the address then), `case`. Every event is
stored whatever its outcome, so that each can be counted and shown.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from notices.core.hosted import hosted_removals_request
from notices.models import ApiSender, InboundMessage, NetworkCase, NetworkEvent

from .addresses import holders_at
from .formats import events as event_format
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
    report = network_events_read(
        events, format=format, sender=sender, received_at=received_at, flags=flags
    )
    network_reports_trace([report])
    return report


def network_events_read(
    events, *, format: str, sender: str, received_at: datetime, flags=()
) -> list[NetworkEvent]:
    """A report's events as unsaved rows, without outcome; EventUnreadable if one of them
    cannot be stored as given."""
    common = {"format": format, "sender": sender[:300], "received_at": received_at}
    return [NetworkEvent(**_fields(event), **common, flags=list(flags)) for event in events]


def network_reports_trace(reports: list[list[NetworkEvent]]) -> None:
    """Give each event of several reports, taken in this order, its outcome: in two
    queries for them all (earlier reports, then who held each address), so that a batch
    of mail costs what one message does. An event repeats an earlier report of the same
    sender and case id (stored before, or earlier in the batch); the events of one report
    are traced before any is stored, so several moments under one case id are each an
    event."""
    firsts = _first_reports([event for report in reports for event in report])
    age_limit = timedelta(days=settings.NETWORK_NOTICE_MAX_AGE_DAYS)
    probes = []
    for report in reports:
        for event in report:
            first = firsts.get((event.sender, event.dedup_key))
            if first is not None:
                event.outcome = Outcome.DUPLICATE
                if isinstance(first, NetworkEvent):
                    event.duplicate_of = first  # stored before this one (network_reports_store)
                else:
                    event.duplicate_of_id = first
            elif event.occurred_at < event.received_at - age_limit:
                event.outcome = Outcome.TOO_OLD
            else:
                probes.append(event)
        for event in report:
            if event.outcome != Outcome.DUPLICATE:
                firsts[(event.sender, event.dedup_key)] = event
    holders = holders_at([(event.ip, event.occurred_at) for event in probes])
    for event, assignment in zip(probes, holders, strict=True):
        if assignment is None:
            event.outcome = Outcome.NOT_OURS
            continue
        event.outcome = Outcome.CASE
        event.assignment, event.subscriber = assignment, assignment.subscriber
        event.case_id = assignment.open_case_id  # None: opened when stored


def network_events_store(
    traced: list[NetworkEvent],
    *,
    inbound: InboundMessage | None = None,
    api_sender: ApiSender | None = None,
    now: datetime | None = None,
) -> list[NetworkEvent]:
    """Store traced events (in the caller's transaction); a report taken in by another
    worker meanwhile makes its event a duplicate. Events at an address we host join a
    removal request to the customer (one letter per server), whose days to remove count
    from `now` (when the customer is asked, not when the notice was sent: a notice
    uploaded late still leaves the customer its days)."""
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


def network_reports_store(
    reports: list[list[NetworkEvent]], inbounds: list, *, now: datetime
) -> None:
    """Store the traced events of several reports, each with its stored message, in a few
    multi-row statements (in the caller's transaction); hosting events then join their
    removal requests as in network_events_store. IntegrityError if another worker stored
    one of these reports meanwhile: the caller takes the reports in one by one."""
    events = []
    for report, inbound in zip(reports, inbounds, strict=True):
        for event in report:
            event.inbound = inbound
            events.append(event)
    _join_cases([event for event in events if event.outcome == Outcome.CASE])
    reporters_fill(events)
    # First the events that others may repeat, then the repeats that point to them.
    NetworkEvent.objects.bulk_create([e for e in events if e.outcome != Outcome.DUPLICATE])
    NetworkEvent.objects.bulk_create([e for e in events if e.outcome == Outcome.DUPLICATE])
    hosted_removals_request(events, now)


def _join_cases(events: list[NetworkEvent]) -> None:
    """Each event on its subscriber's open case, opening those that have none: one
    statement to open them (one open case each, whoever opens it first), one to read."""
    if not events:
        return
    # A case opens when its first event was received, as one message's events open it.
    opening = {}
    for event in events:
        if event.case_id is None:
            opening.setdefault(event.subscriber_id, event.received_at)
    if opening:
        cases = [NetworkCase(subscriber_id=who, opened_at=at) for who, at in opening.items()]
        NetworkCase.objects.bulk_create(cases, ignore_conflicts=True)
    known = {e.case_id for e in events if e.case_id is not None}
    found = NetworkCase.objects.filter(
        Q(id__in=known) | Q(subscriber_id__in=opening, closed_at=None)
    )
    by_id = {case.id: case for case in found}
    open_case = {case.subscriber_id: case for case in by_id.values() if case.closed_at is None}
    for event in events:
        event.case = by_id.get(event.case_id) or open_case[event.subscriber_id]


def _fields(event: dict) -> dict:
    try:
        ip = event_format.address(str(event.get("ip", "")))
    except event_format.EventUnreadable as error:
        raise EventUnreadable(f"{error}.") from None
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


def _first_reports(events: list[NetworkEvent]) -> dict[tuple[str, str], int]:
    """The id of the latest stored report of each (sender, dedup key) of `events`."""
    if not events:
        return {}
    found = (
        NetworkEvent.objects.filter(
            sender__in={event.sender for event in events},
            dedup_key__in={event.dedup_key for event in events},
        )
        .exclude(outcome=Outcome.DUPLICATE)
        .order_by("received_at", "id")
        .values_list("sender", "dedup_key", "id")
    )
    return {(sender, key): id for sender, key, id in found}  # the latest last


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
