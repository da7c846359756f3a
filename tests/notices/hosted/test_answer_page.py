"""The customer's answer page behind the removal request's private link: open to whoever
holds the token, and to nobody else; a wrong or expired link shows nothing."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from counternotices.models import HostedCounterNotice
from notices.models import HostedRemoval, Letter
from tests.factories import counter_form_data

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def removal(hosting):
    report(("203.0.113.7", 6881, "2026-03-02T10:15:30+00:00"))
    return HostedRemoval.objects.get()


def url(removal):
    return reverse("hosted_removal_answer", args=[removal.token])


def test_the_link_shows_the_facts_and_the_three_answers(client, removal):
    response = client.get(url(removal))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = response.content.decode()
    assert "Material reported at 203.0.113.7" in page
    assert "Wednesday, March 4, 2026" in page
    assert "2026-03-02 10:15:30 UTC" in page and "5:15:30 AM EST in New York" in page
    assert "Night.Roads.2026.1080p.mkv" in page and "RW-501-0" in page
    for answer in ("I removed the material", "The material is not mine", "send a counter notice"):
        assert answer in page
    # Only this request's customer: nothing of another customer's account shows.
    assert "C-8" not in page and "Ridge Fiber" not in page


def test_a_wrong_token_is_a_404_with_no_data(client, removal, caplog):
    wrong = removal.token[:-4] + ("AAAA" if not removal.token.endswith("AAAA") else "BBBB")
    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("hosted_removal_answer", args=[wrong]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "203.0.113.7" not in page and "Blue Lantern" not in page
    assert wrong not in caplog.text  # the log keeps no link


def test_an_expired_link_is_a_404_with_no_data(client, removal):
    old = timezone.now() - timedelta(days=31)
    HostedRemoval.objects.filter(id=removal.id).update(state="removed", answered_at=old)
    response = client.get(url(removal))
    assert response.status_code == 404
    assert "203.0.113.7" not in response.content.decode()
    # Still open a month later while the address stays disabled: a counter notice may follow.
    HostedRemoval.objects.filter(id=removal.id).update(state="disabled", decided_at=old)
    assert client.get(url(removal)).status_code == 200


def test_answer_removed(client, removal):
    response = client.post(url(removal), {"answer": "removed"})
    assert response.status_code == 302
    removal.refresh_from_db()
    assert removal.state == "removed" and removal.answered_at
    page = client.get(url(removal)).content.decode()
    assert "you removed the material" in page
    assert "The material is removed</button>" not in page  # answered once


def test_answer_not_mine_needs_a_reason_within_its_limit(client, removal):
    page = client.post(url(removal), {"answer": "not_mine", "reason": ""}).content.decode()
    assert "Say why the material is not yours." in page
    page = client.post(url(removal), {"answer": "not_mine", "reason": "x" * 2001}).content.decode()
    assert "Keep it to 2,000 characters (it has 2001)." in page
    assert HostedRemoval.objects.get().state == "waiting"
    reason = "The server was reinstalled for a new tenant on March 1st."
    assert client.post(url(removal), {"answer": "not_mine", "reason": reason}).status_code == 302
    removal.refresh_from_db()
    assert (removal.state, removal.answer_reason) == ("not_mine", reason)


def test_answer_disputed_files_a_counter_notice_on_the_512g_clock(client, removal):
    event = removal.events.get()
    incomplete = counter_form_data(event.id, mistake_statement=None, answer="disputed")
    page = client.post(url(removal), incomplete).content.decode()
    assert "Your counter notice is not complete yet" in page
    assert not HostedCounterNotice.objects.exists()
    data = counter_form_data(event.id, answer="disputed")
    assert client.post(url(removal), data).status_code == 302
    counter = HostedCounterNotice.objects.get()
    assert counter.material == [
        "203.0.113.7, port 6881, 2026-03-02 10:15:30 UTC: Night.Roads.2026.1080p.mkv"
    ]
    assert counter.signature_ip == "127.0.0.1" and counter.phone == "+18025550177"
    assert HostedRemoval.objects.get().state == "disputed"
    assert Letter.objects.filter(kind="hosted_counter_copy").count() == 1
    page = client.get(url(removal)).content.decode()
    assert "We received your counter notice" in page
    assert f"{counter.restore_not_before:%A, %B} {counter.restore_not_before.day}" in page
    # A second one through the same link is refused.
    client.post(url(removal), data)
    assert HostedCounterNotice.objects.count() == 1


def test_another_requests_event_cannot_be_disputed_through_this_link(client, removal):
    report(("203.0.113.9", 443, "2026-03-02T10:15:30+00:00"), case_id="RW-777")
    other = HostedRemoval.objects.get(ip="203.0.113.9").events.get()
    page = client.post(url(removal), counter_form_data(other.id, answer="disputed"))
    assert page.status_code == 200
    assert not HostedCounterNotice.objects.exists()
