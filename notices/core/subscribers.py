"""Tracing infringing material to subscribers, and the § 512(i) repeat-infringer ledger."""

import ipaddress
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
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


# Host names and IP addresses per query: keeps a notice with thousands of hosts within
# SQLite's variable limit (an address takes four).
MATCH_CHUNK = 500
ADDRESS_CHUNK = 100


def match_subscribers(hosts: Iterable[str]) -> dict[str, Subscriber | None]:
    """match_subscriber for each host, in one query for a notice's few hosts."""
    found: dict[str, Subscriber | None] = {}
    names, addresses = [], []
    for host in dict.fromkeys(hosts):
        try:
            addresses.append((host, address_number(ipaddress.ip_address(host))))
        except ValueError:
            if host:
                names.append(host)
            else:
                found[host] = None
    queries = max(-(-len(names) // MATCH_CHUNK), -(-len(addresses) // ADDRESS_CHUNK))
    for n in range(queries):
        found.update(
            _subscribers(
                names[n * MATCH_CHUNK : (n + 1) * MATCH_CHUNK],
                addresses[n * ADDRESS_CHUNK : (n + 1) * ADDRESS_CHUNK],
            )
        )
    return found


def _subscribers(
    names: list[str], addresses: list[tuple[str, int]]
) -> dict[str, Subscriber | None]:
    """The longest matching host or domain resource for each host name, and the smallest
    network holding each address, in one query (written out: the ORM took most of a
    millisecond to compile it, on every notice)."""
    suffixes = {host: _suffixes(host) for host in names}
    domains = list({suffix for names in suffixes.values() for suffix in names})
    Kind = NetworkResource.Kind
    # Whether a network holds an address is answered in SQL, one column per address:
    # SQLite keeps IPv6-sized numbers only approximately, so a range test in Python on what
    # it returns can miss. The numbers are given as the ORM gives them (text on SQLite).
    number = NetworkResource._meta.get_field("first_address")
    holds, holds_params = [], []
    for _, address in addresses:
        holds.append("(r.kind = %s AND r.first_address <= %s AND r.last_address >= %s)")
        holds_params += [Kind.NETWORK, *[number.get_db_prep_value(address, connection)] * 2]
    wanted, wanted_params = list(holds), list(holds_params)
    for kind, values in ((Kind.HOST, names), (Kind.DOMAIN, domains)):
        if values:
            wanted.append(f"(r.kind = %s AND r.value IN ({', '.join(['%s'] * len(values))}))")
            wanted_params += [kind, *values]
    columns = ", ".join(f"s.{connection.ops.quote_name(f.column)}" for f in _SUBSCRIBER_FIELDS)
    flags = "".join(f", {test} AS holds_{n}" for n, test in enumerate(holds))
    resources = list(
        Subscriber.objects.raw(
            f"SELECT {columns}, r.kind AS resource_kind, r.value AS resource_value, "
            f"r.first_address AS resource_first, r.last_address AS resource_last{flags} "
            f"FROM {NetworkResource._meta.db_table} r "
            f"JOIN {Subscriber._meta.db_table} s ON s.id = r.subscriber_id "
            f"WHERE {' OR '.join(wanted)}",
            holds_params + wanted_params,
        )
    )
    named: dict[tuple[str, str], list[Subscriber]] = {}
    for r in resources:
        named.setdefault((r.resource_kind, r.resource_value), []).append(r)
    found = {}
    for host in names:
        candidates = named.get((Kind.HOST, host), []) + [
            r for suffix in suffixes[host] for r in named.get((Kind.DOMAIN, suffix), [])
        ]
        found[host] = max(candidates, key=lambda r: len(r.resource_value), default=None)
    for n, (host, _) in enumerate(addresses):
        networks = [r for r in resources if getattr(r, f"holds_{n}")]
        found[host] = min(networks, key=lambda r: r.resource_last - r.resource_first, default=None)
    return found


_SUBSCRIBER_FIELDS = Subscriber._meta.concrete_fields


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
