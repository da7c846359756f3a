from datetime import UTC, datetime

import pytest
from django.urls import reverse

from iija_compliance.lib.signing import Signing
from notices.core.intake import notice_submit
from notices.models import Channel, Notice
from notices.outbox import letters
from tests.factories import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice() -> Notice:
    return notice_submit(
        submission=submission(),
        channel=Channel.WEB,
        actor="public form",
        signing=Signing(ip="203.0.113.9", user_agent="Firefox/140"),
        now=datetime(2026, 11, 27, 15, 30, tzinfo=UTC),
    )


def test_it_shows_the_status_and_the_timeline(client, notice, inbox):
    letters.letter_send(letter_id=notice.letters.get().id)
    response = client.get(reverse("notices:status", args=[notice.status_token]))
    page = response.content.decode()
    assert response.status_code == 200
    assert notice.reference in page
    assert "Received" in page and "will review it" in page
    assert "Nov 27, 2026, 10:30 AM" in page  # New York time
    assert "Notice received" in page and "We wrote to you" in page
    assert "https://files.example-host.net/share/night-roads.zip" in page


def test_it_shows_no_personal_data(client, notice):
    page = client.get(reverse("notices:status", args=[notice.status_token])).content.decode()
    for personal in [
        "Maria Okafor",
        "m.okafor@lanternrow.example",
        "+17185550143",
        "410 Harbor Avenue",
        "203.0.113.9",
        "Firefox/140",
    ]:
        assert personal not in page


def test_the_secret_link_is_not_cached_indexed_or_leaked(client, notice):
    response = client.get(reverse("notices:status", args=[notice.status_token]))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("view", ["notices:status", "notices:receipt"])
def test_a_wrong_token_is_not_found(client, notice, view):
    assert client.get(reverse(view, args=[notice.status_token[:-1] + "x"])).status_code == 404
    assert client.get(reverse(view, args=[notice.reference])).status_code == 404


@pytest.mark.parametrize(
    "url, text",
    [("/", "File a takedown notice"), ("/privacy/", "Privacy"), ("/copyright/", "512")],
)
def test_the_public_pages_are_served(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()
