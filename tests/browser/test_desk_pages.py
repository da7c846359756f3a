"""The desk's pages as the agent sees them in Debian's Chromium: the case list at 1,280 px
shows every column whole, the queue is in date order and leads from case to case, and
start review is one click."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notices.core import cases
from notices.models import Notice
from tests.browser.test_agent_desk import designated_agent, shows_message, sign_in  # noqa: F401
from tests.factories import counter_notice, notified_case, subscriber, web_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLUMNS = ["Reference", "Status", "Age (business days)", "Next date", "Subscriber", "Items"]


def a_week_of_cases() -> list[Notice]:
    """Cases received over the last days, some reviewed, one accepted, one rejected."""
    subscriber("C-1001", "Harbor Cloud Hosting Ltd", [("domain", "example-host.net")])
    now = timezone.now()
    made = [
        web_notice(now=now - timedelta(days=days), organization=f"Lantern Row Records {days}")
        for days in (9, 6, 4, 2, 1, 0)
    ]
    cases.notice_start_review(notice_id=made[1].id, actor="agent")
    cases.notice_accept(notice_id=made[2].id, actor="agent")
    cases.notice_reject(notice_id=made[3].id, reason="duplicate", actor="agent")
    return made


def screenshot(page, name: str) -> None:
    if os.environ.get("DESK_SCREENSHOTS"):  # a folder: see what was checked
        page.screenshot(path=f"{os.environ['DESK_SCREENSHOTS']}/{name}.png", full_page=True)


def test_the_case_list_at_1280_px_shows_every_column_whole(
    live_server,
    page,
    designated_agent,  # noqa: F811
):
    a_week_of_cases()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, designated_agent.username)
    page.goto(f"{live_server.url}/admin/notices/notice/")
    headers = page.locator("#result_list thead th")
    expect(headers.filter(has_text="Next date")).to_be_visible()
    texts = [text.strip().lower() for text in headers.all_inner_texts()]
    for column in COLUMNS:
        assert column.lower() in texts, texts
    screenshot(page, "case-list-1280")
    # Nothing is cut off: the list needs no sideways scrolling, nor does the page.
    overflow = page.evaluate(
        "() => { const r = document.querySelector('.results');"
        " return r.scrollWidth - r.clientWidth; }"
    )
    assert overflow <= 0, f"the case list is {overflow} px too wide"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_queue_runs_by_date_and_leads_from_case_to_case(
    live_server,
    page,
    designated_agent,  # noqa: F811
):
    made = a_week_of_cases()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, designated_agent.username)
    page.click("text=What needs me today")
    expect(page.locator("h1")).to_have_text("What needs me today")
    screenshot(page, "queue-1280")
    waiting = [n for n in made if n.id != made[3].id]  # the rejected case needs nobody
    expected = [n.reference for n in waiting]  # oldest first: the nearest date
    shown = page.locator("#result_list tbody th.field-reference").all_inner_texts()
    assert shown == expected
    page.click(f"text={expected[0]}")
    for reference in expected[1:]:
        page.click("a[rel=next]")
        expect(page.locator("#content h2").first).to_contain_text(reference)


def test_start_review_is_one_click(live_server, page, designated_agent):  # noqa: F811
    notice = web_notice()
    sign_in(page, live_server.url, designated_agent.username)
    page.goto(f"{live_server.url}/admin/notices/notice/{notice.id}/change/")
    page.click('.desk-buttons button:text-is("Start review")')
    shows_message(page, f"{notice.reference}: Start review done.")
    assert page.url.endswith(f"/admin/notices/notice/{notice.id}/change/")
    expect(page.locator(".desk-status-line .desk-status")).to_have_text("In review")
    # A move that sends a letter still asks first.
    page.click('.desk-buttons a:text-is("Reject")')
    expect(page.locator("h1")).to_have_text(f"Reject: {notice.reference}")


def test_the_counter_notice_list_at_1280_px_shows_the_restoration_dates(
    live_server,
    page,
    designated_agent,  # noqa: F811
):
    notice, notification = notified_case()
    counter = counter_notice(notice, notification, notice.items.exclude(subscriber=None).first())
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, designated_agent.username)
    page.goto(f"{live_server.url}/admin/counternotices/counternotice/")
    screenshot(page, "counter-notices-1280")
    for date in (counter.restore_not_before, counter.restore_not_after):
        cell = page.locator("#result_list td", has_text=f"{date:%b}. {date.day}, {date.year}")
        expect(cell).to_be_visible()
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= page.evaluate(
            "document.querySelector('.results').getBoundingClientRect().right"
        )
    overflow = page.evaluate(
        "() => { const r = document.querySelector('.results');"
        " return r.scrollWidth - r.clientWidth; }"
    )
    assert overflow <= 0, f"the counter-notice list is {overflow} px too wide"
