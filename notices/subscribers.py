"""Tracing infringing material to subscribers, and the § 512(i) repeat-infringer ledger."""

import ipaddress

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from .models import NetworkResource, Notice, Subscriber
from .workflow import ItemAction, Status

ACTED_ON = [ItemAction.REMOVED, ItemAction.ACCESS_DISABLED, ItemAction.ACCOUNT_TERMINATED]
# Notices that do not count against a subscriber: withdrawn, rejected or restored.
NOT_COUNTED = [Status.WITHDRAWN, Status.REJECTED, Status.RESTORED]


def address_number(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> int:
    """IPv4 and IPv6 on one number line that keeps them apart."""
    return int(address) + (2**128 if address.version == 6 else 0)


def network_range(cidr: str) -> tuple[int, int]:
    network = ipaddress.ip_network(cidr, strict=False)
    return address_number(network.network_address), address_number(network.broadcast_address)


def match_subscriber(host: str) -> Subscriber | None:
    """The subscriber whose resources contain this host or IP; the most specific one wins."""
    if not host:
        return None
    try:
        number = address_number(ipaddress.ip_address(host))
    except ValueError:
        number = None
    if number is not None:
        resources = NetworkResource.objects.filter(
            kind=NetworkResource.Kind.NETWORK, first_address__lte=number, last_address__gte=number
        )
        best = min(resources, key=lambda r: r.last_address - r.first_address, default=None)
        return best.subscriber if best else None
    labels = host.split(".")
    suffixes = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    resources = NetworkResource.objects.filter(
        Q(kind=NetworkResource.Kind.HOST, value=host)
        | Q(kind=NetworkResource.Kind.DOMAIN, value__in=suffixes)
    ).select_related("subscriber")
    best = max(resources, key=lambda r: len(r.value), default=None)
    return best.subscriber if best else None


def ledger(subscriber: Subscriber) -> QuerySet[Notice]:
    """The notices actioned against a subscriber that count towards § 512(i).

    Counted per item, so that in a case against several subscribers one of them
    restoring material after a counter notice does not clear the others.
    """
    return (
        Notice.objects.filter(
            items__subscriber=subscriber, items__action__in=ACTED_ON, items__restored_at=None
        )
        .exclude(status__in=NOT_COUNTED)
        .distinct()
        .order_by("-received_at")
    )


def with_strikes(subscribers: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Annotate each subscriber with `strikes`: its ledger's length, in one query."""
    counted = Q(items__action__in=ACTED_ON, items__restored_at=None) & ~Q(
        items__notice__status__in=NOT_COUNTED
    )
    return subscribers.annotate(strikes=Count("items__notice", filter=counted, distinct=True))


def is_repeat_infringer(strikes: int) -> bool:
    return strikes >= settings.REPEAT_INFRINGER_THRESHOLD
