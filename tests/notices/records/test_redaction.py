"""Shareable records: every private link goes, and nothing public is damaged.

The private links are the addresses that act for a party: the complainant's status page
(withdraw, report a court action, send a corrected notice prefilled with their contact
data) and the subscriber's counter-notice form. Whoever holds a shareable copy must not
be able to use them.
"""

import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from counternotices.services import (
    counter_notice_confirm_restored,
    counter_notices_sweep,
    court_action_report,
)
from iija_compliance.lib.business_days import restoration_opens_at
from notices.core import cases, intake
from notices.core.policy import policy_step_decide, policy_sweep, waiting_for_agent
from notices.models import Channel, Letter, Notice, SubscriberNotification
from notices.network.intake import network_events_record
from notices.outbox.letters import letter_send
from notices.records.documents import document_generate, letter_sections
from notices.records.redaction import redact_text
from tests.conftest import pdf_text
from tests.factories import assignment, counter_notice, notified_case, submission, web_notice

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"
# Written out here, not taken from the code under test: the paths that act for a party.
PRIVATE_PATHS = [
    "/notices/status/",
    "/notices/receipt/",
    "/counter-notices/new/",
    "/counter-notices/court-action/",
]
# Routes with a parameter that is not a secret: the API's case detail needs the sender's
# bearer token, and a reference is printed on every letter.
NOT_SECRET = {"api/v1/notices/<str:reference>/"}


@pytest.fixture
def every_letter():
    """Cases that between them make every letter the desk writes, through the services."""
    deficient = intake.notice_submit(
        submission=submission(accuracy_statement=False), channel=Channel.POST, actor="agent"
    )
    cases.notice_mark_deficient(
        notice_id=deficient.id, actor="agent", note="Please add the statement (vi)."
    )
    rejected = web_notice(email="rights@harbor-films.example")
    cases.notice_reject(notice_id=rejected.id, reason="duplicate", actor="agent")
    stopped, link = notified_case()
    counter = counter_notice(stopped, link, stopped.items.get(subscriber=link.subscriber))
    counter_notices_sweep(now=day_10_ended(counter))  # restoration requested
    court_action_report(
        notice_id=stopped.id,
        court="U.S. District Court for the Southern District of New York",
        case_number="1:26-cv-04512",
        filed_on=date(2026, 12, 30),
        complaint=None,
        reported_by="complainant",
    )
    restored = web_notice(email="claims@quiet-ferries.example")
    cases.notice_accept(notice_id=restored.id, actor="agent")
    item = restored.items.get(subscriber=link.subscriber)
    cases.notice_disable_material(
        notice_id=restored.id, actions={item.id: "removed"}, actor="agent"
    )
    counter = counter_notice(restored, restored.notifications.get(), item)
    counter_notices_sweep(now=day_10_ended(counter))
    counter_notices_sweep(now=day(counter.restore_not_after))  # day 14: overdue
    counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent")
    _policy_letters(link.subscriber)
    for letter_id in Letter.objects.values_list("id", flat=True):
        letter_send(letter_id=letter_id)  # acknowledgements are written when sent
    return [deficient, rejected, stopped, restored]


def _policy_letters(customer) -> None:
    """Ten network notices against the customer: a review, a suspension decided, in effect."""
    assignment(customer, "198.51.100.0/24", "2026-01-01T00:00:00+00:00")
    now = timezone.now()
    for n in range(10):
        event = {"ip": "198.51.100.7", "timestamp": (now - timedelta(hours=n + 1)).isoformat()}
        network_events_record(
            [{**event, "case_id": f"R-{n}"}],
            format="acns",
            sender="notices@vendor.example",
            received_at=now - timedelta(hours=n),
        )
    policy_sweep(now=now)
    review = waiting_for_agent().get(subscriber=customer)
    policy_step_decide(step_id=review.id, decision="suspend", reason="Ten.", actor="agent")
    policy_sweep(now=now + timedelta(hours=settings.SUSPENSION_NOTICE_HOURS + 1))


def day(when: date) -> datetime:
    return datetime.combine(when, time(9, 0), tzinfo=NY)


def day_10_ended(counter) -> datetime:
    return restoration_opens_at(counter.restore_not_before)


def private_secrets() -> list[str]:
    tokens = list(Notice.objects.values_list("status_token", flat=True))
    return tokens + list(SubscriberNotification.objects.values_list("token", flat=True))


def test_the_cases_make_every_letter_there_is_a_template_for(every_letter):
    templates = {path.name.removesuffix("-body.txt") for path in EMAIL_TEMPLATES.glob("*-body.txt")}
    # Letters about a subscriber's network case or to a network notice's sender, not a
    # notice's: tests/notices/hosted, tests/notices/network (test_digest.py, test_acks*.py).
    templates = {name for name in templates if not name.startswith("hosted_")}
    not_about_a_case = {"network_digest", "notice_ack"}
    assert set(Letter.objects.values_list("kind", flat=True)) == templates - not_about_a_case


