"""An Auditor reads the desk without personal data: no page the role can open shows it,
and no search finds a case or a subscriber by it."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.core import cases, subscribers
from notices.mailbox.intake import intake_raw
from notices.models import Notice
from tests.factories import counter_notice, notified_case

pytestmark = pytest.mark.django_db

PERSONAL_TAKEDOWN = """\
Received: from mx.raman-studio.example by mail.iij-america.example; Tue, 24 Nov 2026 14:05:09 +0000
From: Priya Raman <priya.raman@raman-studio.example>
To: copyright@iij-america.com
Subject: Copyright infringement notice from Priya Raman
Date: Tue, 24 Nov 2026 09:04:51 -0500
Message-ID: <pr-20261124-0001@raman-studio.example>
Content-Type: text/plain; charset=utf-8

Dear Designated Agent,

I am the photographer and copyright owner of the photograph "Tidal Flats at Dawn" (2023),
published at https://www.raman-studio.example/tidal-flats

The following infringing copies are hosted on your network:

https://files.example-host.net/gallery/tidal-flats.jpg

I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.

I swear, under penalty of perjury, that the information in this notification is accurate
and that I am the owner of the exclusive right that is allegedly infringed.

Sincerely,
/s/ Priya Raman
27 Linden Court, Oakland, CA 94611
Tel. +1 510 555 0188
priya.raman@raman-studio.example
"""
WITHDRAWAL = (
    "Withdrawn by phone. Ms Raman asks that letters go to priya.r@fastmail.example or "
    "+1 (510) 555-0199, at 27 Linden Court."
)
# Each planted value, as any page could write it.
PERSONAL = [
    "Priya",
    "Linden Court",
    "priya.raman@raman-studio.example",
    "priya.r@fastmail.example",
    "555 0188",
    "555-0199",
    "5550188",
    "Dana Whitfield",
    "12 Orchard Lane",
    "dana@whitfield.example",
    "5550177",
    "abuse+c-1@harbor-cloud.example",
    "88 Pier Road",
    "Maria Okafor",
    "m.okafor@lanternrow.example",
    "410 Harbor Avenue",
    "5550143",
    # A network notice's reported address and its reporter.
    "198.51.100.201",
    "vendor.desk@rights-watch.example",
]


@pytest.fixture
def desk():
    """An e-mail case from a person, withdrawn with a note full of contact details, and a
    web case taken down, its subscriber answering with a counter notice."""
    mailed = intake_raw(PERSONAL_TAKEDOWN.encode()).notice
    cases.notice_withdraw(notice_id=mailed.id, actor="agent", note=WITHDRAWAL)
    notice, notification = notified_case()
    counter_notice(notice, notification, notice.items.get(subscriber=notification.subscriber))
    subscribers.subscriber_terminate(
        subscriber_id=notification.subscriber_id,
        reason="Customer's lawyer at dana@whitfield.example (+1 802 555 0177) agreed.",
        actor="agent",
    )
    network_notice(notification.subscriber)
    return {"mailed": Notice.objects.get(id=mailed.id), "web": notice}


def network_notice(customer):
    """An ACNS notice from an address the web case's subscriber holds."""
    from datetime import UTC, datetime

    from tests.factories import assignment
    from tests.notices.network.samples import acns_xml, letter, mail

    assignment(customer, "198.51.100.192/26", "2026-01-01T00:00:00Z")
    xml = acns_xml(ip="198.51.100.201")
    message = mail(letter(ip="198.51.100.201", xml=xml), sender="vendor.desk@rights-watch.example")
    intake_raw(message.as_bytes(), received_at=datetime(2026, 3, 5, tzinfo=UTC))


