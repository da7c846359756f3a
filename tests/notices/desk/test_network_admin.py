"""The network pages of the desk, for each role: the address plan and its import, network
cases and events. An Auditor sees outcomes and counts, never the reported addresses."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.mailbox.intake import intake_raw
from notices.models import AddressAssignment, NetworkCase, NetworkEvent
from tests.factories import assignment, subscriber
from tests.notices.network.samples import acns_xml, letter, mail

pytestmark = pytest.mark.django_db

AGENT, LEGAL, AUDITOR, NO_GROUP = "Designated agent", "Legal staff", "Auditor", None
PLAN = (
    "subscriber,name,email,network,valid_from,valid_until,service\n"
    "C-8,Eight,noc@eight.example,198.51.100.0/25,2026-01-01,,transit\n"
)


@pytest.fixture
def events():
    """A case event from 192.0.2.10 and a not-ours one from 203.0.113.77."""
    assignment(subscriber("C-1", "Harbor Cloud"), "192.0.2.0/24", "2026-01-01T00:00:00Z")
    arrived = datetime(2026, 3, 5, tzinfo=UTC)
    intake_raw(mail(letter(xml=acns_xml())).as_bytes(), received_at=arrived)
    other = mail(letter(ip="203.0.113.77", xml=acns_xml(ip="203.0.113.77", case_id="NW-9")))
    other.replace_header("Message-ID", "<n-9@rights.example>")
    intake_raw(other.as_bytes(), received_at=arrived)
    return NetworkEvent.objects.order_by("id")


def login(client, role):
    user = User.objects.create_user(username=f"u-{role}", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


def status(client, name, *args):
    return client.get(reverse(f"admin:{name}", args=args)).status_code


@pytest.mark.parametrize(
    "role, plan, imports, network",
    [(AGENT, 200, 200, 200), (LEGAL, 200, 403, 200), (AUDITOR, 403, 403, 200),
     (NO_GROUP, 403, 403, 403)],
)  # fmt: skip
def test_who_opens_which_network_page(client, events, role, plan, imports, network):
    login(client, role)
    case = NetworkCase.objects.get()
    assert status(client, "notices_addressassignment_changelist") == plan
    assert status(client, "notices_addressassignment_import") == imports
    assert status(client, "notices_networkevent_changelist") == network
    assert status(client, "notices_networkevent_change", events.first().id) == network
    assert status(client, "notices_networkcase_changelist") == network
    assert status(client, "notices_networkcase_change", case.id) == network


def test_the_agent_imports_the_plan_in_the_admin(client, tmp_path):
    login(client, AGENT)
    url = reverse("admin:notices_addressassignment_import")
    path = tmp_path / "plan.csv"
    path.write_text(PLAN)
    with path.open("rb") as file:
        response = client.post(url, {"file": file}, follow=True)
    assert "1 assignment(s) added" in response.text
    assert AddressAssignment.objects.get().network == "198.51.100.0/25"
    path.write_text(PLAN + "C-9,Nine,not-mail,198.51.100.0/25,2026-02-01,,transit\n")
    with path.open("rb") as file:
        response = client.post(url, {"file": file})
    assert "Nothing was imported" in response.text
    assert "Line 3: email: &#x27;not-mail&#x27; is not an e-mail address." in response.text
    assert AddressAssignment.objects.count() == 1


def test_legal_staff_cannot_import(client, tmp_path):
    login(client, LEGAL)
    path = tmp_path / "plan.csv"
    path.write_text(PLAN)
    with path.open("rb") as file:
        response = client.post(reverse("admin:notices_addressassignment_import"), {"file": file})
    assert response.status_code == 403 and not AddressAssignment.objects.exists()


def test_the_agent_sees_every_event_with_its_outcome_and_address(client, events):
    login(client, AGENT)
    listing = client.get(reverse("admin:notices_networkevent_changelist")).text
    assert "192.0.2.10" in listing and "203.0.113.77" in listing
    assert "Not ours" in listing and "On the subscriber" in listing
    page = reverse("admin:notices_networkcase_change", args=[NetworkCase.objects.get().id])
    case = client.get(page)
    assert "192.0.2.10" in case.text and "NW-1001" in case.text


def test_an_auditor_sees_outcomes_but_no_address_or_reporter(client, events):
    login(client, AUDITOR)
    pages = [
        reverse("admin:notices_networkevent_changelist"),
        reverse("admin:notices_networkevent_change", args=[events.first().id]),
        reverse("admin:notices_networkevent_change", args=[events.last().id]),
        reverse("admin:notices_networkcase_changelist"),
        reverse("admin:notices_networkcase_change", args=[NetworkCase.objects.get().id]),
    ]
    for url in pages:
        text = client.get(url).text
        for value in ["192.0.2.10", "203.0.113.77", "51413", "notices@rights.example"]:
            assert value not in text, (url, value)
    listing = client.get(pages[0]).text
    assert "Not ours" in listing and "NW-1001" in listing
    # Neither a search nor a filter in the address finds an event by its address.
    assert "NW-1001" not in client.get(pages[0], {"q": "192.0.2.10"}).text
    assert client.get(pages[0], {"ip__startswith": "192.0.2"}).status_code == 400


def test_today_on_the_desk_counts_the_days_network_events_by_outcome(client):
    from django.utils import timezone

    from notices.network.intake import network_events_record
    from tests.conftest import desk_today

    assignment(subscriber("C-1", "Harbor Cloud"), "192.0.2.0/24", "2026-01-01T00:00:00Z")
    now = timezone.now()
    for ip, case_id in [("192.0.2.1", "A"), ("192.0.2.2", "A"), ("203.0.113.1", "B")]:
        reported = {"ip": ip, "timestamp": f"{now:%Y-%m-%dT%H:%M:%S}Z", "case_id": case_id}
        network_events_record([reported], format="acns", sender="n@rights.example",
                              received_at=now)  # fmt: skip
    for role in (AGENT, AUDITOR):
        login(client, role)
        today = desk_today(client.get(reverse("admin:index")).text)
        assert today["Network notices, last 24 hours: on the subscriber's network case"][0] == 1
        assert today["Network notices, last 24 hours: duplicate"][0] == 1
        assert today["Network notices, last 24 hours: not ours"][0] == 1
        assert today["Network notices, last 24 hours: too old"][0] == 0
    login(client, NO_GROUP)
    assert not any("Network" in label for label in desk_today(client.get("/admin/").text))


def test_today_on_the_desk_counts_open_network_cases_for_those_who_may_see_them(client, events):
    from tests.conftest import desk_today

    closed = NetworkCase.objects.create(
        subscriber=subscriber("C-2", "Two"),
        opened_at=datetime(2026, 1, 5, tzinfo=UTC),
        closed_at=datetime(2026, 2, 5, tzinfo=UTC),
    )
    for role in (AGENT, LEGAL, AUDITOR):
        login(client, role)
        page = client.get(reverse("admin:index")).text
        count, _ = desk_today(page)["Open network cases"]
        assert count == 1
        listing = client.get(
            reverse("admin:notices_networkcase_changelist"), {"closed_at__isempty": "1"}
        ).text
        assert NetworkCase.objects.exclude(id=closed.id).get().reference in listing
        assert closed.reference not in listing
    login(client, NO_GROUP)
    assert "Open network cases" not in desk_today(client.get(reverse("admin:index")).text)