def test_a_shareable_letter_has_no_private_link_and_keeps_what_is_public(every_letter):
    agent = settings.DESIGNATED_AGENT
    tokens = private_secrets()
    links_in_internal_letters = 0
    # A case's letters (a subscriber's policy letters are in no case record).
    for letter in Letter.objects.exclude(notice=None).select_related("notice"):
        internal = letter_sections(letter, shareable=False)["body"]
        section = letter_sections(letter, shareable=True)
        shareable = f"{dict(section['fields'])['Subject']}\n{section['body']}"
        links_in_internal_letters += any(token in internal for token in tokens)
        for token in tokens:
            assert token not in shareable, letter.kind
        for path in PRIVATE_PATHS:
            assert path not in shareable, (letter.kind, path)
        assert letter.notice.reference in shareable, letter.kind
        assert "DMCA-[removed]" not in shareable, letter.kind
        locations = letter.notice.items.values_list("location", flat=True)
        for value in [agent["email"], agent["fax"], *locations]:
            if value in internal:
                assert value in shareable, (letter.kind, value)
    assert links_in_internal_letters >= 6  # the internal letters do carry the links


def test_the_shareable_case_files_read_back_without_private_links(every_letter):
    agent = settings.DESIGNATED_AGENT
    tokens = private_secrets()
    for notice in every_letter:
        document = document_generate(
            notice=notice, kind="case_file", version="shareable", actor="legal"
        )
        text = pdf_text(document)
        # A long link may wrap in a table cell: compare without the line breaks.
        joined = "".join(text.split())
        for token in tokens:
            assert token not in joined, notice.reference
        for path in PRIVATE_PATHS:
            assert path not in joined, (notice.reference, path)
        assert "[privatelinkremoved]" in joined  # the letters said there was a link
        assert "DMCA-[removed]" not in joined
        for value in [notice.reference, agent["email"], agent["fax"]]:
            assert value in text, (notice.reference, value)
        for location in notice.items.values_list("location", flat=True):
            assert location in joined, location


def test_a_shareable_letter_record_reads_back_without_private_links(every_letter):
    deficient = every_letter[0]
    letter = deficient.letters.get(kind="deficiency")
    document = document_generate(
        notice=deficient, kind="letter", version="shareable", actor="legal", subject_id=letter.id
    )
    joined = "".join(pdf_text(document).split())
    assert deficient.status_token not in joined and "/notices/status/" not in joined
    assert deficient.reference in joined and settings.DESIGNATED_AGENT["email"] in joined


def _routes_with_parameters(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes_with_parameters(pattern, route, inner)
        elif pattern.pattern.regex.groupindex and not route.startswith("admin/"):
            yield route, namespace + pattern.name


def test_every_route_that_carries_a_secret_is_taken_out_of_shareable_text():
    """A new private route is covered, or this fails: any secret, on any host."""
    routes = list(_routes_with_parameters())
    assert len(routes) >= 6
    for route, name in routes:
        if route in NOT_SECRET:
            continue
        # Lowercase hex: nothing like a token, so only the route can give it away.
        secret = secrets.token_hex(8)
        path = reverse(name, args=[secret])
        for link in [settings.SITE_URL + path, "https://desk.example.net" + path, path]:
            text = f"Your link: {link}\nor ({link}). Case DMCA-2026-000042."
            redacted = redact_text(text)
            assert secret not in redacted, (route, link)
            assert "DMCA-2026-000042" in redacted


@pytest.mark.parametrize(
    "text",
    [
        "Case reference: DMCA-2026-000042, received DMCA-2027-1234567.",
        "E-mail copyright@iij-america.com · Fax 212-869-8267",
        "See the report at http://testserver/transparency/ and /copyright/.",
    ],
)
def test_what_is_public_is_left_as_it_is(text):
    assert redact_text(text) == text


@pytest.mark.parametrize(
    "link",
    [
        "https://drive.example.com/file/d/1Zx9QmT4vLp2RkW8sNd3Hf6Yb/view",
        "https://share.example.org/dl?access_token=abc123&name=evidence.zip",
        "https://files.example.net/get?file=a.zip&sig=00ffee",
    ],
)
def test_a_foreign_link_that_carries_a_secret_goes(link):
    redacted = redact_text(f"Evidence: {link} (see there)")
    assert "example" not in redacted and redacted.endswith("(see there)")


def test_personal_data_still_goes():
    text = "Call (646) 555-0134, write to p.natarajan@gmail.example, from 192.0.2.201."
    assert redact_text(text).count("[removed]") == 3
