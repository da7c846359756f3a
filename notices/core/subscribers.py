"""Tracing infringing material to subscribers, and the § 512(i) repeat-infringer ledger."""

import ipaddress
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from notices.models import InfringingItem, NetworkResource, Notice, Subscriber, SubscriberEvent
from notices.models.network import address_number
from notices.models.workflow import ACTED_ON, FINAL, Status

from .cases import NoticeError, lock_case, set_subscriber

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


def notices_rematch(*, notice_ids: Iterable[int], actor: str, now: datetime | None = None) -> int:
    """Match the items of these cases to subscribers again, as the network is now; return
    how many items changed. Each change is an audit event.

    Never touched: a case that has ended, an item the agent matched by hand, an item acted
    on (its subscriber was notified) unless it was taken down before anyone knew whose it
    was. One case at a time, each under its lock."""
    now = now or timezone.now()
    changed = 0
    for notice_id in sorted(set(notice_ids)):
        with transaction.atomic():
            notice = lock_case(notice_id)
            if notice.status in FINAL:
                continue
            items = [
                item
                for item in notice.items.filter(subscriber_set_by_hand=False).exclude(host="")
                if item.matchable
            ]
            found = match_subscribers(item.host for item in items)
            for item in items:
                subscriber_id = found[item.host].id if found[item.host] else None
                if subscriber_id != item.subscriber_id:
                    item.notice = notice
                    set_subscriber(item, subscriber_id, actor, now, by_hand=False)
                    changed += 1
    return changed


def resources_rematch(
    *, resources: Iterable[tuple[str, str]], actor: str, now: datetime | None = None
) -> int:
    """After network resources were added, changed or removed (given as (kind, value),
    before and after the change): match again the open cases' items they cover."""
    return notices_rematch(notice_ids=_covered_cases(set(resources)), actor=actor, now=now)


def _covered_cases(resources: set[tuple[str, str]]) -> set[int]:
    """The open cases with an item, not matched by hand, under one of these resources."""
    open_items = InfringingItem.objects.exclude(notice__status__in=FINAL).filter(
        subscriber_set_by_hand=False
    )
    names = Q(pk__in=[])
    networks = []
    for kind, value in resources:
        if kind == NetworkResource.Kind.NETWORK:
            networks.append(ipaddress.ip_network(value, strict=False))
        elif kind == NetworkResource.Kind.HOST:
            names |= Q(host=value)
        else:
            names |= Q(host=value) | Q(host__endswith=f".{value}")
    covered = set(open_items.filter(names).values_list("notice_id", flat=True))
    if networks:
        for notice_id, host in open_items.filter(kind="ip").values_list("notice_id", "host"):
            address = ipaddress.ip_address(host)
            if any(address in network for network in networks):
                covered.add(notice_id)
    return covered


def counted_notices(subscriber) -> QuerySet[Notice]:
    """The notices actioned against a subscriber (a Subscriber or an OuterRef to one) that
    count towards § 512(i): the one definition the ledger, the subscriber list and the case
    page all read.

    Counted per item, so that in a case against several subscribers one of them
    restoring material after a counter notice does not clear the others.
    """
    return Notice.objects.filter(
        items__subscriber=subscriber, items__action__in=ACTED_ON, items__restored_at=None
    ).exclude(status__in=NOT_COUNTED)


def ledger(subscriber: Subscriber) -> QuerySet[Notice]:
    return counted_notices(subscriber).distinct().order_by("-received_at")


def disputed_notices(subscriber: Subscriber) -> QuerySet[Notice]:
    """The notices against a subscriber that left the § 512(i) count because the
    material was restored after a counter notice: the policy does not count them, but
    the ledger keeps them in sight, as disputed."""
    restored = Notice.objects.filter(
        Q(items__restored_at__isnull=False) | Q(status=Status.RESTORED),
        items__subscriber=subscriber,
        items__action__in=ACTED_ON,
    ).exclude(status__in=[Status.WITHDRAWN, Status.REJECTED])
    return (
        restored.exclude(id__in=counted_notices(subscriber).values("id"))
        .distinct()
        .order_by("-received_at")
    )


class _CountDistinct(Func):
    """COUNT(DISTINCT …) as a plain function: the subquery counts its own rows, and
    Django adds no GROUP BY that would split the count."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def with_strikes(subscribers: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Annotate each subscriber with `strikes`: its ledger's length, in one query. A
    subquery per subscriber, so whatever the caller filtered on (the items of one case)
    does not narrow the count."""
    count = counted_notices(OuterRef("pk")).order_by().annotate(n=_CountDistinct("id"))
    return subscribers.annotate(strikes=Subquery(count.values("n")[:1]))


def with_decision(subscribers: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Annotate each subscriber with its latest termination or reinstatement: `decision`
    (a SubscriberEvent action, or None) and `decided_at`."""
    # The account's decisions only: the policy's steps and mitigations share its history.
    decisions = [SubscriberEvent.Action.TERMINATED, SubscriberEvent.Action.REINSTATED]
    latest = SubscriberEvent.objects.filter(
        subscriber=OuterRef("pk"), action__in=decisions
    ).order_by("-at", "-id")
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
