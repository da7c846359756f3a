"""The senders of network notices as the agent works with them in Debian's Chromium: a
sender whose notices demand settlements is marked "facts only", with the reason."""

import os
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from notices.mailbox.intake import intake_raw
from notices.models import NetworkSender
from tests.browser.test_agent_desk import designated_agent, sign_in  # noqa: F401
from tests.factories import assignment, subscriber
from tests.notices.network.samples import acns_xml, letter, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    if os.environ.get("DESK_SCREENSHOTS"):  # a folder: see what was checked
        page.screenshot(path=f"{os.environ['DESK_SCREENSHOTS']}/{name}.png", full_page=True)


def test_the_agent_marks_a_sender_facts_only_with_the_reason(
    live_server,
    page,
    designated_agent,  # noqa: F811
):
    assignment(subscriber("C-1", "Harbor Cloud"), "192.0.2.0/24", "2026-01-01T00:00:00Z")
    demand = mail(
        letter(xml=acns_xml()) + "\nTo settle this matter, pay $300 within 10 days.\n",
        sender="Claims Desk <claims@settle.example>",
    )
    intake_raw(demand.as_bytes(), received_at=datetime(2026, 3, 5, tzinfo=UTC))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, designated_agent.username)
    page.goto(f"{live_server.url}/admin/notices/networksender/?settlement=yes")
    screenshot(page, "network-senders-1280")
    page.click("text=settle.example")
    page.check("input[name=facts_only]")
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist")).to_contain_text("Give the reason for the decision")
    page.check("input[name=facts_only]")
    page.fill("textarea[name=reason]", "Its notices ask our customers for money.")
    page.click("input[name=_continue]")
    decided = page.locator(".messagelist .success").first
    expect(decided).to_have_text("Decision recorded: Facts only: no → yes.")
    expect(page.locator(".desk-decisions")).to_contain_text(
        "Its notices ask our customers for money."
    )
    screenshot(page, "network-sender-decided-1280")
    assert NetworkSender.objects.get().facts_only
