"""What the desk and the public pages say about the statute, as a browser shows them."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from counternotices.services import counter_notice_confirm_restored, counter_notices_sweep
from notices.core import cases, intake
from notices.models import Channel
from tests.browser.test_agent_desk import designated_agent, sign_in  # noqa: F401
from tests.counternotices.test_clock import DAY_10, DAY_13, RECEIVED, file_counter
from tests.factories import notified_case, submission, web_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A folder to see what was checked in (DESK_SCREENSHOTS=/tmp/shots), as the desk's tests do.
SHOTS = os.environ.get("DESK_SCREENSHOTS", "")


def shoot(page, name: str, **options) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", **options)


def test_a_paper_notice_without_e_mail_on_the_case_page(page, live_server, designated_agent):  # noqa: F811
    """§ 512(c)(3)(A)(iv): no e-mail is not a missing element; its letters wait to be posted."""
    notice = intake.notice_submit(
        submission=submission(email="", signature_name="M. Okafor", good_faith_statement=False),
        channel=Channel.POST,
        actor="agent",
    )
    cases.notice_mark_deficient(notice_id=notice.id, actor="agent")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "agent")
    shoot(page, "desk-index", full_page=True)
    assert "Letters to post (no e-mail address)" in page.inner_text("#content")
    page.goto(f"{live_server.url}/admin/notices/notice/{notice.id}/change/")
    text = page.inner_text("#content")
    shoot(page, "case-page", full_page=True)
    assert "No e-mail address: letters to the sender go by post." in text
    assert "The signature is not the sender's name" in text
    assert "Substantially complies with (ii), (iii) and (iv)" in text
    assert "no e-mail address: print its PDF under Records and post it" in text


@pytest.mark.parametrize("path", ["/copyright/", "/privacy/"])
def test_the_policy_pages_say_what_the_desk_does(page, live_server, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{path}")
    shoot(page, path.strip("/"), full_page=True)
    text = page.inner_text("main")
    if path == "/copyright/":
        assert "signature of ;" not in text
        assert "all three are accepted" in text
    else:
        assert "Personal data in copyright notices and counter notices" in text
        assert "declared invalid by the Court of Justice of the European Union" in text


def test_disputed_notices_waiting_cases_and_the_designation_as_the_agent_sees_them(
    page,
    live_server,
    designated_agent,  # noqa: F811
    settings,
):
    """§ 512(i) ledger with a disputed notice, a case waiting for review too long
    (§ 512(c)(3)(B)(ii)), and the designation number on the public report."""
    settings.AGENT_DESIGNATION_NUMBER = "DMCA-1000123"
    restored, notification = notified_case(now=RECEIVED - timedelta(days=3))
    counter = file_counter(restored, notification)
    counter_notices_sweep(now=DAY_10)
    counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent", now=DAY_13)
    waiting = web_notice(now=timezone.now() - timedelta(days=5))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "agent")
    page.goto(f"{live_server.url}/admin/notices/subscriber/{notification.subscriber_id}/change/")
    shoot(page, "subscriber-ledger", full_page=True)
    assert "disputed — restored after a counter notice" in page.inner_text("#content")
    page.goto(f"{live_server.url}/admin/notices/notice/{waiting.id}/change/")
    shoot(page, "case-waiting")
    assert "Received or in review for more than 3 days" in page.inner_text("#content")
    page.goto(f"{live_server.url}/admin/notices/notice/")
    shoot(page, "case-list")
    assert "In review over 3 days: contact the sender" in page.inner_text("#result_list")
    page.goto(f"{live_server.url}/transparency/")
    shoot(page, "transparency", full_page=True)
    assert "designation number DMCA-1000123" in page.inner_text("main")
