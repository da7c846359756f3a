import csv
import hashlib
import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notices.core.intake import notice_submit
from notices.mailbox.intake import intake_raw
from notices.models import Document, ExportJob, PersonalDataView
from notices.records.exports import export_create, export_run, exports_sweep
from tests.factories import submission, web_notice
from tests.notices.mailbox.test_mail_intake import counter_mail

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def login(client, role):
    user = User.objects.create_user(username=f"u-{role}", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def read_zip(job: ExportJob) -> zipfile.ZipFile:
    with job.file.open("rb") as archive:
        return zipfile.ZipFile(io.BytesIO(archive.read()))


def test_the_zip_manifest_matches_its_files():
    notices = [web_notice() for _ in range(3)]
    job = export_create(actor="legal", version="shareable", notice_ids=[n.id for n in notices])
    export_run(job_id=job.id)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    archive = read_zip(job)
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert [row["reference"] for row in manifest] == [n.reference for n in notices]
    assert set(archive.namelist()) == {"manifest.csv"} | {row["file"] for row in manifest}
    for row in manifest:
        data = archive.read(row["file"])
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert int(row["bytes"]) == len(data) and data.startswith(b"%PDF")
    with job.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == job.sha256


def test_an_export_by_date_range_takes_the_cases_received_in_it():
    inside = web_notice(now=datetime(2026, 10, 31, 23, 30, tzinfo=NY))  # still Oct 31 in NY
    web_notice(now=datetime(2026, 11, 1, 0, 30, tzinfo=NY))
    web_notice(now=datetime(2026, 9, 30, 12, 0, tzinfo=NY))
    job = export_create(
        actor="legal",
        version="internal",
        received_from=date(2026, 10, 1),
        received_to=date(2026, 10, 31),
    )
    export_run(job_id=job.id)
    job.refresh_from_db()
    manifest = read_zip(job).read("manifest.csv").decode()
    assert job.total == 1 and inside.reference in manifest


def test_an_export_runs_once_and_a_lost_one_is_queued_again():
    job = export_create(actor="legal", version="internal", notice_ids=[web_notice().id])
    ExportJob.objects.filter(id=job.id).update(created_at=datetime(2026, 1, 1, tzinfo=NY))
    queued = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notices.records.exports.export_enqueue", queued.append)
        assert exports_sweep() == 1
    assert queued == [job.id]
    export_run(job_id=job.id)
    job.refresh_from_db()
    built = (job.file.name, job.sha256)
    export_run(job_id=job.id)  # a second delivery of the task does nothing
    job.refresh_from_db()
    assert job.state == "done" and job.done == 1
    assert (job.file.name, job.sha256) == built
    assert Document.objects.filter(kind="case_file").count() == 1  # one case file, built once


@pytest.mark.parametrize(
    "role, allowed",
    [("Designated agent", True), ("Legal staff", True), ("Auditor", False), (None, False)],
)
def test_only_legal_staff_and_the_agent_may_export(client, role, allowed):
    login(client, role)
    notice = web_notice()
    record = client.post(
        reverse("admin:notices_notice_record", args=[notice.id, "notice", "internal"])
    )
    assert (record.status_code == 200) is allowed
    if allowed:
        assert record["Content-Type"] == "application/pdf"
    start = client.post(
        reverse("admin:notices_export_new"),
        {"received_from": "2026-01-01", "received_to": "2026-12-31", "version": "shareable"},
    )
    assert (start.status_code == 302) is allowed
    assert ExportJob.objects.exists() is allowed
    if allowed:
        job = ExportJob.objects.get()
        assert job.created_by == f"u-{role}"  # every export is recorded with who asked


def test_the_export_page_shows_progress_and_the_download(client):
    user = login(client, "Legal staff")
    job = export_create(actor=user.username, version="internal", notice_ids=[web_notice().id])
    page = client.get(reverse("admin:notices_export", args=[job.id])).content.decode()
    assert "0 of 1" in page and 'http-equiv="refresh"' in page
    assert client.get(reverse("admin:notices_export_download", args=[job.id])).status_code == 404
    export_run(job_id=job.id)
    page = client.get(reverse("admin:notices_export", args=[job.id])).content.decode()
    assert "Download the ZIP" in page
    download = client.get(reverse("admin:notices_export_download", args=[job.id]))
    assert b"".join(download.streaming_content)[:2] == b"PK"


ROLES = ["Designated agent", "Legal staff", "another Legal staff", "Auditor", "no group", None]


@pytest.fixture
def maker():
    """The Legal staff user who made the export."""
    user = User.objects.create_user(username="legal-maker", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Legal staff"))
    return user


def as_role(client, role) -> User | None:
    """Log in as a staff user of `role` ("no group": staff in no group; None: anonymous)."""
    if role is None:
        return None
    user = User.objects.create_user(username=f"u-{role}", password="x", is_staff=True)
    group = {"another Legal staff": "Legal staff", "no group": None}.get(role, role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def views_of(user) -> list[tuple[int, str]]:
    return list(PersonalDataView.objects.filter(user=user).values_list("notice_id", "what"))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_maker_downloads_an_export_and_each_download_is_recorded(client, maker, role):
    notices = [web_notice(), web_notice()]
    job = export_create(
        actor=maker.username, version="internal", notice_ids=[n.id for n in notices]
    )
    export_run(job_id=job.id)
    user = as_role(client, role)
    for name in ["admin:notices_export", "admin:notices_export_download"]:
        response = client.get(reverse(name, args=[job.id]))
        if role is None:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        else:  # nobody but its maker, not even the Designated agent
            assert response.status_code == 403, (role, name)
    assert not PersonalDataView.objects.exists()
    if user is not None:
        page = client.get(reverse("admin:notices_export_new")).content.decode()
        assert reverse("admin:notices_export", args=[job.id]) not in page

    client.force_login(maker)
    download = client.get(reverse("admin:notices_export_download", args=[job.id]))
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert sorted(views_of(maker)) == sorted(
        (n.id, f"export {job.id}: case files, internal (ZIP)") for n in notices
    )


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("Designated agent", True),
        ("Legal staff", True),
        ("another Legal staff", True),
        ("Auditor", False),
        ("no group", False),
        (None, False),
    ],
)
@pytest.mark.parametrize("version", ["internal", "shareable"])
def test_each_record_pdf_downloaded_is_recorded(client, role, allowed, version):
    notice = web_notice()
    letter = notice.letters.get()
    user = as_role(client, role)
    downloads = [
        ("notice", {}, "Notice record"),
        ("case_file", {}, "Case file"),
        ("letter", {"subject_id": letter.id}, f"Letter {letter.id}"),
    ]
    for kind, data, _ in downloads:
        url = reverse("admin:notices_notice_record", args=[notice.id, kind, version])
        response = client.post(url, data)
        if allowed:
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        elif role is None:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        else:
            assert response.status_code == 403
    if allowed:
        assert views_of(user) == [
            (notice.id, f"{label} PDF, {version}") for _, _, label in reversed(downloads)
        ]
    else:
        assert not PersonalDataView.objects.exists()


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("Designated agent", True),
        ("Legal staff", True),
        ("another Legal staff", True),
        ("Auditor", False),
        ("no group", False),
        (None, False),
    ],
)
def test_each_original_document_downloaded_is_recorded(client, role, allowed):
    notice = notice_submit(
        submission=submission(),
        channel="post",
        actor="agent",
        original=SimpleUploadedFile("Maria Okafor.pdf", b"%PDF-1.4 signed", "application/pdf"),
    )
    attachment = notice.attachments.get()
    user = as_role(client, role)
    response = client.get(
        reverse("admin:notices_notice_attachment", args=[notice.id, attachment.id])
    )
    if allowed:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
        # The access record names the document by number: Auditors read it.
        assert views_of(user) == [(notice.id, f"original document {attachment.id}")]
    else:
        assert response.status_code == (302 if role is None else 403)
        assert not PersonalDataView.objects.exists()


def test_the_access_record_says_what_was_seen(client):
    """The case page, a letter's page and a message's page say what they showed."""
    user = as_role(client, "Legal staff")
    notice = web_notice()
    letter = notice.letters.get()
    inbound = intake_raw(counter_mail(notice.reference).encode())
    client.get(reverse("admin:notices_notice_change", args=[notice.id]))
    client.get(reverse("admin:notices_letter_change", args=[letter.id]))
    page = client.get(reverse("admin:notices_inboundmessage_change", args=[inbound.id]))
    assert "dana@whitfield.example" in page.content.decode()
    assert views_of(user) == [
        (notice.id, f"Inbound message {inbound.id}"),
        (notice.id, f"Letter {letter.id}"),
        (notice.id, "Case page"),
    ]
