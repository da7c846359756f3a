"""Retention: personal data goes after RETENTION_YEARS; figures and the trail stay."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.models import Channel, Notice, NoticeEvent
from notices.retention import retention_sweep
from notices.services import notice_reject, notice_submit
from tests.factories import submission

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
ENDED = datetime(2019, 3, 14, 12, 0, tzinfo=NY)


def ended_case(**changes) -> Notice:
    notice = notice_submit(
        submission=submission(**changes),
        channel=Channel.POST,
        actor="agent",
        received_at=ENDED - timedelta(days=10),
        original=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 signed", "application/pdf"),
    )
    notice_reject(
        notice_id=notice.id,
        reason="duplicate",
        note="Call +1 212 555 0199",
        actor="agent",
        now=ENDED,
    )
    return notice


def test_a_case_just_inside_the_period_is_kept(settings):
    settings.RETENTION_YEARS = 7
    notice = ended_case()
    assert retention_sweep(now=ENDED.replace(year=2026) - timedelta(minutes=1)) == 0
    notice.refresh_from_db()
    assert notice.email == "m.okafor@lanternrow.example" and notice.anonymized_at is None


def test_a_case_just_past_the_period_is_anonymized_once(settings):
    settings.RETENTION_YEARS = 7
    notice = ended_case()
    attachment = notice.attachments.get()
    later = ENDED.replace(year=2026) + timedelta(minutes=1)
    assert retention_sweep(now=later) == 1
    assert retention_sweep(now=later) == 0
    notice.refresh_from_db()
    for field in ["complainant_name", "street", "phone", "email", "signature_name"]:
        assert getattr(notice, field) == "", field
    assert notice.signature_ip is None
    # What happened, and the figures, stay.
    assert (notice.status, notice.channel, notice.complainant_organization) == (
        "rejected",
        "post",
        "Lantern Row Records LLC",
    )
    assert notice.items.count() == 2
    for letter in notice.letters.all():  # the acknowledgement and the rejection
        assert letter.to_email == "" and "retention policy" in letter.body_text
    attachment.refresh_from_db()
    assert not attachment.file and len(attachment.sha256) == 64
    assert "555" not in notice.events.get(action="notice.reject").note
    assert NoticeEvent.objects.filter(notice=notice, action="notice.anonymized").exists()


def test_open_cases_and_cases_with_a_court_action_are_never_touched(settings):
    from counternotices.models import CourtAction

    settings.RETENTION_YEARS = 1
    open_case = notice_submit(
        submission=submission(), channel=Channel.POST, actor="agent", received_at=ENDED
    )
    with_action = ended_case()
    CourtAction.objects.create(
        notice=with_action,
        court="S.D.N.Y.",
        case_number="1:19-cv-1",
        filed_on=ENDED.date(),
        reported_by="legal",
        received_at=ENDED,
    )
    assert retention_sweep(now=datetime(2026, 11, 28, tzinfo=NY)) == 0
    for notice in (open_case, with_action):
        notice.refresh_from_db()
        assert notice.email and notice.anonymized_at is None