def login(client, role):
    user = User.objects.create_user(username=f"user-{role}", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


SKIP = re.compile(r"/(logout|password_change|jsi18n|autocomplete)/|/r/\d+/\d+/$")


def crawl(client, limit=600) -> dict[str, str]:
    """Every admin page reachable by links from the index (query strings dropped), with
    each object's history page; the text of those that opened."""
    seen, pages, queue = set(), {}, [reverse("admin:index")]
    while queue and len(seen) < limit:
        path = queue.pop()
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages[path] = response.text
        for href in re.findall(r'href="([^"#]*)"', response.text):
            target = urlsplit(urljoin(path, unescape(href))).path
            if target.startswith("/admin/"):
                queue.append(target)
        if path.endswith("/change/"):
            queue.append(path.removesuffix("change/") + "history/")
    return pages


def test_no_page_an_auditor_can_open_shows_personal_data(client, desk):
    login(client, "Auditor")
    pages = crawl(client)
    mailed, web = desk["mailed"], desk["web"]
    opened = set(pages)
    for must in [
        reverse("admin:notices_notice_change", args=[mailed.id]),
        reverse("admin:notices_notice_change", args=[web.id]),
        reverse("admin:notices_notice_changelist"),
        reverse("admin:notices_subscriber_changelist"),
        reverse("admin:notices_noticeevent_changelist"),
        reverse("admin:notices_subscriber_change", args=[web.items.first().subscriber_id]),
        reverse("admin:counternotices_counternotice_change", args=[web.counter_notices.get().id]),
        reverse("admin:notices_noticeevent_change", args=[mailed.events.last().id]),
        reverse("admin:notices_notice_history", args=[mailed.id]),
        reverse("admin:notices_networkevent_changelist"),
        reverse("admin:notices_networkcase_changelist"),
    ]:
        assert must in opened, must
    # The mailbox and letters are not the Auditor's to open at all.
    assert client.get(reverse("admin:notices_inboundmessage_changelist")).status_code == 403
    assert client.get(reverse("admin:notices_letter_changelist")).status_code == 403
    case_page = pages[reverse("admin:notices_notice_change", args=[mailed.id])]
    assert "Read from the e-mail" in case_page and "Withdrawn" in case_page
    assert "[removed]" in case_page  # redacted, not hidden
    for path, text in pages.items():  # the case reference is no telephone number
        assert "DMCA-[removed]" not in text, path
    leaks = {(path, value) for path, text in pages.items() for value in PERSONAL if value in text}
    assert not leaks, sorted(leaks)


def test_an_agent_still_sees_what_the_auditor_may_not(client, desk):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_notice_change", args=[desk["mailed"].id])).text
    for value in ["27 Linden Court", "priya.r@fastmail.example", "Priya Raman"]:
        assert value in page, value


def found(client, url, term, wanted) -> bool:
    return wanted in client.get(url, {"q": term}).text


@pytest.mark.parametrize(
    "role, sees", [("Auditor", False), ("Legal staff", True), ("Designated agent", True)]
)
def test_search_finds_by_personal_data_only_for_roles_that_may_see_it(client, desk, role, sees):
    login(client, role)
    cases = reverse("admin:notices_notice_changelist")
    subscribers = reverse("admin:notices_subscriber_changelist")
    harbor = desk["web"].items.exclude(subscriber=None).first().subscriber
    mailed = desk["mailed"].reference
    assert found(client, cases, "Pri", mailed) is sees  # a prefix of the complainant's name
    assert found(client, cases, "Priya Raman", mailed) is sees
    assert found(client, subscribers, harbor.notice_email, harbor.account_id) is sees
    assert found(client, subscribers, "abuse+c-1@", harbor.account_id) is sees
    # What the role may see is still searched.
    assert found(client, cases, mailed, mailed)
    assert found(client, subscribers, harbor.account_id, harbor.account_id)


def test_filters_in_the_address_are_no_oracle_on_personal_fields_for_an_auditor(client, desk):
    """The admin takes any field of the model as a filter in the query string."""
    login(client, "Auditor")
    mailed, web = desk["mailed"], desk["web"]
    probes = [
        ("admin:notices_notice_changelist", {"complainant_name__istartswith": "Pri"}),
        ("admin:notices_notice_changelist", {"email__contains": "raman"}),
        ("admin:notices_subscriber_changelist", {"notice_email__startswith": "abuse+c-1"}),
        ("admin:notices_noticeevent_changelist", {"note__contains": "Linden"}),
        ("admin:counternotices_counternotice_changelist", {"email__startswith": "dana@"}),
        ("admin:notices_subscriberevent_changelist", {"reason__contains": "whitfield"}),
    ]
    for name, lookup in probes:
        response = client.get(reverse(name), lookup)
        assert response.status_code == 400, (name, lookup, response.status_code)
    # The filters the lists offer still work.
    listing = client.get(reverse("admin:notices_notice_changelist"), {"status__exact": "withdrawn"})
    assert mailed.reference in listing.text and web.reference not in listing.text
