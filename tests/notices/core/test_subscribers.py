from datetime import UTC, datetime

import pytest

from notices.core import cases, subscribers
from notices.core.subscribers import is_repeat_infringer, ledger, match_subscriber, with_strikes
from notices.models import Notice, Subscriber
from tests.conftest import needs
from tests.factories import subscriber, web_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers():
    return {
        "harbor": subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")]),
        "media": subscriber("C-2", "Media Shelf", [("host", "cdn.example-host.net")]),
        "quay": subscriber("C-3", "Quay Servers", [("network", "198.51.100.0/24")]),
        "quay_small": subscriber("C-4", "Quay Reseller", [("network", "198.51.100.16/28")]),
        "six": subscriber("C-5", "Six Hosting", [("network", "2001:db8:42::/48")]),
    }


@pytest.mark.parametrize(
    "host, who",
    [
        ("example-host.net", "harbor"),
        ("files.example-host.net", "harbor"),
        ("a.b.example-host.net", "harbor"),
        ("cdn.example-host.net", "media"),  # a single host beats the domain around it
        ("198.51.100.200", "quay"),
        ("198.51.100.23", "quay_small"),  # the smaller network wins
        ("2001:db8:42::7", "six"),
        ("example-host.org", None),
        ("notexample-host.net", None),
        ("198.51.101.1", None),
        ("", None),
    ],
)
def test_items_are_matched_by_host_and_by_ip_inside_a_network(customers, host, who):
    found = match_subscriber(host)
    assert found == (customers[who] if who else None)


def test_a_notice_with_names_and_addresses_is_matched_host_by_host_in_one_query(
    customers, django_assert_num_queries
):
    hosts = [
        "files.example-host.net",
        "cdn.example-host.net",
        "198.51.100.23",
        "198.51.100.200",
        "2001:db8:42::7",
        "198.51.101.1",
        "example-host.org",
        "",
        "198.51.100.23",
    ]
    with django_assert_num_queries(1):
        found = subscribers.match_subscribers(hosts)
    who = {host: found[host] for host in hosts}
    assert who == {
        "files.example-host.net": customers["harbor"],
        "cdn.example-host.net": customers["media"],
        "198.51.100.23": customers["quay_small"],
        "198.51.100.200": customers["quay"],
        "2001:db8:42::7": customers["six"],
        "198.51.101.1": None,
        "example-host.org": None,
        "": None,
    }


def test_a_notice_with_more_addresses_than_one_query_takes_gets_each_matched(customers):
    addresses = [f"198.51.100.{n}" for n in range(256)] + [f"198.51.101.{n}" for n in range(50)]
    found = subscribers.match_subscribers(addresses)
    assert {found[f"198.51.100.{n}"] for n in range(16, 32)} == {customers["quay_small"]}
    assert {found[f"198.51.100.{n}"] for n in [*range(16), *range(32, 256)]} == {customers["quay"]}
    assert {found[f"198.51.101.{n}"] for n in range(50)} == {None}


def test_a_small_ipv6_network_wins_over_the_one_around_it(customers):
    # SQLite (the embedded setup) keeps 128-bit numbers as floats: networks finer than about
    # /50 cannot be told apart there.
    needs("postgresql")
    small = subscriber("C-6", "Six Reseller", [("network", "2001:db8:42:7::/64")])
    assert match_subscriber("2001:db8:42:7::5") == small
    assert match_subscriber("2001:db8:42::7") == customers["six"]


def test_the_agent_can_override_a_match(customers):
    notice = web_notice()
    item = notice.items.get(host="198.51.100.23")
    assert item.subscriber == customers["quay_small"]
    cases.item_assign_subscriber(item_id=item.id, subscriber_id=customers["quay"].id, actor="agent")
    item.refresh_from_db()
    assert (item.subscriber, item.subscriber_set_by_hand) == (customers["quay"], True)
    event = notice.events.get(action="item.subscriber_set")
    assert event.data == {
        "item": item.id,
        "from": customers["quay_small"].id,
        "to": customers["quay"].id,
    }


def takedown(notice):
    cases.notice_accept(notice_id=notice.id, actor="agent")
    cases.notice_disable_material(
        notice_id=notice.id,
        actions={item.id: "access_disabled" for item in notice.items.exclude(subscriber=None)},
        actor="agent",
    )


def test_the_repeat_infringer_ledger_counts_actioned_notices(customers):
    quay = customers["quay_small"]
    first, second, untouched = web_notice(), web_notice(), web_notice()
    takedown(first)
    takedown(second)
    assert set(ledger(quay)) == {first, second}
    assert with_strikes(Subscriber.objects.filter(id=quay.id)).get().strikes == 2
    assert untouched not in ledger(quay)
    assert ledger(customers["harbor"]).count() == 2
    assert ledger(customers["media"]).count() == 0


@pytest.mark.parametrize("ending", ["withdrawn", "rejected", "restored"])
def test_notices_withdrawn_rejected_or_restored_later_do_not_count(customers, ending):
    quay = customers["quay_small"]
    kept, undone = web_notice(), web_notice()
    takedown(kept)
    takedown(undone)
    # The counter-notice and withdrawal paths that end a case this way come later; set
    # the ending directly to check the ledger's rule on its own.
    Notice.objects.filter(id=undone.id).update(status=ending)
    assert list(ledger(quay)) == [kept]
    assert with_strikes(Subscriber.objects.filter(id=quay.id)).get().strikes == 1


def test_the_threshold_flags_a_repeat_infringer(settings):
    settings.REPEAT_INFRINGER_THRESHOLD = 2
    assert not is_repeat_infringer(1)
    assert is_repeat_infringer(2)


def test_termination_is_recorded_with_who_when_and_why():
    quay = subscriber("C-7", "Quay Media")
    moment = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    subscribers.subscriber_terminate(
        subscriber_id=quay.id, reason="Fourth notice", actor="agent", now=moment
    )
    quay.refresh_from_db()
    assert (quay.terminated_at, quay.termination_reason) == (moment, "Fourth notice")
    event = quay.events.get()
    assert (event.action, event.actor, event.at, event.reason) == (
        "subscriber.terminated",
        "agent",
        moment,
        "Fourth notice",
    )
    with pytest.raises(cases.NoticeError, match="already terminated"):
        subscribers.subscriber_terminate(subscriber_id=quay.id, reason="again", actor="agent")
    assert quay.events.count() == 1


def test_a_reinstatement_needs_a_reason_and_keeps_the_termination_in_the_history():
    quay = subscriber("C-7", "Quay Media")
    with pytest.raises(cases.NoticeError, match="is not terminated"):
        subscribers.subscriber_reinstate(subscriber_id=quay.id, reason="Mistake", actor="agent")
    subscribers.subscriber_terminate(subscriber_id=quay.id, reason="Fourth notice", actor="agent")
    with pytest.raises(cases.NoticeError, match="Give the reason"):
        subscribers.subscriber_reinstate(subscriber_id=quay.id, reason="  ", actor="agent")
    subscribers.subscriber_reinstate(
        subscriber_id=quay.id, reason="Two notices were withdrawn.", actor="lead"
    )
    quay.refresh_from_db()
    assert (quay.terminated_at, quay.termination_reason) == (None, "")
    assert [(e.action, e.actor, e.reason) for e in quay.events.order_by("at", "id")] == [
        ("subscriber.terminated", "agent", "Fourth notice"),
        ("subscriber.reinstated", "lead", "Two notices were withdrawn."),
    ]
