"""Restoring material: what the provider does when a notice no longer holds it down.

The action is pluggable (settings.RESTORATION_ACTION, a dotted path) because each
provider restores in its own systems. It is called inside the transaction of the
transition that decides the restoration, so anything it writes commits with it.
"""

from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from notices.models import InfringingItem, Notice, Subscriber
from notices.outbox.letters import letter_create


def restore_material(
    *,
    notice: Notice,
    subscriber: Subscriber,
    items: list[InfringingItem],
    reason: str,
    now: datetime,
) -> None:
    """Call the configured restoration action and record the request on each item.

    `reason`: "counter_notice", "withdrawn", or "cancelled" (a court action arrived after
    the request: the material must stay down after all).
    """
    action = import_string(settings.RESTORATION_ACTION)
    action(notice=notice, subscriber=subscriber, items=items, reason=reason, now=now)
    requested = None if reason == "cancelled" else now
    InfringingItem.objects.filter(id__in=[item.id for item in items]).update(
        restoration_requested_at=requested
    )


def email_operations(
    *,
    notice: Notice,
    subscriber: Subscriber,
    items: list[InfringingItem],
    reason: str,
    now: datetime,
) -> None:
    """The default action: ask operations to restore access, and tell the subscriber it may.
    A cancellation only tells operations; the court-action letters tell the parties."""
    context = {"subscriber": subscriber, "items": items, "reason": reason}
    if reason == "cancelled":
        letter_create(
            notice=notice,
            kind="restoration_cancel",
            to_email=settings.OPERATIONS_EMAIL,
            context=context,
            now=now,
        )
        return
    letter_create(
        notice=notice,
        kind="restoration_request",
        to_email=settings.OPERATIONS_EMAIL,
        context=context,
        now=now,
    )
    letter_create(
        notice=notice,
        kind="restoration_subscriber",
        to_email=subscriber.notice_email,
        context=context,
        now=now,
    )
