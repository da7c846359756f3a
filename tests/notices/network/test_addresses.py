"""Who held an address at a moment: periods, their boundaries and the most specific block."""

from datetime import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from notices.network import addresses
from tests.conftest import needs
from tests.factories import assignment, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["holder_at", "holder_by_numbers"])
def lookup(request):
    """The product's lookup (the GiST index on PostgreSQL), and the embedded setup's."""
    return getattr(addresses, request.param)


def held(ip, moment, lookup=addresses.holder_at):
    found = lookup(ip, datetime.fromisoformat(moment))
    return found.subscriber.account_id if found else None


@pytest.fixture
def plan():
    """198.51.100.0/24: C-1 in the first half of 2026, C-2 from July on; C-3 holds a /28
    inside it all year; C-6 an IPv6 /48 with no end."""
    one, two, three, six = (subscriber(f"C-{n}", f"Customer {n}") for n in (1, 2, 3, 6))
    assignment(one, "198.51.100.0/24", "2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z")
    assignment(two, "198.51.100.0/24", "2026-07-01T00:00:00Z")
    assignment(three, "198.51.100.16/28", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")
    assignment(six, "2001:db8:42::/48", "2025-06-01T12:00:00+02:00", service="hosting")


def test_the_holder_is_the_one_whose_period_covers_the_moment(plan, lookup):
    assert held("198.51.100.77", "2026-03-15T08:00:00Z", lookup) == "C-1"
    assert held("198.51.100.77", "2026-09-15T08:00:00Z", lookup) == "C-2"


def test_a_period_starts_at_its_first_moment_and_ends_before_its_last(plan, lookup):
    assert held("198.51.100.77", "2025-12-31T23:59:59Z", lookup) is None  # before
    assert held("198.51.100.77", "2026-01-01T00:00:00Z", lookup) == "C-1"  # at the start
    assert held("198.51.100.77", "2026-06-30T23:59:59.999999Z", lookup) == "C-1"
    assert held("198.51.100.77", "2026-07-01T00:00:00Z", lookup) == "C-2"  # at the end: the next
    assert held("198.51.100.77", "2026-07-01T02:00:00+02:00", lookup) == "C-2"  # the same moment


def test_an_open_period_lasts(plan, lookup):
    assert held("198.51.100.1", "2099-01-01T00:00:00Z", lookup) == "C-2"


def test_the_most_specific_block_wins_while_it_is_held(plan, lookup):
    assert held("198.51.100.20", "2026-03-15T08:00:00Z", lookup) == "C-3"
    assert held("198.51.100.20", "2026-09-15T08:00:00Z", lookup) == "C-3"
    assert held("198.51.100.20", "2027-01-01T00:00:00Z", lookup) == "C-2"  # the /28 ended
    assert held("198.51.100.32", "2026-03-15T08:00:00Z", lookup) == "C-1"  # just outside the /28


def test_ipv6(plan, lookup):
    assert held("2001:db8:42:ffff::1", "2025-06-01T10:00:00Z", lookup) == "C-6"  # 12:00 at +02:00
    assert held("2001:db8:42::1", "2025-06-01T09:59:59Z", lookup) is None
    assert held("2001:db8:43::1", "2026-03-15T08:00:00Z", lookup) is None
    assert held("192.0.2.1", "2026-03-15T08:00:00Z", lookup) is None


def test_a_single_address_is_a_block_of_one(plan, lookup):
    assignment(subscriber("C-9", "Nine"), "198.51.100.77", "2026-03-01T00:00:00Z")
    assert held("198.51.100.77", "2026-03-15T08:00:00Z", lookup) == "C-9"
    assert held("198.51.100.78", "2026-03-15T08:00:00Z", lookup) == "C-1"


def test_postgresql_refuses_one_block_held_twice_at_once(plan):
    needs("postgresql")
    with pytest.raises(IntegrityError), transaction.atomic():
        assignment(subscriber("C-7", "Seven"), "198.51.100.0/24", "2026-06-01T00:00:00Z",
                   "2026-08-01T00:00:00Z")  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_lookup_is_one_index_scan_on_postgresql(plan):
    needs("postgresql")
    HELD_AT = addresses.HELD_AT
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the plan
        cursor.execute(
            f"EXPLAIN SELECT id FROM notices_addressassignment WHERE {HELD_AT}",
            ["198.51.100.77", datetime.fromisoformat("2026-03-15T08:00:00Z")],
        )
        plan_text = " ".join(row[0] for row in cursor.fetchall())
    assert "assignment_no_overlap" in plan_text


def test_one_address_at_one_moment_is_one_query(plan, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert addresses.holder_at("198.51.100.20", datetime.fromisoformat("2026-03-15T08:00Z"))
