import csv
import hashlib
import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.exports import export_create, export_run, exports_sweep
from notices.models import Document, ExportJob
from tests.factories import web_notice

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
        patch.setattr("notices.exports.export_enqueue", queued.append)
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
    login(client, "Legal staff")
    job = export_create(actor="legal", version="internal", notice_ids=[web_notice().id])
    page = client.get(reverse("admin:notices_export", args=[job.id])).content.decode()
    assert "0 of 1" in page and 'http-equiv="refresh"' in page
    assert client.get(reverse("admin:notices_export_download", args=[job.id])).status_code == 404
    export_run(job_id=job.id)
    page = client.get(reverse("admin:notices_export", args=[job.id])).content.decode()
    assert "Download the ZIP" in page
    download = client.get(reverse("admin:notices_export_download", args=[job.id]))
    assert b"".join(download.streaming_content)[:2] == b"PK"
