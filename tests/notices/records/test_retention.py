"""Retention: personal data goes after RETENTION_YEARS; figures and the trail stay."""

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from counternotices.services import counter_notice_submit
from iija_compliance.lib.signing import Signing
from notices.core.cases import (
    notice_accept,
    notice_disable_material,
    notice_reject,
    notice_withdraw,
)
from notices.core.intake import notice_submit
from notices.mailbox.intake import intake_raw
from notices.models import Channel, ExportJob, Notice, NoticeEvent
from notices.outbox.letters import letter_send
from notices.records import retention
from notices.records.documents import document_generate
from notices.records.exports import export_create, export_run, exports_expire
from notices.records.retention import retention_sweep
from notices.tasks import records_sweep_task
from tests.factories import counter_submission, submission, subscriber
from tests.notices.mailbox.test_mail_intake import counter_mail

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
ENDED = datetime(2019, 3, 14, 12, 0, tzinfo=NY)
TEXT_LIKE = (
    models.CharField,
    models.TextField,
    models.FileField,
    models.GenericIPAddressField,
    models.JSONField,
)


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


# Every value of the parties in the case below, as any copy could hold it.
PARTIES = [
    "Sam Okoye",
    "notices@northwind-aps.example",
    "500 Seventh Avenue",
    "+16465550102",
    "Dana Whitfield",
    "12 Orchard Lane",
    "dana@whitfield.example",
    "whitfield.example",  # a personal domain, in a Message-ID
    "+18025550177",
    "Mozilla/5.0 (X11; Linux x86_64)",
]


def every_stored_text() -> str:
    """Every field of every row of the desk's models, as text."""
    values = []
    for app in ("notices", "counternotices"):
        for model in apps.get_app_config(app).get_models():
            for row in model.objects.values():
                values += [
                    json.dumps(v) if isinstance(v, dict | list) else str(v) for v in row.values()
                ]
    return "\n".join(values)


def stored_files(notice: Notice) -> list[str]:
    files = [inbound.original.path for inbound in notice.inbound_messages.all()]
    files += [attachment.file.path for attachment in notice.attachments.all()]
    files += [document.file.path for document in notice.documents.all()]
    return files + [job.file.path for job in notice.exports.all()]


@pytest.fixture
def mailed_case(inbox):
    """A case that left a copy of its parties' data everywhere it could: a message by
    e-mail and its reading, originals, letters (one the mail server refused, with
    its answer), a counter notice, records, an export, event notes and data."""
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = notice_submit(
        submission=submission(
            name="Sam Okoye",
            email="notices@northwind-aps.example",
            street="500 Seventh Avenue, 12th Floor",
            phone="+16465550102",
            signature_name="Sam Okoye",
        ),
        channel=Channel.WEB,
        actor="public form",
        signing=Signing(ip="198.51.100.77", user_agent=PARTIES[-1]),
    )
    acknowledgement = notice.letters.get()
    inbox.refuse_with = "550 5.1.1 <notices@northwind-aps.example>: Recipient address rejected"
    letter_send(letter_id=acknowledgement.id)
    inbox.refuse_with = None
    notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.exclude(subscriber=None).first()
    notice_disable_material(notice_id=notice.id, actions={item.id: "removed"}, actor="agent")
    mail = counter_mail(notice.reference).replace(
        "Subject: Counter notice for", "Subject: Dana Whitfield: counter notice for"
    )
    intake_raw(mail.encode())
    counter_notice_submit(
        notice_id=notice.id,
        subscriber_id=item.subscriber_id,
        item_ids=[item.id],
        submission=counter_submission(),
        channel=Channel.EMAIL,
        actor="agent",
        original=SimpleUploadedFile("counter.eml", mail.encode(), "message/rfc822"),
        signing=Signing(ip="203.0.113.77", user_agent=PARTIES[-1]),
    )
    document_generate(notice=notice, kind="case_file", version="internal", actor="legal")
    job = export_create(actor="legal", version="internal", notice_ids=[notice.id])
    export_run(job_id=job.id)
    notice_withdraw(notice_id=notice.id, actor="complainant", note="Settled with Dana Whitfield")
    return notice


