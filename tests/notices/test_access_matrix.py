"""Every private link opens for its own holder only: complainants, subscribers, senders."""

import pytest
from django.urls import reverse

from counternotices.services import counter_notice_submit
from notices.core.cases import notice_accept, notice_disable_material
from notices.models import ApiSender, ApiToken, Channel
from tests.factories import counter_submission, notified_case, web_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases():
    """Two cases taken down, each with its complainant's and subscriber's links."""
    first, first_link = notified_case()
    second = web_notice(email="other@rights.example")
    notice_accept(notice_id=second.id, actor="agent")
    item = second.items.exclude(subscriber=None).get()
    notice_disable_material(notice_id=second.id, actions={item.id: "removed"}, actor="agent")
    second_link = second.notifications.get()
    item = first.items.get(subscriber=first_link.subscriber)
    counter_notice_submit(
        notice_id=first.id,
        subscriber_id=first_link.subscriber_id,
        item_ids=[item.id],
        submission=counter_submission(),
        channel=Channel.WEB,
        actor="subscriber",
    )
    return (first, first_link), (second, second_link)


def test_each_complainant_link_shows_only_its_own_case(client, two_cases):
    (first, _), (second, _) = two_cases
    for name in ["notices:status", "notices:receipt", "notices:withdraw", "court_action_new"]:
        own = client.get(reverse(name, args=[first.status_token]))
        assert own.status_code == 200, name
        page = own.content.decode()
        assert first.reference in page and second.reference not in page, name
    assert client.get(reverse("notices:status", args=["a" * 43])).status_code == 404


def test_a_subscriber_link_opens_only_its_own_case(client, two_cases):
    (first, first_link), (second, second_link) = two_cases
    page = client.get(reverse("counter_notice_new", args=[second_link.token])).content.decode()
    assert second.reference in page and first.reference not in page
    # A counter-notice link is not a status link, nor the reverse.
    assert client.get(reverse("notices:status", args=[second_link.token])).status_code == 404
    assert client.get(reverse("counter_notice_new", args=[second.status_token])).status_code == 404


def test_public_pages_show_no_personal_data(client, two_cases):
    (first, _), _ = two_cases
    personal = [first.email, first.phone, first.street, "+18025550177", "12 Orchard Lane"]
    for url in ["/", "/transparency/", reverse("notices:status", args=[first.status_token])]:
        page = client.get(url).content.decode()
        for value in personal:
            assert value not in page, (url, value)


def test_an_api_token_reads_only_its_senders_cases(client, two_cases):
    (first, _), _ = two_cases
    sender = ApiSender.objects.create(name="Agency", email="a@agency.example")
    _, key = ApiToken.issue(sender)
    url = f"/api/v1/notices/{first.reference}/"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    first.api_sender = sender
    first.save(update_fields=["api_sender"])
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get(url).status_code == 401
