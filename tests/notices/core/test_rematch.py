"""Matching follows the network: cases matched again, by hand choices kept, each change
in the history."""

import pytest

from notices.core import cases
from notices.core.subscribers import notices_rematch, resources_rematch
from notices.models import NetworkResource
from tests.factories import subscriber, web_notice

pytestmark = pytest.mark.django_db


def test_a_case_matches_a_subscriber_added_after_it_arrived():
    notice = web_notice()
    assert not notice.items.exclude(subscriber=None).exists()
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    quay = subscriber("C-2", "Quay Servers", [("network", "198.51.100.0/24")])
    assert notices_rematch(notice_ids=[notice.id], actor="agent") == 2
    found = dict(notice.items.values_list("location", "subscriber"))
    assert found == {
        "https://files.example-host.net/share/night-roads.zip": harbor.id,
        "198.51.100.23": quay.id,
    }
    events = notice.events.filter(action="item.subscriber_matched")
    assert {(e.actor, e.data["from"], e.data["to"]) for e in events} == {
        ("agent", None, harbor.id),
        ("agent", None, quay.id),
    }
    assert notices_rematch(notice_ids=[notice.id], actor="agent") == 0  # nothing new


def test_the_agents_own_match_is_never_overwritten():
    notice = web_notice()
    quay = subscriber("C-2", "Quay Servers", [])
    item = notice.items.get(location="198.51.100.23")
    cases.item_assign_subscriber(item_id=item.id, subscriber_id=quay.id, actor="agent")
    subscriber("C-3", "Other", [("network", "198.51.100.0/24")])
    notices_rematch(notice_ids=[notice.id], actor="agent")
    item.refresh_from_db()
    assert item.subscriber == quay and item.subscriber_set_by_hand


def test_a_notified_item_keeps_its_subscriber_and_an_ended_case_is_left_alone():
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notified = web_notice()
    cases.notice_accept(notice_id=notified.id, actor="agent")
    item = notified.items.get(subscriber=harbor)
    cases.notice_disable_material(notice_id=notified.id, actions={item.id: "removed"}, actor="a")
    withdrawn = web_notice()
    cases.notice_withdraw(notice_id=withdrawn.id, actor="complainant")
    subscriber("C-9", "Files Only", [("host", "files.example-host.net")])
    subscriber("C-2", "Quay Servers", [("network", "198.51.100.0/24")])
    notices_rematch(notice_ids=[notified.id, withdrawn.id], actor="agent")
    item.refresh_from_db()
    assert item.subscriber == harbor
    assert notified.items.get(location="198.51.100.23").subscriber.name == "Quay Servers"
    assert not withdrawn.items.exclude(subscriber=None).exclude(subscriber=harbor).exists()


def test_material_down_before_the_match_is_matched_and_its_subscriber_notified():
    notice = web_notice()
    cases.notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.get(location="198.51.100.23")
    cases.notice_disable_material(notice_id=notice.id, actions={item.id: "removed"}, actor="a")
    quay = subscriber("C-2", "Quay Servers", [("network", "198.51.100.0/24")])
    resources_rematch(resources={("network", "198.51.100.0/24")}, actor="agent")
    item.refresh_from_db()
    notice.refresh_from_db()
    assert item.subscriber == quay and notice.status == "subscriber_notified"
    assert notice.letters.get(kind="subscriber_notification").to_email == quay.notice_email


def test_a_changed_resource_rematches_only_the_open_cases_it_covers():
    covered, elsewhere = web_notice(), web_notice()
    elsewhere.items.filter(location__startswith="https").update(host="files.other.example")
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    assert resources_rematch(resources={("domain", "example-host.net")}, actor="desk") == 1
    assert covered.items.filter(subscriber=harbor).count() == 1
    assert not elsewhere.items.exclude(subscriber=None).exists()
    # The domain goes: the items it covered are matched to no one again.
    NetworkResource.objects.filter(subscriber=harbor).delete()
    assert resources_rematch(resources={("domain", "example-host.net")}, actor="desk") == 1
    assert not covered.items.exclude(subscriber=None).exists()
