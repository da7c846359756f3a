"""A rights holder and a subscriber in a real browser (Debian's Chromium via Playwright)."""

import pytest

from notices.models import Notice
from tests.browser.conftest import UNLABELLED, fill_contact, sign
from tests.factories import notified_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rights_holder_files_three_works_and_twenty_locations(live_server, page, console_errors):
    page.goto(f"{live_server.url}/notices/new/")
    assert page.evaluate(UNLABELLED) == []
    fill_contact(page, phone="718 555")  # a mistake the form will report
    for number in range(3):
        if number:
            page.click("[data-add-row=works]")
        page.fill(f"#id_works-{number}-description", f"Album track {number + 1}")
    for number in range(20):
        if number:
            page.click("[data-add-row=items]")
        page.fill(f"#id_items-{number}-location", f"https://files.example-host.net/t/{number}.mp3")
    sign(page)
    page.click("text=Send the notice")

    summary = page.locator("#errors")
    assert "§ 512(c)(3)(A)(iv): How to contact you" in summary.inner_text()
    assert page.input_value("#id_items-19-location") == "https://files.example-host.net/t/19.mp3"
    page.fill("#id_phone", "718 555 0143")
    page.click("text=Send the notice")

    page.wait_for_selector(".reference")
    notice = Notice.objects.get()
    assert page.inner_text(".reference") == notice.reference
    assert (notice.works.count(), notice.items.count()) == (3, 20)
    assert console_errors == []


def test_a_row_removed_in_the_browser_is_not_filed(live_server, page, console_errors):
    page.goto(f"{live_server.url}/notices/new/")
    fill_contact(page)
    page.fill("#id_works-0-description", "Album “Night Roads”")
    page.click("[data-add-row=items]")
    page.fill("#id_items-0-location", "https://keep.example-host.net/a")
    page.fill("#id_items-1-location", "https://drop.example-host.net/b")
    page.locator("[data-row]").filter(has_text="Location 2").get_by_role(
        "button", name="Remove"
    ).click()
    assert page.is_hidden("#id_items-1-location")
    sign(page)
    page.click("text=Send the notice")

    page.wait_for_selector(".reference")
    notice = Notice.objects.get()
    assert list(notice.items.values_list("location", flat=True)) == [
        "https://keep.example-host.net/a"
    ]
    assert console_errors == []


@pytest.mark.parametrize(
    "country, phone, consent",
    [
        ("US", "802 555 0177", "judicial district in which my address is located"),
        ("DE", "+49 30 1234567", "any judicial district in which IIJ America Inc. may be found"),
    ],
)
def test_a_subscriber_files_a_counter_notice(
    live_server, page, console_errors, country, phone, consent
):
    notice, notification = notified_case()
    page.goto(f"{live_server.url}/counter-notices/new/{notification.token}/")
    assert page.evaluate(UNLABELLED) == []
    page.check("input[name=items]")
    page.check("#id_mistake_statement")
    page.fill("#id_name", "Dana Whitfield")
    page.fill("#id_street", "12 Orchard Lane")
    page.fill("#id_city", "Burlington")
    page.select_option("#id_country", country)
    assert page.is_visible(f"text={consent}")  # only the consent that fits the address
    page.fill("#id_phone", phone)
    page.check("#id_consent_to_jurisdiction")
    page.fill("#id_signature_name", "Dana Whitfield")
    page.click("text=Send the counter notice")
    page.wait_for_selector("text=Counter notice received")
    counter = notice.counter_notices.get()
    assert consent in counter.consent_statement
    status = page.goto(f"{live_server.url}/notices/status/{notice.status_token}/")
    assert status.ok
    assert page.is_visible("text=Counter notice received and forwarded to you")
    assert console_errors == []
