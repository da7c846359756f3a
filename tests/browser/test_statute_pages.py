"""What the desk and the public pages say about the statute, as a browser shows them."""

import pytest

from notices.core import cases, intake
from notices.models import Channel
from tests.browser.test_agent_desk import designated_agent, sign_in  # noqa: F401
from tests.factories import submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/statute-shots"


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
    page.screenshot(path=f"{SHOTS}/desk-index.png", full_page=True)
    assert "Letters to post (no e-mail address)" in page.inner_text("#content")
    page.goto(f"{live_server.url}/admin/notices/notice/{notice.id}/change/")
    text = page.inner_text("#content")
    page.screenshot(path=f"{SHOTS}/case-page.png", full_page=True)
    assert "No e-mail address: letters to the sender go by post." in text
    assert "The signature is not the sender's name" in text
    assert "Substantially complies with (ii), (iii) and (iv)" in text
    assert "no e-mail address: print its PDF under Records and post it" in text


@pytest.mark.parametrize("path", ["/copyright/", "/privacy/"])
def test_the_policy_pages_say_what_the_desk_does(page, live_server, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{path}")
    page.screenshot(path=f"{SHOTS}/{path.strip('/')}.png", full_page=True)
    text = page.inner_text("main")
    if path == "/copyright/":
        assert "signature of ;" not in text
        assert "all three are accepted" in text
    else:
        assert "Personal data in copyright notices and counter notices" in text
        assert "declared invalid by the Court of Justice of the European Union" in text
