"""The registry of network notice senders on the desk, for each role: the agent decides
with a reason; Legal staff read; an Auditor reads without the senders' addresses and
personal data in the reasons."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from notices.mailbox.intake import intake_raw
from notices.models import NetworkSender, NetworkSenderDecision
from notices.network.senders import sender_decide
from tests.factories import assignment, subscriber
from tests.notices.network.samples import acns_xml, letter, mail

from .test_network_admin import AGENT, AUDITOR, LEGAL, NO_GROUP, login

pytestmark = pytest.mark.django_db

ADDRESS = "claims@settle.example"


@pytest.fixture
def sender():
    assignment(subscriber("C-1", "Harbor Cloud"), "192.0.2.0/24", "2026-01-01T00:00:00Z")
    demand = mail(letter(xml=acns_xml()) + "\nPay $300 to settle.\n", sender=f"C <{ADDRESS}>")
    intake_raw(demand.as_bytes(), received_at=datetime(2026, 3, 5, tzinfo=UTC))
    found = NetworkSender.objects.get()
    sender_decide(
        sender_id=found.id,
        actor="agent",
        reason="Asked by jo@settle.example to stop attaching.",
        now=datetime(2026, 3, 5, tzinfo=UTC),
        facts_only=True,
    )
    return found


def url(name, *args):
    return reverse(f"admin:notices_networksender_{name}", args=args)


def edit(sender, facts_only=False, **fields):
    """The change form as posted (an unticked box is not posted)."""
    posted = {"name": sender.name, "reply": "off", "reason": "", **fields}
    return posted | ({"facts_only": "on"} if facts_only else {})


@pytest.mark.parametrize(
    "role, reads, changes",
    [(AGENT, 200, True), (LEGAL, 200, False), (AUDITOR, 200, False), (NO_GROUP, 403, False)],
)
def test_who_reads_and_who_decides(client, sender, role, reads, changes):
    login(client, role)
    assert client.get(url("changelist")).status_code == reads
    assert client.get(url("change", sender.id)).status_code == reads
    decisions = reverse("admin:notices_networksenderdecision_changelist")
    assert client.get(decisions).status_code == reads
    assert client.get(url("add")).status_code == 403  # senders are entered by intake
    assert client.get(url("delete", sender.id)).status_code in (403, 302)
    response = client.post(url("change", sender.id), edit(sender, reply="text", reason="Asked."))
    sender.refresh_from_db()
    assert (sender.reply == "text") is changes
    if not changes:
        assert response.status_code == 403
    assert NetworkSender.objects.filter(id=sender.id).exists()


def test_the_agent_records_a_decision_with_its_reason(client, sender):
    login(client, AGENT)
    page = client.get(url("change", sender.id)).text
    assert ADDRESS in page and "acns" in page
    response = client.post(url("change", sender.id), edit(sender, reply="acns"))
    assert "Give the reason for the decision" in response.text
    sender.refresh_from_db()
    assert sender.reply == "off"  # nothing saved without its reason

    response = client.post(
        url("change", sender.id), edit(sender, reply="acns", reason="Wants ACNS."), follow=True
    )
    assert "Decision recorded: Facts only: yes → no; Reply: No reply → ACNS" in response.text
    latest = NetworkSenderDecision.objects.last()
    assert (latest.actor, latest.reason) == ("u-Designated agent", "Wants ACNS.")
    assert latest.changes == {"facts_only": [True, False], "reply": ["off", "acns"]}


def test_settlement_demands_are_counted_for_the_agent(client, sender):
    login(client, AGENT)
    listed = client.get(url("changelist") + "?settlement=yes").text
    assert sender.name in listed
    assert sender.name not in client.get(url("changelist") + "?settlement=no").text


def test_an_auditor_sees_no_address_and_no_personal_data_in_reasons(client, sender):
    login(client, AUDITOR)
    for page in [
        client.get(url("changelist")).text,
        client.get(url("change", sender.id)).text,
        client.get(reverse("admin:notices_networksenderdecision_changelist")).text,
        client.get(
            reverse("admin:notices_networksenderdecision_change", args=[sender.decisions.get().id])
        ).text,
    ]:
        assert ADDRESS not in page and "jo@settle.example" not in page
    assert "settle.example" in client.get(url("change", sender.id)).text  # its name


def test_legal_staff_read_the_reasons_as_written(client, sender):
    login(client, LEGAL)
    page = client.get(url("change", sender.id)).text
    assert ADDRESS in page and "jo@settle.example" in page
