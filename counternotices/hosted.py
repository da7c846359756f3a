"""Counter notices on hosted material (§ 512(g)): a hosting customer disputes a removal
request (notices.core.hosted) with the four elements of § 512(g)(3).

The clock is the case counter notice's: business days 10 to 14 after receipt
(`restoration_window`). The complaining party (the network notice's sender) gets a copy
(§ 512(g)(2)(B)); once day 10 has ended without a court action recorded, the customer is
told it may put the material back, and, if the agent had disabled the address,
operations are asked to enable it again.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iija_compliance.lib.business_days import local_date, restoration_window
from iija_compliance.lib.signing import Signing
from notices.core.hosted import event_facts, hosted_removal_disputed
from notices.models import HostedRemoval
from notices.outbox.letters import letter_create

from . import statutory
from .models import HostedCounterNotice


class HostedCounterError(ValueError):
    """A counter notice the request cannot take, in words."""


def material_choices(removal: HostedRemoval) -> list[tuple[int, str]]:
    """Each reported event of the request as a line the customer can tick."""
    return [(event.id, material_line(event)) for event in removal.events.order_by("occurred_at")]


def material_line(event) -> str:
    port = f", port {event.port}" if event.port else ""
    names = ", ".join(
        entry.get("file_name") or entry.get("title") or "" for entry in event.files[:3]
    )
    files = f": {names}" if names else ""
    return f"{event.ip}{port}, {event.occurred_at:%Y-%m-%d %H:%M:%S} UTC{files}"


def hosted_counter_notice_submit(
    *,
    removal_id: int,
    event_ids: list[int],
    submission: statutory.CounterNoticeSubmission,
    signing: Signing | None = None,
    now: datetime | None = None,
) -> HostedCounterNotice:
    """Receive the counter notice: store it with its window, mark the request disputed,
    send the sender its copy and the customer its receipt; all or nothing."""
    now = now or timezone.now()
    signing = signing or Signing()
    with transaction.atomic():
        removal = HostedRemoval.objects.select_for_update().get(id=removal_id)
        events = list(removal.events.filter(id__in=event_ids).select_related("api_sender"))
        if not events or len(events) != len(set(event_ids)):
            raise HostedCounterError("Choose the reported material your counter notice is about.")
        if HostedCounterNotice.objects.filter(removal=removal).exists():
            raise HostedCounterError("A counter notice was already received through this link.")
        submission.locations = [material_line(event) for event in events]
        missing = statutory.deficiencies(submission)
        if missing:
            names = ", ".join(f"{c.element.citation} {c.element.title}" for c in missing)
            raise HostedCounterError(f"The counter notice lacks {names}.")
        hosted_removal_disputed(removal, now)
        not_before, not_after = restoration_window(now)
        counter = HostedCounterNotice.objects.create(
            removal=removal,
            received_at=now,
            material=submission.locations,
            name=submission.name.strip(),
            street=submission.street.strip(),
            city=submission.city.strip(),
            region=submission.region.strip(),
            postal_code=submission.postal_code.strip(),
            country=submission.country,
            phone=submission.phone,
            email=submission.email.strip(),
            signature_name=submission.signature_name.strip(),
            signature_ip=signing.ip,
            signature_user_agent=signing.user_agent[:500],
            mistake_statement=statutory.MISTAKE_STATEMENT,
            consent_statement=statutory.consent_statement(submission.country),
            restore_not_before=not_before,
            restore_not_after=not_after,
        )
        _forward(counter, events, now)
    return counter


def _forward(counter: HostedCounterNotice, events, now: datetime) -> None:
    """§ 512(g)(2)(B): a copy to each sender of the reported events, a receipt to the
    customer. A sender known only by a name gets its copy by post."""
    removal = counter.removal
    common = {"subscriber": removal.subscriber, "network_case": removal.network_case, "now": now}
    context = {"counter": counter, "removal": removal}
    for address in sorted({_sender_email(event) for event in events}):
        mine = [event_facts(e) for e in events if _sender_email(e) == address]
        letter_create(
            kind="hosted_counter_copy",
            to_email=address,
            context={**context, "events": mine},
            **common,
        )
    letter_create(
        kind="hosted_counter_receipt",
        to_email=counter.email or removal.subscriber.notice_email,
        context=context,
        **common,
    )


def _sender_email(event) -> str:
    if event.api_sender_id:
        return event.api_sender.email
    return event.sender if "@" in event.sender else ""


def hosted_counter_stop(
    *, counter_id: int, actor: str, reason: str, now: datetime | None = None
) -> HostedCounterNotice:
    """The sender told the Designated Agent it filed a court action (§ 512(g)(2)(C)):
    the material stays down. Recorded with who, when and what the agent received."""
    now = now or timezone.now()
    if not reason.strip():
        raise HostedCounterError("Say what the sender sent: the court and the case number.")
    with transaction.atomic():
        counter = HostedCounterNotice.objects.select_for_update().get(id=counter_id)
        if counter.state != HostedCounterNotice.State.PENDING:
            raise HostedCounterError("The customer was already told it may restore.")
        counter.state = HostedCounterNotice.State.STOPPED
        counter.stopped_at, counter.stopped_by, counter.stop_reason = now, actor, reason.strip()
        counter.save(update_fields=["state", "stopped_at", "stopped_by", "stop_reason"])
    return counter


def hosted_counters_sweep(*, now: datetime | None = None) -> int:
    """Windows whose day 10 has ended: the customer may restore. Each counter notice is
    claimed under a row lock and moved only from "pending", so a second run does nothing."""
    now = now or timezone.now()
    due = HostedCounterNotice.objects.filter(
        state=HostedCounterNotice.State.PENDING, restore_not_before__lt=local_date(now)
    ).values_list("id", flat=True)
    return sum(_restore(counter_id, now) for counter_id in list(due))


def _restore(counter_id: int, now: datetime) -> int:
    with transaction.atomic():
        counter = (
            HostedCounterNotice.objects.select_for_update(skip_locked=True)
            .filter(id=counter_id, state=HostedCounterNotice.State.PENDING)
            .select_related("removal__subscriber", "removal__network_case")
            .first()
        )
        if counter is None:
            return 0
        removal = counter.removal
        disabled = removal.disabled_at is not None
        context = {"counter": counter, "removal": removal, "enable": disabled}
        common = {"subscriber": removal.subscriber, "network_case": removal.network_case}
        letter_create(
            kind="hosted_restore",
            to_email=counter.email or removal.subscriber.notice_email,
            context=context,
            now=now,
            **common,
        )
        if disabled:
            letter_create(
                kind="hosted_enable",
                to_email=settings.OPERATIONS_EMAIL,
                context=context,
                now=now,
                **common,
            )
        counter.state, counter.restored_at = HostedCounterNotice.State.RESTORED, now
        counter.save(update_fields=["state", "restored_at"])
    return 1