def test_anonymizing_a_case_leaves_no_copy_of_its_parties_data(settings, mailed_case):
    settings.RETENTION_YEARS = 1
    before = every_stored_text()
    files = stored_files(mailed_case)
    assert all(value in before for value in PARTIES)  # each copy was really made
    assert len(files) == 5 and all(Path(path).exists() for path in files)

    assert retention_sweep(now=timezone.now() + timedelta(days=800)) == 1

    after = every_stored_text()
    for value in PARTIES:
        assert value not in after, value
    for path in files:
        assert not Path(path).exists(), path
    inbound = mailed_case.inbound_messages.first()
    assert (inbound.sender, inbound.subject, inbound.reading) == ("", "", {})
    assert mailed_case.exports.get().file.name == ""
    # The case, its figures and its trail stay.
    assert mailed_case.inbound_messages.count() == 1 and mailed_case.events.count() > 8
    assert Notice.objects.get(id=mailed_case.id).reference == mailed_case.reference


def test_the_case_page_reads_after_anonymization(client, settings, mailed_case):
    settings.RETENTION_YEARS = 1
    retention_sweep(now=timezone.now() + timedelta(days=800))
    user = User.objects.create_user(username="agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(user)
    page = client.get(reverse("admin:notices_notice_change", args=[mailed_case.id]))
    assert page.status_code == 200 and mailed_case.reference in page.content.decode()


def test_a_message_that_reached_no_case_is_anonymized_after_the_period(settings):
    settings.RETENTION_YEARS = 1
    received = timezone.now() - timedelta(days=400)
    other = intake_raw(
        b"From: Dana Whitfield <dana@whitfield.example>\r\nSubject: hello from Dana Whitfield"
        b"\r\nMessage-ID: <x1@whitfield.example>\r\n\r\nCall me at +1 802 555 0177.\r\n",
        received_at=received,
    )
    recent = intake_raw(
        b"From: Sam Okoye <notices@northwind-aps.example>\r\nSubject: hi\r\n"
        b"Message-ID: <x2@northwind-aps.example>\r\n\r\nhello\r\n"
    )
    path = Path(other.original.path)
    assert retention_sweep() == 1
    assert retention_sweep() == 0
    other.refresh_from_db()
    recent.refresh_from_db()
    assert (other.sender, other.subject, other.reading, other.original.name) == ("", "", {}, "")
    assert "whitfield" not in other.message_id and not path.exists()
    assert recent.sender.startswith("Sam Okoye") and Path(recent.original.path).exists()


def test_every_field_that_can_hold_personal_data_is_anonymized_or_kept_for_a_reason():
    """A model that gains a file, an address or free text fails here until retention
    says what becomes of it."""
    listed = set(retention.ANONYMIZED_FIELDS) | set(retention.KEPT_FIELDS)
    fields, can_hold = set(), set()
    for app in ("notices", "counternotices"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                fields.add(f"{model._meta.label}.{field.name}")
                if isinstance(field, TEXT_LIKE) and not field.choices:
                    can_hold.add(f"{model._meta.label}.{field.name}")
    assert can_hold - listed == set()
    assert listed - fields == set()  # nothing listed that is not there
    assert not set(retention.ANONYMIZED_FIELDS) & set(retention.KEPT_FIELDS)


def test_an_export_is_deleted_after_its_days_and_then_says_so(client, settings):
    settings.EXPORT_KEEP_DAYS = 3
    user = User.objects.create_user(username="legal", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Legal staff"))
    job = export_create(actor="legal", version="internal", notice_ids=[ended_case().id])
    export_run(job_id=job.id)
    job.refresh_from_db()
    path = Path(job.file.path)
    assert exports_expire(now=job.finished_at + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert path.exists()
    ExportJob.objects.filter(id=job.id).update(finished_at=job.finished_at - timedelta(days=3))
    records_sweep_task()  # what beat runs every five minutes
    assert not path.exists()
    assert exports_expire() == 0
    client.force_login(user)
    page = client.get(reverse("admin:notices_export", args=[job.id])).content.decode()
    assert "The ZIP was deleted" in page and "Download the ZIP" not in page
    assert client.get(reverse("admin:notices_export_download", args=[job.id])).status_code == 404
