"""The registry of network notice senders: each sender is entered when its first notice
arrives, and changes only by the agent's decisions, each recorded with its reason.

No decision refuses a sender's notices: its events are taken in, counted and forwarded
whatever the agent decides; "facts only" leaves out the original mail in the letter to
the customer (a sender whose notices demand settlements, for example).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from notices.models import ApiSender, NetworkSender, NetworkSenderAddress, NetworkSenderDecision

MAX_REASON = 2000


class DecisionRefused(ValueError):
    """A decision that cannot be recorded as asked, with the reason in words."""


def network_sender_for(
    address: str, *, format: str, now: datetime, api_sender: ApiSender | None = None
) -> NetworkSender:
    """The sender known by this address (the mail's From, or `api:<id>`): entered now if
    it is new, with the format of this notice among those seen."""
    address = address[:300]
    known = NetworkSenderAddress.objects.filter(address=address).select_related("sender").first()
    sender = known.sender if known else _enter(address, api_sender, now)
    if format not in sender.formats_seen:  # rare: the row is locked only then
        with transaction.atomic():
            sender = NetworkSender.objects.select_for_update().get(id=sender.id)
            if format not in sender.formats_seen:
                sender.formats_seen = [*sender.formats_seen, format]
                sender.save(update_fields=["formats_seen"])
    return sender


def _enter(address: str, api_sender: ApiSender | None, now: datetime) -> NetworkSender:
    name = api_sender.name if api_sender else (address.rpartition("@")[2] or address)
    try:
        with transaction.atomic():
            sender = NetworkSender.objects.create(
                name=name[:200], api_sender=api_sender, created_at=now
            )
            NetworkSenderAddress.objects.create(sender=sender, address=address)
    except IntegrityError:  # entered by another worker at this moment
        return NetworkSenderAddress.objects.select_related("sender").get(address=address).sender
    return sender


def sender_decide(
    *, sender_id: int, actor: str, reason: str, now: datetime, **changes
) -> NetworkSenderDecision | None:
    """Change what the agent decides about a sender (its name, facts only, the reply) and
    record the decision with its reason, at once; None when nothing changed."""
    unknown = set(changes) - set(NetworkSender.DECIDED)
    if unknown:
        raise DecisionRefused(f"{', '.join(sorted(unknown))} is not decided here.")
    reason = reason.strip()
    if not reason:
        raise DecisionRefused("Give the reason for the decision: it is kept with it.")
    if len(reason) > MAX_REASON:
        raise DecisionRefused(f"The reason is at most {MAX_REASON:,} characters.")
    with transaction.atomic():
        sender = NetworkSender.objects.select_for_update().get(id=sender_id)
        changed = {
            field: [getattr(sender, field), value]
            for field, value in changes.items()
            if getattr(sender, field) != value
        }
        if not changed:
            return None
        for field, (_, value) in changed.items():
            setattr(sender, field, value)
        try:
            sender.full_clean()
        except ValidationError as error:
            raise DecisionRefused(" ".join(error.messages)) from None
        sender.save(update_fields=list(changed))
        return NetworkSenderDecision.objects.create(
            sender=sender, at=now, actor=actor[:100], changes=changed, reason=reason
        )


def reporters_fill(events, *, api_sender: ApiSender | None = None) -> None:
    """Each event's `reporter`: the registry's sender of its address (one look-up each)."""
    # By address and format: a batch may hold one sender's reports in several formats, and
    # each is a format seen.
    known: dict[tuple[str, str], NetworkSender] = {}
    for event in events:
        key = (event.sender, event.format)
        if key not in known:
            known[key] = network_sender_for(
                event.sender, format=event.format, now=event.received_at, api_sender=api_sender
            )
        event.reporter = known[key]
