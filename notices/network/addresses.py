"""Who held an address at a moment: the most specific assignment valid then."""

import ipaddress
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL

from notices.models import AddressAssignment, NetworkCase
from notices.models.network import address_number

# The exclusion constraint's GiST index (migration 0008) answers both conditions: the
# expressions must be written exactly as the index's.
HELD_AT = "(network::inet) >>= %s::inet AND tstzrange(valid_from, valid_until, '[)') @> %s"


def holder_at(ip: str, moment: datetime) -> AddressAssignment | None:
    """The assignment of the smallest block that held `ip` at `moment`, with its
    subscriber; None if no subscriber held it then. One query."""
    if connection.vendor == "postgresql":
        return holder_by_index(ip, moment)
    return holder_by_numbers(ip, moment)


def holders_at(probes: list[tuple[str, datetime]]) -> list[AddressAssignment | None]:
    """holder_at for many (address, moment) pairs: on PostgreSQL two queries for them all
    (each pair's assignment, then those assignments with their subscribers)."""
    if not probes:
        return []
    if connection.vendor != "postgresql":
        return [holder_by_numbers(ip, moment) for ip, moment in probes]
    ids = holder_ids_by_index(probes)
    found = _assignments().in_bulk({id for id in ids if id is not None})
    return [found.get(id) for id in ids]


def holder_ids_by_index(probes: list[tuple[str, datetime]]) -> list[int | None]:
    """Each pair's assignment id (None: no one held it), in one query: a probe each in a
    VALUES list, each answered by its own scan of the GiST index (LATERAL ... LIMIT 1)."""
    values = ", ".join(["(%s, %s::inet, %s::timestamptz)"] * len(probes))
    params = []
    for number, (ip, moment) in enumerate(probes):
        params += [number, str(ipaddress.ip_address(ip)), moment]
    sql = (
        f"SELECT probe.number, held.id FROM (VALUES {values}) AS probe (number, ip, moment) "
        "CROSS JOIN LATERAL (SELECT id FROM notices_addressassignment "
        "WHERE (network::inet) >>= probe.ip "
        "AND tstzrange(valid_from, valid_until, '[)') @> probe.moment "
        "ORDER BY masklen(network::inet) DESC LIMIT 1) AS held"
    )
    ids: list[int | None] = [None] * len(probes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for number, id in cursor.fetchall():
            ids[number] = id
    return ids


def holder_by_index(ip: str, moment: datetime) -> AddressAssignment | None:
    """PostgreSQL: one scan of the GiST index over (inet, tstzrange)."""
    address = str(ipaddress.ip_address(ip))
    held = RawSQL(HELD_AT, [address, moment], output_field=BooleanField())
    specific = RawSQL("masklen(network::inet)", [], output_field=IntegerField())
    return _assignments().filter(held).order_by(specific.desc()).first()


def holder_by_numbers(ip: str, moment: datetime) -> AddressAssignment | None:
    """Any database: the address as a number within the block's first and last."""
    number = address_number(ipaddress.ip_address(ip))
    # Compared in SQL: SQLite keeps IPv6-sized numbers only approximately.
    return (
        _assignments()
        .filter(first_address__lte=number, last_address__gte=number, valid_from__lte=moment)
        .filter(Q(valid_until=None) | Q(valid_until__gt=moment))
        .order_by((F("last_address") - F("first_address")).asc())
        .first()
    )


def _assignments():
    """With the subscriber, and the id of their open network case (None if none is open),
    in the same query."""
    open_case = NetworkCase.objects.filter(subscriber=OuterRef("subscriber"), closed_at=None)
    return AddressAssignment.objects.select_related("subscriber").annotate(
        open_case_id=Subquery(open_case.values("id")[:1])
    )
