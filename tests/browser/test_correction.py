"""The correction step in Chromium: a mailed takedown read wrongly is corrected on one
page, then accepted; the page passes axe at desktop and phone widths."""

import os

import pytest
from playwright.sync_api import expect

from notices.mailbox.intake import intake_raw
from notices.models import Notice, Work
from tests.browser.conftest import UNLABELLED, axe_violations, describe_violations
from tests.browser.test_agent_desk import designated_agent, shows_message, shows_status, sign_in
from tests.factories import mailed_takedown

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["designated_agent"]  # a fixture, used by name

AUTHORITY = "I am authorized to act on behalf of Lantern Row Records LLC."
WORK = "Album “Night Roads” by The Quiet Ferries (2024)"


def mailed_case() -> Notice:
    """A mailed takedown as an older reading stored it: signed by the From header's name,
    its address whole under Street, a sentence about authority for its work."""
    notice = intake_raw(mailed_takedown("410 Harbor Avenue, Floor 3, Brooklyn, NY 11201")).notice
    Notice.objects.filter(id=notice.id).update(
        complainant_name="Rights Desk",
        signature_name="Rights Desk",
        street="410 Harbor Avenue, Floor 3, Brooklyn, NY 11201",
        city="",
        region="",
        postal_code="",
        country="",
    )
    notice.works.all().delete()
    Work.objects.create(notice=notice, position=0, description=AUTHORITY)
    Work.objects.create(notice=notice, position=1, description="Copyrighted work:")
    return notice


def test_the_agent_corrects_a_mailed_case_and_accepts_it(
    live_server, page, console_errors, designated_agent
):
    notice = mailed_case()
    sign_in(page, live_server.url, designated_agent.username)
    page.goto(f"{live_server.url}/admin/notices/notice/{notice.id}/change/")
    checklist = page.locator("fieldset.desk-checklist").first
    # A mailed notice is not failed for how its signature is typed (§ 512(c)(3)(A)(i) asks
    # for a signature of an authorized person): the checklist advises the agent instead.
    expect(checklist.locator(".desk-advice")).to_contain_text("Advice:")

    page.click('.desk-buttons >> text="Correct the case"')
    expect(page.locator("h1")).to_have_text(f"Correct the case: {notice.reference}")
    assert page.evaluate(UNLABELLED) == []
    # Where the reader found otherwise, the page starts from the reader's finding.
    expect(page.locator("#id_signature_name")).to_have_value("Maria Okafor")
    expect(page.locator("#id_city")).to_have_value("Brooklyn")
    expect(page.locator("#id_country")).to_have_value("US")
    prefilled = page.locator(".desk-prefilled", has=page.locator("#id_signature_name"))
    expect(prefilled).to_contain_text("Stored: “Rights Desk”")
    page.fill("#id_works", WORK)
    page.select_option("#id_acting_as", "agent")
    page.click("input[type=submit][value='Save the correction']")

    expect(page.locator(".messagelist .success")).to_contain_text(
        "every element of the checklist is now present"
    )
    assert checklist.locator("tr.desk-ok").count() == 6
    history = page.locator("fieldset", has=page.locator("h2", has_text="History"))
    expect(history).to_contain_text("Signed by: “Rights Desk” → “Maria Okafor”")
    expect(history).to_contain_text(f"Works: “{AUTHORITY}; Copyrighted work:” → “{WORK}”")
    if os.environ.get("DESK_SCREENSHOTS"):  # a folder: see the corrected case
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(
            path=f"{os.environ['DESK_SCREENSHOTS']}/corrected-email-case.png", full_page=True
        )

    page.click('.desk-buttons >> text="Accept"')
    page.click("input[type=submit][value='Accept']")
    shows_message(page, f"{notice.reference}: Accept done.")
    shows_status(page, "Accepted")
    expect(page.locator('.desk-buttons >> text="Correct the case"')).to_have_count(0)
    assert notice.attachments.get().sha256 == notice.inbound_messages.get().sha256
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_correction_page_has_no_wcag_a_or_aa_violations(
    live_server, axe_page, designated_agent, width
):
    notice = mailed_case()
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, live_server.url, designated_agent.username)
    axe_page.goto(f"{live_server.url}/admin/notices/notice/{notice.id}/correct/")
    if os.environ.get("DESK_SCREENSHOTS"):
        path = f"{os.environ['DESK_SCREENSHOTS']}/correction-page-{width}.png"
        axe_page.screenshot(path=path, full_page=True)
    violations = axe_violations(axe_page)
    if violations:
        pytest.fail(
            f"axe found {len(violations)} WCAG A/AA violation(s) on the correction page at "
            f"{width} px:\n" + describe_violations(violations),
            pytrace=False,
        )
