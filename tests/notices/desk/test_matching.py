"""Re-matching on the desk: the case's button, the list action, a subscriber's changed
networks; subscriber domains as people paste them; one § 512(i) count everywhere."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.core import cases
from notices.models import NetworkResource, Subscriber
from tests.factories import subscriber, web_notice

pytestmark = pytest.mark.django_db

ROLES = ["Designated agent", "Legal staff", "Auditor"]


def login(client, role: str | None) -> User:
    user = User.objects.create_user(username=f"user-{role or 'none'}", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def unmatched_case():
    """A case whose items arrived before the subscriber covering them was known."""
    notice = web_notice()
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    return notice


def matched(notice) -> int:
    return notice.items.exclude(subscriber=None).count()


@pytest.mark.parametrize("role", [*ROLES, None])
def test_the_rematch_button_is_the_agents(client, role):
    notice = unmatched_case()
    url = reverse("admin:notices_notice_rematch", args=[notice.id])
    if role:
        login(client, role)
    response = client.post(url)
    if role == "Designated agent":
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "1 item(s) matched anew" in page and "Re-match subscribers" in page
        assert matched(notice) == 1
    else:
        assert response.status_code in (302, 403)
        assert role or "/login/" in response["Location"]
        assert matched(notice) == 0


@pytest.mark.parametrize("role", [*ROLES])
def test_the_list_action_rematches_many_cases_for_the_agent_only(client, role):
    notices = [web_notice(), web_notice()]
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    login(client, role)
    client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "rematch_action", "_selected_action": [n.id for n in notices]},
    )
    expected = 1 if role == "Designated agent" else 0
    assert [matched(n) for n in notices] == [expected, expected]


def subscriber_form(customer: Subscriber, resources: list[tuple[str, str]]) -> dict:
    """The subscriber's admin page as posted, with these networks and domains."""
    existing = list(customer.resources.all())
    data = {
        "account_id": customer.account_id,
        "name": customer.name,
        "notice_email": customer.notice_email,
        "street": customer.street,
        "city": customer.city,
        "region": customer.region,
        "postal_code": customer.postal_code,
        "country": customer.country,
        "resources-TOTAL_FORMS": str(len(existing) + len(resources)),
        "resources-INITIAL_FORMS": str(len(existing)),
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "1000",
    }
    for n, resource in enumerate(existing):
        data |= {
            f"resources-{n}-id": str(resource.id),
            f"resources-{n}-subscriber": str(customer.id),
            f"resources-{n}-kind": resource.kind,
            f"resources-{n}-value": resource.value,
            f"resources-{n}-DELETE": "on",
        }
    for n, (kind, value) in enumerate(resources, start=len(existing)):
        data |= {f"resources-{n}-kind": kind, f"resources-{n}-value": value}
    return data


def test_a_pasted_web_address_is_stored_as_its_domain_and_open_cases_follow(client):
    notice = web_notice()
    notice.items.filter(location__startswith="https").update(host="files.nightshare.example")
    customer = subscriber("C-7", "Nightshare", [("network", "203.0.113.0/24")])
    login(client, "Designated agent")
    url = reverse("admin:notices_subscriber_change", args=[customer.id])
    response = client.post(
        url, subscriber_form(customer, [("domain", "https://nightshare.example/")])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(customer.resources.values_list("kind", "value")) == [
        ("domain", "nightshare.example")
    ]
    item = notice.items.get(host="files.nightshare.example")
    assert item.subscriber == customer and not item.subscriber_set_by_hand
    event = notice.events.get(action="item.subscriber_matched")
    assert (event.data["from"], event.data["to"]) == (None, customer.id)


def test_a_domain_that_is_no_host_name_is_refused_with_a_message(client):
    customer = subscriber("C-7", "Nightshare", [])
    login(client, "Designated agent")
    url = reverse("admin:notices_subscriber_change", args=[customer.id])
    page = client.post(url, subscriber_form(customer, [("domain", "https://198.51.100.7/")]))
    assert "a web address such as https://example.com/ is read as its host" in page.content.decode()
    assert not NetworkResource.objects.exists()


def strikes_on(page: str, name: str) -> list[str]:
    return re.findall(rf"{name}</a>.*?<small>(\d+) notices? actioned</small>", page, re.S)


def test_the_512i_count_is_the_same_on_every_case_page_the_list_and_the_ledger(client):
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    actioned, *others = [web_notice() for _ in range(4)]
    cases.notice_accept(notice_id=actioned.id, actor="agent")
    item = actioned.items.get(subscriber=harbor)
    cases.notice_disable_material(notice_id=actioned.id, actions={item.id: "removed"}, actor="a")
    login(client, "Designated agent")
    for notice in [actioned, *others]:
        url = reverse("admin:notices_notice_change", args=[notice.id])
        assert strikes_on(client.get(url).content.decode(), "Harbor Cloud") == ["1"], notice
    listing = client.get(reverse("admin:notices_subscriber_changelist")).content.decode()
    assert re.search(r'class="field-strike_count">1<', listing)
    ledger = client.get(reverse("admin:notices_subscriber_change", args=[harbor.id]))
    assert "notices actioned against this subscriber (1)" in ledger.content.decode()
