"""Removal requests end to end: the network notice's intake, the outbox, a real worker and
a real SMTP server; the customer's answers on its link; the agent's decision."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from counternotices.hosted import hosted_counters_sweep
from iija_compliance.lib.business_days import restoration_opens_at
from notices.core.hosted import hosted_address_decide, hosted_removals_sweep
from notices.models import HostedRemoval
from tests.factories import counter_form_data

from .conftest import report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AT = "2026-03-02T10:15:30+00:00"
SENDER = "antipiracy@rights-watch.example"


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def answer_path(message) -> str:
    return re.search(r"http://testserver(/removal-requests/[\w-]+/)", plain(message))[1]


def test_the_request_arrives_once_and_the_customer_answers_removed(
    client, hosting, celery_worker, inbox
):
    report(("203.0.113.7", 6881, AT), ("203.0.113.7", 6882, AT.replace("10:15", "10:45")))
    (letter,) = inbox.wait_for(hosting.notice_email)
    assert "remove the reported material from 203.0.113.7 by March 4, 2026" in letter["Subject"]
    body = plain(letter)
    assert "port 6881" in body and "port 6882" in body
    html = letter.get_body(("html",)).get_content()
    assert "Answer this request" in html
    assert client.post(answer_path(letter), {"answer": "removed"}).status_code == 302
    assert HostedRemoval.objects.get().state == "removed"
    hosted_removals_sweep(now=HostedRemoval.objects.get().deadline_at)
    assert HostedRemoval.objects.get().state == "removed"  # answered: never overdue


def test_the_customer_answers_not_mine(client, hosting, celery_worker, inbox):
    report(("203.0.113.7", 6881, AT))
    (letter,) = inbox.wait_for(hosting.notice_email)
    reason = "The address was moved to another tenant on February 27th."
    client.post(answer_path(letter), {"answer": "not_mine", "reason": reason})
    removal = HostedRemoval.objects.get()
    assert (removal.state, removal.answer_reason) == ("not_mine", reason)


def test_overdue_then_the_agent_disables_then_a_counter_notice_restores(
    client, hosting, celery_worker, inbox
):
    report(("203.0.113.7", 6881, AT))
    (letter,) = inbox.wait_for(hosting.notice_email)
    removal = HostedRemoval.objects.get()
    hosted_removals_sweep(now=removal.deadline_at)
    removal.refresh_from_db()
    assert removal.state == "overdue" and removal.act_by
    hosted_address_decide(removal_id=removal.id, disable=True, actor="agent", reason="No answer.")
    (ops,) = inbox.wait_for(settings.OPERATIONS_EMAIL)
    assert ops["Subject"].endswith("disable address 203.0.113.7 (C-7)")
    assert "The agent's reason: No answer." in plain(ops)
    told = inbox.wait_for(hosting.notice_email, count=2)[1]
    assert "we disabled access to 203.0.113.7" in told["Subject"]
    assert answer_path(told) == answer_path(letter)

    event = removal.events.get()
    response = client.post(answer_path(told), counter_form_data(event.id, answer="disputed"))
    assert response.status_code == 302
    (copy,) = inbox.wait_for(SENDER)
    assert "Counter notice about your report RW-501-0" in copy["Subject"]
    assert "Dana Whitfield" in plain(copy) and "+18025550177" in plain(copy)
    (receipt,) = inbox.wait_for("dana@whitfield.example")
    assert "we received your counter notice" in receipt["Subject"]

    counter = HostedRemoval.objects.get().counter_notice
    assert hosted_counters_sweep(now=restoration_opens_at(counter.restore_not_before)) == 1
    enable = inbox.wait_for(settings.OPERATIONS_EMAIL, count=2)[1]
    assert "enable address 203.0.113.7 again" in enable["Subject"]
    assert "you may restore" in inbox.wait_for("dana@whitfield.example", count=2)[1]["Subject"]
    assert reverse("hosted_removal_answer", args=[removal.token]) == answer_path(letter)
