"""Tracing infringing material to subscribers, and the § 512(i) repeat-infringer ledger."""

import ipaddress
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from notices.models import NetworkResource, Notice, Subscriber, SubscriberEvent
from notices.models.network import address_number
from notices.models.workflow import ItemAction, Status

from .cases import NoticeError

ACTED_ON = [ItemAction.REMOVED, ItemAction.ACCESS_DISABLED, ItemAction.ACCOUNT_TERMINATED]
# Notices that do not count against a subscriber: withdrawn, rejected or restored.
NOT_COUNTED = [Status.WITHDRAWN, Status.REJECTED, Status.RESTORED]


def network_range(cidr: str) -> tuple[int, int]:
    network = ipaddress.ip_network(cidr, strict=False)
    return address_number(network.network_address), address_number(network.broadcast_address)


def match_subscriber(host: str) -> Subscriber | None:
    """The subscriber whose resources contain this host or IP; the most specific one wins."""
    return match_subscribers([host])[host]


# Host names per query: keeps a notice with thousands of hosts within SQLite's variable limit.
MATCH_CHUNK = 500


def match_subscribers(hosts: Iterable[str]) -> dict[str, Subscriber | None]:
    """match_subscriber for each host: IP addresses one query each, host names together."""
    found: dict[str, Subscriber | None] = {}
    names = []
    for host in dict.fromkeys(hosts):
        try:
            found[host] = _network_subscriber(address_number(ipaddress.ip_address(host)))
        except ValueError:
            if host:
                names.append(host)
            else:
                found[host] = None
    for start in range(0, len(names), MATCH_CHUNK):
        found.update(_name_subscribers(names[start : start + MATCH_CHUNK]))
    return found


def _network_subscriber(number: int) -> Subscriber | None:
    # Compared in SQL: SQLite keeps IPv6-sized numbers only approximately, so a range test
    # in Python on what it returns can miss.
    networks = NetworkResource.objects.filter(
        kind=NetworkResource.Kind.NETWORK, first_address__lte=number, last_address__gte=number
    ).select_related("subscriber")
    best = min(networks, key=lambda r: r.last_address - r.first_address, default=None)
    return best.subscriber if best else None


def _name_subscribers(hosts: list[str]) -> dict[str, Subscriber | None]:
    """The longest matching host or domain resource for each host name, in one query."""
    suffixes = {host: _suffixes(host) for host in hosts}
    resources = NetworkResource.objects.filter(
        Q(kind=NetworkResource.Kind.HOST, value__in=hosts)
        | Q(
            kind=NetworkResource.Kind.DOMAIN,
            value__in={suffix for names in suffixes.values() for suffix in names},
        )
    ).select_related("subscriber")
    named: dict[tuple[str, str], list[NetworkResource]] = {}
    for r in resources:
        named.setdefault((r.kind, r.value), []).append(r)
    found = {}
    for host in hosts:
        candidates = named.get((NetworkResource.Kind.HOST, host), []) + [
            r
            for suffix in suffixes[host]
            for r in named.get((NetworkResource.Kind.DOMAIN, suffix), [])
        ]
        best = max(candidates, key=lambda r: len(r.value), default=None)
        found[host] = best.subscriber if best else None
    return found


def _suffixes(host: str) -> list[str]:
    """The host and each domain above it, short of the top level."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


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


def with_decision(subscribers: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Annotate each subscriber with its latest termination or reinstatement: `decision`
    (a SubscriberEvent action, or None) and `decided_at`."""
    latest = SubscriberEvent.objects.filter(subscriber=OuterRef("pk")).order_by("-at", "-id")
    return subscribers.annotate(
        decision=Subquery(latest.values("action")[:1]),
        decided_at=Subquery(latest.values("at")[:1]),
    )


def is_repeat_infringer(strikes: int) -> bool:
    return strikes >= settings.REPEAT_INFRINGER_THRESHOLD


def subscriber_terminate(
    *, subscriber_id: int, reason: str, actor: str, now: datetime | None = None
) -> Subscriber:
    """§ 512(i): record the decision to terminate a repeat infringer's account."""
    return _account_decide(subscriber_id, SubscriberEvent.Action.TERMINATED, reason, actor, now)


def subscriber_reinstate(
    *, subscriber_id: int, reason: str, actor: str, now: datetime | None = None
) -> Subscriber:
    """Reverse a termination (a notice counted by mistake, say); the history keeps both."""
    return _account_decide(subscriber_id, SubscriberEvent.Action.REINSTATED, reason, actor, now)


def _account_decide(subscriber_id, action, reason, actor, now) -> Subscriber:
    now = now or timezone.now()
    terminate = action == SubscriberEvent.Action.TERMINATED
    reason = reason.strip()
    if not reason:
        raise NoticeError(
            f"Give the reason for the {'termination' if terminate else 'reinstatement'}."
        )
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(id=subscriber_id)
        if terminate and subscriber.terminated_at:
            raise NoticeError(f"{subscriber} was already terminated.")
        if not terminate and not subscriber.terminated_at:
            raise NoticeError(f"{subscriber} is not terminated.")
        subscriber.terminated_at = now if terminate else None
        subscriber.termination_reason = reason if terminate else ""
        subscriber.save(update_fields=["terminated_at", "termination_reason"])
        SubscriberEvent.objects.create(
            subscriber=subscriber, at=now, actor=actor, action=action, reason=reason
        )
    return subscriber
