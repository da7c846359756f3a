"""A case from the public form to a counter notice, through the Designated Agent's desk.

Three people, each in a browser of their own: the rights holder files a notice; the
Designated Agent signs in to the admin, starts the review, accepts the case, matches an
item to a subscriber by hand and records the takedown, which writes each subscriber's
notification letter; the subscriber follows the link in that letter and files a counter
notice; the rights holder's status page then shows the whole timeline.
"""

import importlib
import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from notices.models import Letter, Notice
from tests.browser.conftest import UNLABELLED, fill_contact, sign
from tests.factories import subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-desk-password-for-tests"
URL_ITEM = "https://files.example-host.net/share/night-roads.zip"
IP_ITEM = "198.51.100.23"
PUBLIC_TIMELINE = [
    "Notice received",
    "Review started",
    "Notice accepted",
    "We acted on the locations you reported",
    "Our customer was notified",
    "Counter notice received and forwarded to you",
]


# The migrations that make the roles and grant them permissions; None: all of its code.
ROLE_MIGRATIONS = [
    ("notices.migrations.0002_groups", None),
    ("counternotices.migrations.0002_groups", None),
    ("notices.migrations.0006_subscriber_decisions", None),
    ("notices.migrations.0008_netdesk_network", {"grant"}),
    ("notices.migrations.0011_desk_queue_search_accounts", {"grant_accounts"}),
    ("notices.migrations.0015_hosted_removals_requests", {"grant_hosted"}),
    ("counternotices.migrations.0005_hosted_counter_notices", {"grant_hosted_counter"}),
    ("notices.migrations.0017_policy_repeat_infringer", {"grant"}),
    ("notices.migrations.0019_digest_network_senders", {"grant"}),
]


