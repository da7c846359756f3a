"""End to end: a policy step's letter and a suspension's letters through the outbox, a
real Celery worker and a real SMTP server; the warning acknowledged from the letter."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from notices.core.policy import policy_step_decide, policy_sweep, waiting_for_agent
from notices.models import Letter, PolicyStep
from notices.network.intake import network_events_record
from tests.factories import assignment, subscriber

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _notices(customer, count: int, start: int = 0) -> None:
    now = timezone.now()
    for n in range(start, start + count):
        event = {"ip": "198.51.100.7", "timestamp": (now - timedelta(hours=n + 1)).isoformat()}
        network_events_record(
            [{**event, "case_id": f"E2E-{n}"}],
            format="acns",
            sender="notices@vendor-e2e.example",
            received_at=now - timedelta(minutes=n),
        )


def test_a_warning_reaches_the_customer_who_acknowledges_it(client, celery_worker, inbox):
    customer = subscriber("C-E2E", "Quiet Ferries LLC")
    assignment(customer, "198.51.100.0/24", "2026-01-01T00:00:00+00:00")
    _notices(customer, 3)
    policy_sweep()
    policy_sweep()  # a second sweep sends nothing more

    (message,) = inbox.wait_for(customer.notice_email)
    body = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Copyright warning for account C-E2E: please acknowledge"
    assert "3 notices of claimed copyright infringement" in body
    assert settings.DESIGNATED_AGENT["email"] in body  # a contact the customer can reach
    link = re.search(r"http://testserver(/policy/acknowledge/[\w-]+/)", body)[1]
    client.post(link)
    warning = PolicyStep.objects.get(step="warning")
    assert warning.acknowledged_at is not None
    assert warning.letter.state == "sent" and warning.letter.message_id == message["Message-ID"]


def test_a_suspension_is_announced_to_the_customer_and_applied_by_operations(celery_worker, inbox):
    customer = subscriber("C-E2E2", "Lantern Row LLC")
    assignment(customer, "198.51.100.0/24", "2026-01-01T00:00:00+00:00")
    _notices(customer, 10)
    policy_sweep()
    review = waiting_for_agent().get()
    policy_step_decide(
        step_id=review.id,
        decision="suspend",
        reason="Ten notices in a day.",
        actor="agent",
        scope="address",
        target="198.51.100.7",
    )
    later = timezone.now() + timedelta(hours=settings.SUSPENSION_NOTICE_HOURS)
    policy_sweep(now=later)

    review_letter, announcement = inbox.wait_for(customer.notice_email, count=2)
    subjects = {review_letter["Subject"], announcement["Subject"]}
    assert "Account C-E2E2 under review for suspension" in subjects
    text = next(
        m.get_body(("plain",)).get_content()
        for m in (review_letter, announcement)
        if m["Subject"].startswith("Suspension")
    )
    assert "198.51.100.7" in text and "appeal" in text and "Ten notices in a day." in text
    (operations,) = inbox.wait_for(settings.OPERATIONS_EMAIL)
    assert operations["Subject"] == "Apply the suspension: account C-E2E2, 198.51.100.7"
    assert Letter.objects.filter(state="sent").count() == 3
