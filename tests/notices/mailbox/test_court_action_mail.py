"""Mail saying a court action was filed about a counter-noticed case is urgent (§ 512(g)(2)(C)):
the reader's kind stays "other", the mailbox routes it to the case and flags it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.mailbox.court_action import says_action_filed
from notices.mailbox.intake import intake_raw
from notices.models import InboundMessage
from tests.factories import counter_notice, notified_case

pytestmark = pytest.mark.django_db


def court_mail(reference: str, sentence: str, n: int = 1) -> bytes:
    return f"""\
From: Maria Okafor <m.okafor@lanternrow.example>
To: copyright@iij-america.com
Subject: {reference}: notice of action
Message-ID: <court-{n}@lanternrow.example>

To the Designated Agent, regarding case {reference}:

{sentence}

Maria Okafor
""".encode()


@pytest.fixture
def counter_noticed_case():
    notice, notification = notified_case(now=timezone.now() - timedelta(days=5))
    counter_notice(notice, notification, notice.items.get(subscriber=notification.subscriber))
    return notice


FILED = "Lantern Row Records has filed an action in the Southern District of New York, Civil Action No. 1:27-cv-00012, seeking a court order."  # noqa: E501


def test_court_action_mail_is_routed_to_its_case_and_flagged_urgent(counter_noticed_case):
    notice = counter_noticed_case
    inbound = intake_raw(court_mail(notice.reference, FILED))
    assert inbound.urgent and inbound.notice == notice and not inbound.created_case
    assert InboundMessage.objects.count() == 1 and notice.__class__.objects.count() == 1
    assert notice.events.filter(action="mail.court_action").exists()


def test_a_threat_to_sue_is_not_a_filed_action(counter_noticed_case):
    sentence = "If the material is restored we will file a lawsuit."
    inbound = intake_raw(court_mail(counter_noticed_case.reference, sentence, 2))
    assert not inbound.urgent and inbound.notice_id != counter_noticed_case.id


def test_court_action_mail_about_a_case_with_no_counter_notice_is_other_mail():
    notice, _ = notified_case()
    inbound = intake_raw(court_mail(notice.reference, FILED, 3))
    assert not inbound.urgent


def test_the_desk_counts_it(counter_noticed_case):
    intake_raw(court_mail(counter_noticed_case.reference, FILED, 4))
    assert InboundMessage.objects.filter(urgent=True, handled_at=None).count() == 1


@pytest.mark.parametrize(
    "text, filed",
    [
        ("We have filed an action seeking a court order to restrain the subscriber.", True),
        ("Our client commenced a lawsuit yesterday.", True),
        ("See Civil Action No. 1:27-cv-00012.", True),
        ("We filed a complaint in the District of Vermont.", True),
        ("We will file an action if the material comes back.", False),
        ("We intend to bring a suit.", False),
        ("Please restore my files, this is a mistake.", False),
    ],
)
def test_what_counts_as_an_action_filed(text, filed):
    assert says_action_filed(text) is filed