@pytest.fixture
def designated_agent():
    """A login with the Designated agent role. The roles are groups that migrations make,
    and the flush after an earlier transactional test empties them, so they are made again
    here by the migrations' own code (serialized_rollback would clash with the content
    types that the flush makes anew)."""
    state = MigrationLoader(connection).project_state().apps
    for module, grants in ROLE_MIGRATIONS:
        for operation in importlib.import_module(module).Migration.operations:
            is_grant = isinstance(operation, migrations.RunPython)
            if is_grant and (grants is None or operation.code.__name__ in grants):
                operation.code(state, None)
    agent = User.objects.create_user("agent", password=PASSWORD, is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    return agent


def file_notice(page, base_url: str) -> str:
    """The rights holder files a notice with two locations; returns their status link."""
    page.goto(f"{base_url}/notices/new/")
    assert page.evaluate(UNLABELLED) == []
    fill_contact(page, phone="(718) 555-0143")
    page.fill("#id_complainant_organization", "Lantern Row Records LLC")
    page.fill("#id_works-0-description", "Album “Night Roads” by The Quiet Ferries (2024)")
    page.fill("#id_items-0-location", URL_ITEM)
    page.click("[data-add-row=items]")
    page.fill("#id_items-1-location", IP_ITEM)
    sign(page)
    page.click("text=Send the notice")
    page.wait_for_selector(".reference")
    assert "Notice received" in page.inner_text("main")
    return page.get_attribute("text=See the status of your case", "href")


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/")
    assert "/admin/login/" in page.url
    assert page.evaluate(UNLABELLED) == []
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("text=Today on the desk")


# Each waits (up to Playwright's timeout) for the page that the last click opened.
def shows_heading(page, heading: str) -> None:
    """One first-level heading, saying where the person is."""
    expect(page.locator("h1")).to_have_text([heading])


def shows_status(page, status: str) -> None:
    expect(page.locator(".desk-status-line .desk-status")).to_have_text(status)


def shows_message(page, message: str) -> None:
    expect(page.locator(".messagelist .success")).to_have_text(message)


def press(page, transition: str, reference: str) -> None:
    """A transition button on the case page, then its confirmation page."""
    page.click(f'.desk-buttons >> text="{transition}"')
    shows_heading(page, f"{transition}: {reference}")
    page.click(f"input[type=submit][value='{transition}']")
    shows_message(page, f"{reference}: {transition} done.")


def press_once(page, transition: str, reference: str) -> None:
    """A move made on one click: no confirmation page, straight back to the case."""
    page.click(f'.desk-buttons button:text-is("{transition}")')
    shows_message(page, f"{reference}: {transition} done.")


def item_row(page, location: str):
    return page.locator("tr", has=page.locator(f"td:text-is('{location}')"))


@pytest.mark.parametrize(
    "address, consent",
    [
        (
            {"street": "12 Orchard Lane", "city": "Burlington", "region": "VT", "country": "US"},
            "judicial district in which my address is located",
        ),
        (
            {"street": "Torstraße 101", "city": "Berlin", "region": "", "country": "DE"},
            "any judicial district in which IIJ America Inc. may be found",
        ),
    ],
    ids=["us-subscriber", "foreign-subscriber"],
)
def test_the_agent_takes_material_down_and_the_subscriber_answers_from_the_letter(
    live_server, page, new_person, console_errors, settings, designated_agent, address, consent
):
    settings.SITE_URL = live_server.url  # the links in letters lead to this server
    harbor = subscriber("C-1001", "Harbor Cloud", [("domain", "example-host.net")])
    # Quayside's range is not on record yet: the agent matches its address by hand.
    quayside = subscriber("C-2002", "Quayside Servers", [("network", "203.0.113.0/24")])

    # The rights holder files the notice on the public form.
    rights_holder = new_person()
    status_url = file_notice(rights_holder, live_server.url)
    assert status_url.startswith(f"{live_server.url}/notices/status/")
    notice = Notice.objects.get()

    # The agent signs in and opens the new case from the desk.
    sign_in(page, live_server.url, designated_agent.username)
    page.click('.desk-today >> text="New cases"')
    page.click(f'#result_list >> text="{notice.reference}"')
    shows_status(page, "Received")
    checklist = page.locator("fieldset.desk-checklist").first
    assert checklist.locator("tr.desk-ok").count() == 6  # all six elements of § 512(c)(3)(A)
    assert checklist.locator("tr.desk-missing").count() == 0
    assert "Harbor Cloud" in item_row(page, URL_ITEM).inner_text()
    assert "Not on our network" in item_row(page, IP_ITEM).inner_text()

    # Triage: start the review, then accept.
    press_once(page, "Start review", notice.reference)
    shows_status(page, "In review")
    press(page, "Accept", notice.reference)
    shows_status(page, "Accepted")

    # Match the IP address to its subscriber by hand; the host was matched on filing.
    page.click('.desk-buttons >> text="Match subscribers"')
    shows_heading(page, f"Match subscribers: {notice.reference}")
    assert page.evaluate(UNLABELLED) == []
    assert item_row(page, URL_ITEM).locator("select").input_value() == str(harbor.id)
    item_row(page, IP_ITEM).locator("select").select_option(label=str(quayside))
    page.click("input[type=submit][value='Save matches']")
    shows_message(page, f"{notice.reference}: subscribers saved.")
    assert "Quayside Servers (set by hand)" in item_row(page, IP_ITEM).inner_text()

    # Record the takedown, item by item.
    page.click('.desk-buttons >> text="Record takedown"')
    shows_heading(page, f"Record takedown: {notice.reference}")
    assert page.evaluate(UNLABELLED) == []
    assert item_row(page, URL_ITEM).locator("select").input_value() == "access_disabled"
    item_row(page, IP_ITEM).locator("select").select_option(label="Material removed")
    page.click("input[type=submit][value='Record takedown']")
    shows_message(page, f"{notice.reference}: Record takedown done.")
    shows_status(page, "Subscriber notified")
    assert "Access disabled" in item_row(page, URL_ITEM).inner_text()
    assert "Material removed" in item_row(page, IP_ITEM).inner_text()
    letters = page.locator("fieldset", has=page.locator("h2", has_text="Letters ("))
    assert letters.locator("tr", has_text="Notification to the subscriber").count() == 2

    # Each subscriber's letter names only its own material and carries its own link.
    letter = Letter.objects.get(kind="subscriber_notification", to_email=harbor.notice_email)
    assert f"{URL_ITEM}: Access disabled" in letter.body_text
    assert IP_ITEM not in letter.body_text
    links = re.findall(r"^(http\S+/counter-notices/new/\S+/)$", letter.body_text, re.M)
    assert len(links) == 1 and links[0].startswith(live_server.url)
    other = Letter.objects.get(kind="subscriber_notification", to_email=quayside.notice_email)
    assert f"{IP_ITEM}: Material removed" in other.body_text and links[0] not in other.body_text

    # The subscriber follows the link and files a counter notice.
    holder = new_person()
    holder.goto(links[0])
    shows_heading(holder, f"Case {notice.reference}")
    assert holder.evaluate(UNLABELLED) == []
    material = holder.locator("input[name=items]")
    assert material.count() == 1  # Quayside's item is not Harbor Cloud's to answer for
    assert URL_ITEM in holder.inner_text("#element-material_identification")
    material.check()
    holder.check("#id_mistake_statement")
    holder.fill("#id_name", "Dana Whitfield")
    holder.fill("#id_street", address["street"])
    holder.fill("#id_city", address["city"])
    holder.fill("#id_region", address["region"])
    holder.select_option("#id_country", address["country"])
    assert holder.is_visible(f"text={consent}")  # only the consent that fits the address
    holder.fill("#id_phone", "802 555 0177" if address["country"] == "US" else "+49 30 1234567")
    holder.fill("#id_email", "dana@whitfield.example")
    holder.check("#id_consent_to_jurisdiction")
    holder.fill("#id_signature_name", "Dana Whitfield")
    holder.click("text=Send the counter notice")
    holder.wait_for_selector("text=Counter notice received")
    assert "Waiting for the restoration window" in holder.inner_text("dl")
    counter = notice.counter_notices.get()
    assert counter.subscriber_id == harbor.id
    assert consent in counter.consent_statement

    # The rights holder's status page tells the story so far.
    rights_holder.goto(status_url)
    assert rights_holder.inner_text(".status-badge") == "Counter notice received"
    timeline = rights_holder.locator("ol.timeline li").evaluate_all(
        "items => items.map(li => li.lastChild.textContent.trim())"  # the entry after its time
    )
    assert timeline == PUBLIC_TIMELINE
    counters = rights_holder.locator("table:not(.locations) tbody tr").all_inner_texts()
    assert len(counters) == 1 and "Waiting for the restoration window" in counters[0]
    assert rights_holder.is_visible("text=Report a court action")
    assert "Dana Whitfield" not in rights_holder.inner_text("main")  # no personal data here

    # Back on the desk, the case shows the counter notice and its window.
    page.reload()
    shows_status(page, "Counter notice received")
    counter_notices = page.locator("fieldset", has=page.locator("h2", has_text="Counter notices"))
    assert "Harbor Cloud" in counter_notices.inner_text()
    assert console_errors == []
