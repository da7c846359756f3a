"""Network notices through the real IMAP mailbox: the poll takes them as it takes any mail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.mailbox.imap import mailbox_poll
from notices.models import InboundMessage, NetworkCase, NetworkEvent
from tests.factories import assignment, subscriber

from .samples import acns_xml, letter, mail

pytestmark = pytest.mark.django_db


def notice(message_id, ip, case_id, moment):
    xml = acns_xml(ip=ip, case_id=case_id, source_time=moment, item_times=(moment,))
    message = mail(letter(ip=ip, moment=moment, xml=xml))
    message.replace_header("Message-ID", message_id)
    return message.as_bytes()


def test_the_mailbox_takes_network_notices_to_the_holders_case(mailbox):
    since = f"{timezone.now() - timedelta(days=30):%Y-%m-%dT%H:%M:%S+00:00}"
    assignment(subscriber("C-4", "Four"), "198.51.100.0/24", since)
    moment = f"{timezone.now() - timedelta(hours=3):%Y-%m-%dT%H:%M:%SZ}"
    long_ago = f"{timezone.now() - timedelta(days=200):%Y-%m-%dT%H:%M:%SZ}"
    mailbox.deliver(notice("<m-1@rights.example>", "198.51.100.8", "NW-1", moment))
    mailbox.deliver(notice("<m-2@rights.example>", "198.51.100.8", "NW-1", moment))  # again
    mailbox.deliver(notice("<m-3@rights.example>", "203.0.113.8", "NW-2", moment))
    mailbox.deliver(notice("<m-4@rights.example>", "198.51.100.9", "NW-3", long_ago))
    assert mailbox_poll() == 4
    assert mailbox.unseen() == 0
    outcomes = dict(NetworkEvent.objects.values_list("vendor_case_id", "outcome").exclude(
        outcome="duplicate"))  # fmt: skip
    assert outcomes == {"NW-1": "case", "NW-2": "not_ours", "NW-3": "too_old"}
    assert NetworkEvent.objects.filter(outcome="duplicate").count() == 1
    case = NetworkCase.objects.get()
    assert case.subscriber.account_id == "C-4" and case.events.count() == 1
    assert set(InboundMessage.objects.values_list("kind", flat=True)) == {"network"}
    # Arrival is the server's: the event of three hours ago is within the age limit.
    assert abs((InboundMessage.objects.first().received_at - timezone.now()).total_seconds()) < 120
