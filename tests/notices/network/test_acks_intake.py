"""Acknowledgements as the mailbox takes reports in: off by default, on per sender, once
per report, in the transaction that stores its events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.mailbox.intake import intake_raw
from notices.models import Letter, NetworkEvent, NetworkSender
from notices.network.senders import network_sender_for
from tests.factories import assignment, subscriber

from .samples import acns_xml, letter, mail

pytestmark = pytest.mark.django_db


def report(message_id="<r-1@rights.example>", ip="198.51.100.8", case_id="NW-1"):
    moment = f"{timezone.now() - timedelta(hours=3):%Y-%m-%dT%H:%M:%SZ}"
    xml = acns_xml(ip=ip, case_id=case_id, source_time=moment, item_times=(moment,))
    message = mail(letter(ip=ip, moment=moment, xml=xml))
    message.replace_header("Message-ID", message_id)
    return message.as_bytes()


@pytest.fixture
def held():
    since = f"{timezone.now() - timedelta(days=30):%Y-%m-%dT%H:%M:%S+00:00}"
    assignment(subscriber("C-4", "Four"), "198.51.100.0/24", since)


def replying(reply: str) -> NetworkSender:
    sender = network_sender_for("notices@rights.example", format="acns", now=timezone.now())
    NetworkSender.objects.filter(id=sender.id).update(reply=reply)
    return sender


def test_a_sender_gets_no_reply_unless_the_agent_asked_for_one(held):
    intake_raw(report())
    assert NetworkEvent.objects.get().reporter.reply == "off"
    assert not Letter.objects.filter(kind="notice_ack").exists()


def test_a_sender_on_acns_gets_one_acknowledgement_per_report(held):
    replying("acns")
    inbound = intake_raw(report())
    intake_raw(report())  # the same mail again: taken in once
    intake_raw(report("<r-2@rights.example>", ip="203.0.113.8", case_id="NW-2"))
    acks = Letter.objects.filter(kind="notice_ack").order_by("id")
    assert [ack.to_email for ack in acks] == ["notices@rights.example"] * 2
    first, second = acks
    assert first.inbound == inbound and first.subscriber is None and first.notice is None
    assert "<Status>Accepted</Status>" in first.body_text
    assert "<Reason>IP_OUT_OF_RANGE</Reason>" in second.body_text
    # The customer who held the address is never named to the sender.
    assert "Four" not in first.body_text + first.body_html and "C-4" not in first.body_text


def test_a_sender_on_text_gets_the_letter_without_xml(held):
    replying("text")
    intake_raw(report())
    ack = Letter.objects.get(kind="notice_ack")
    assert "Your case id: NW-1" in ack.body_text and "<NoticeAck" not in ack.body_text


@pytest.mark.parametrize(
    ("role", "sees"),
    [("Designated agent", True), ("Legal staff", True), ("Auditor", False), (None, False)],
)
def test_acknowledgements_are_in_the_letter_list_for_those_who_may_see_letters(
    client, held, role, sees
):
    from django.contrib.auth.models import Group, User
    from django.urls import reverse

    replying("acns")
    intake_raw(report())
    user = User.objects.create_user(username="desk", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    response = client.get(reverse("admin:notices_letter_changelist"), {"kind": "notice_ack"})
    assert (response.status_code == 200) == sees
    if sees:
        assert "Acknowledgement to the sender of network notices" in response.text
        assert "notices@rights.example" in response.text
