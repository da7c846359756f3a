"""Transit digests: the network notices about a transit customer's addresses (§ 512(a)),
forwarded to the customer in one letter at most every NETWORK_DIGEST_HOURS.

A digest lists every event on the subscriber's network case that no digest has
forwarded yet, with the facts and the original notices attached (.eml), except those of a
sender the agent marked "facts only". The events are marked with their letter in the
letter's own transaction: a worker killed while writing a digest leaves neither letter
nor marks, and the next sweep writes it whole, so each event is in exactly one letter.
Hosting events are not forwarded here (the customer is asked to remove the material).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from notices.models import AddressAssignment, Letter, NetworkEvent, Subscriber
from notices.outbox.letters import letter_create

KIND = "network_digest"
NEW_YORK = ZoneInfo("America/New_York")
SWEEP_BATCH = 1000  # digests written per sweep; the next sweep writes the rest


def digests_sweep(*, now: datetime | None = None) -> int:
    """Write the digest of every subscriber that has one due; return how many."""
    now = now or timezone.now()
    return sum(digest_write(subscriber_id=one, now=now) is not None for one in _due(now))


def _window_start(now: datetime) -> datetime:
    return now - timedelta(hours=settings.NETWORK_DIGEST_HOURS)


def _recent_digest(subscriber, now: datetime):
    return Letter.objects.filter(
        kind=KIND, subscriber=subscriber, created_at__gt=_window_start(now)
    )


def _waiting(subscriber_id=None):
    """Transit events on a case that no digest has forwarded yet."""
    events = NetworkEvent.objects.filter(
        outcome=NetworkEvent.Outcome.CASE,
        digest_letter=None,
        hosted_removal=None,
        assignment__service=AddressAssignment.Service.TRANSIT,
    )
    return events if subscriber_id is None else events.filter(subscriber_id=subscriber_id)


def _due(now: datetime) -> list[int]:
    """Subscribers with events waiting and no digest within the window."""
    recent = _recent_digest(OuterRef("subscriber_id"), now)
    return list(
        _waiting()
        .filter(received_at__lte=now)
        .exclude(Exists(recent))
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
        .distinct()[:SWEEP_BATCH]
    )


def digest_write(*, subscriber_id: int, now: datetime) -> Letter | None:
    """The subscriber's digest, its events marked with it, in one transaction; None when
    none is due (one was written within the window, or another worker is writing it)."""
    with transaction.atomic():
        # NO KEY: the mailbox storing an event for this subscriber meanwhile is not held up.
        subscriber = (
            Subscriber.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(id=subscriber_id)
            .first()
        )
        if subscriber is None or _recent_digest(subscriber, now).exists():
            return None
        events = list(
            _waiting(subscriber_id)
            .filter(received_at__lte=now)
            .select_related("reporter", "case")
            .order_by("occurred_at", "id")
        )
        if not events:
            return None
        letter = letter_create(
            kind=KIND,
            to_email=subscriber.notice_email,
            context=_context(events),
            now=now,
            subscriber=subscriber,
            network_case=events[-1].case,
        )
        originals = {event.inbound_id for event in events if _with_original(event)}
        if originals:
            letter.originals.set(originals)
        marked = NetworkEvent.objects.filter(
            id__in=[event.id for event in events], digest_letter=None
        ).update(digest_letter=letter)
        if marked != len(events):  # never while the subscriber's row is held: undo it all
            raise RuntimeError(f"Events of subscriber {subscriber_id} were forwarded meanwhile.")
    return letter


def _with_original(event: NetworkEvent) -> bool:
    return event.inbound_id is not None and not (event.reporter and event.reporter.facts_only)


def _context(events: list[NetworkEvent]) -> dict:
    # The name each original is attached under, in the order the outbox attaches them.
    inbound_ids = sorted({event.inbound_id for event in events if _with_original(event)})
    originals = {one: f"notice-{number}.eml" for number, one in enumerate(inbound_ids, start=1)}
    facts = [_facts(event, originals.get(event.inbound_id)) for event in events]
    first, last = (_day(f(event.received_at for event in events)) for f in (min, max))
    return {
        "events": facts,
        # In words, in UTC: a template's date filter would give the desk's time zone.
        "received": f"On {first}" if first == last else f"Between {first} and {last}",
        "senders": sorted({fact["sender"] for fact in facts}),
        "attached": len(originals),
        "digest_hours": settings.NETWORK_DIGEST_HOURS,
    }


def _day(moment: datetime) -> str:
    day = moment.astimezone(UTC)
    return f"{day:%B} {day.day}, {day:%Y}"


def _facts(event: NetworkEvent, attached: str | None) -> dict:
    new_york = event.occurred_at.astimezone(NEW_YORK)
    reporter = event.reporter
    return {
        "ip": event.ip,
        "port": event.port,
        "protocol": event.protocol,
        "seen_utc": f"{event.occurred_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
        "seen_new_york": f"{new_york:%Y-%m-%d %H:%M:%S} New York time ({new_york:%Z})",
        "received_at": f"{event.received_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        "sender": reporter.name if reporter else event.sender,
        "complainant": event.complainant,
        "vendor_case_id": event.vendor_case_id,
        "files": event.files,
        "attached": attached,
        "facts_only": bool(reporter and reporter.facts_only),
    }
