"""End to end: a network report through the real IMAP mailbox, acknowledged to its sender
by the real Celery worker through the real SMTP server, once."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from notices.mailbox.imap import mailbox_poll
from notices.models import Letter, NetworkSender
from notices.network.senders import network_sender_for
from tests.factories import assignment, subscriber

from .samples import acns_xml, letter, mail
from .test_acks import SCHEMA

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SENDER = "notices@rights.example"


def report(message_id, ip, case_id):
    moment = f"{timezone.now() - timedelta(hours=3):%Y-%m-%dT%H:%M:%SZ}"
    xml = acns_xml(ip=ip, case_id=case_id, source_time=moment, item_times=(moment,))
    message = mail(letter(ip=ip, moment=moment, xml=xml))
    message.replace_header("Message-ID", message_id)
    return message.as_bytes()


def test_a_sender_on_acns_receives_one_valid_notice_ack_per_report(mailbox, celery_worker, inbox):
    since = f"{timezone.now() - timedelta(days=30):%Y-%m-%dT%H:%M:%S+00:00}"
    assignment(subscriber("C-4", "Four"), "198.51.100.0/24", since)
    sender = network_sender_for(SENDER, format="acns", now=timezone.now())
    NetworkSender.objects.filter(id=sender.id).update(reply="acns")
    mailbox.deliver(report("<e2e-1@rights.example>", "198.51.100.8", "NW-1"))
    mailbox.deliver(report("<e2e-2@rights.example>", "203.0.113.8", "NW-2"))
    assert mailbox_poll() == 2

    received = inbox.wait_for(SENDER, count=2)
    assert len(received) == 2  # one each, none twice
    answers = {}
    for message in received:
        text = message.get_body(("plain",)).get_content()
        xml = text.split("----Start ACNS XML")[1].split("----End ACNS XML")[0].strip()
        document = etree.fromstring(xml.encode())
        SCHEMA.assertValid(document)
        ns = {"a": "http://www.acns.net/ACNS"}
        answers[document.findtext("a:NoticeID", namespaces=ns)] = [
            document.findtext("a:Status", namespaces=ns),
            [reason.text for reason in document.findall("a:Reason", namespaces=ns)],
        ]
        assert "Four" not in text and "C-4" not in text
        if folder := os.environ.get("DESK_SCREENSHOTS"):
            html = message.get_body(("html",)).get_content()
            Path(folder, f"notice-ack-{len(answers)}.html").write_text(html)
    assert answers == {"NW-1": ["Accepted", []], "NW-2": ["Rejected", ["IP_OUT_OF_RANGE"]]}
    assert set(Letter.objects.filter(kind="notice_ack").values_list("state", flat=True)) == {"sent"}
