"""Network notices as people see them: the public transparency report's network figures
and the desk's count of open network cases."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from notices.network.intake import network_events_record
from tests.browser.test_agent_desk import designated_agent, sign_in  # noqa: F401
from tests.factories import assignment, subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("DESK_SCREENSHOTS", "")


def network_notices():
    """This month and last: events on a customer's case, not ours, and a duplicate."""
    now = timezone.now()
    assignment(subscriber("C-NET", "Harbor Net"), "192.0.2.0/24", "2025-01-01T00:00:00+00:00")
    for days, ip, case_id in [
        (0, "192.0.2.1", "NW-1"),
        (0, "203.0.113.9", "NW-2"),
        (0, "192.0.2.1", "NW-1"),
        (35, "192.0.2.7", "NW-3"),
    ]:
        moment = now - timedelta(days=days)
        reported = {"ip": ip, "timestamp": moment.isoformat(), "case_id": case_id}
        network_events_record(
            [reported], format="acns", sender="notices@rights.example", received_at=moment
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_transparency_report_shows_network_notices_at_every_width(page, live_server, width):
    network_notices()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/transparency/")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/transparency-network-{width}.png", full_page=True)
        page.locator("#network").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/transparency-network-{width}-table.png")
    table = page.locator("#network ~ .table-responsive").first.inner_text()
    assert "Received" in table and "Not ours" in table and "Duplicates" in table
    for personal in ["192.0.2.", "203.0.113.9", "NW-1", "Harbor Net"]:
        assert personal not in page.content()
    # The page itself never scrolls sideways; a wide table scrolls in its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_desk_counts_open_network_cases(page, live_server, designated_agent):  # noqa: F811
    network_notices()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "agent")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/desk-index-network.png", full_page=True)
    row = page.locator("tr", has_text="Open network cases").inner_text()
    assert row.split()[-1] == "1"
