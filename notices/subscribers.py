"""Tracing infringing material to subscribers, and the § 512(i) repeat-infringer ledger."""

import ipaddress
from collections.abc import Iterable
from functools import reduce
from operator import or_

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
    return match_subscribers([host])[host]


# Hosts per query: keeps a notice with thousands of hosts within SQLite's variable limit.
MATCH_CHUNK = 500


def match_subscribers(hosts: Iterable[str]) -> dict[str, Subscriber | None]:
    """match_subscriber for each host, in one query per MATCH_CHUNK hosts rather than one
    per host."""
    hosts = list(dict.fromkeys(hosts))
    found: dict[str, Subscriber | None] = {}
    for start in range(0, len(hosts), MATCH_CHUNK):
        found.update(_match_chunk(hosts[start : start + MATCH_CHUNK]))
    return found


def _match_chunk(hosts: list[str]) -> dict[str, Subscriber | None]:
    numbers: dict[str, int] = {}  # IP addresses
    suffixes: dict[str, list[str]] = {}  # host names: the domains they fall under
    for host in filter(None, hosts):
        try:
            numbers[host] = address_number(ipaddress.ip_address(host))
        except ValueError:
            labels = host.split(".")
            suffixes[host] = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    conditions = []
    if suffixes:
        conditions.append(Q(kind=NetworkResource.Kind.HOST, value__in=list(suffixes)))
        conditions.append(
            Q(
                kind=NetworkResource.Kind.DOMAIN,
                value__in={suffix for names in suffixes.values() for suffix in names},
            )
        )
    resources = (
        list(NetworkResource.objects.filter(reduce(or_, conditions)).select_related("subscriber"))
        if conditions
        else []
    )
    names: dict[tuple[str, str], list[NetworkResource]] = {}
    for r in resources:
        names.setdefault((r.kind, r.value), []).append(r)
    found: dict[str, Subscriber | None] = {}
    for host in hosts:
        if host in numbers:
            # One query per address, compared in SQL: SQLite keeps IPv6-sized numbers only
            # approximately, so a range test in Python on what it returns can miss.
            contain = NetworkResource.objects.filter(
                kind=NetworkResource.Kind.NETWORK,
                first_address__lte=numbers[host],
                last_address__gte=numbers[host],
            ).select_related("subscriber")
            best = min(contain, key=lambda r: r.last_address - r.first_address, default=None)
        elif host in suffixes:
            named = names.get((NetworkResource.Kind.HOST, host), []) + [
                r
                for suffix in suffixes[host]
                for r in names.get((NetworkResource.Kind.DOMAIN, suffix), [])
            ]
            best = max(named, key=lambda r: len(r.value), default=None)
        else:
            best = None
        found[host] = best.subscriber if best else None
    return found


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
