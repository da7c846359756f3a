"""Exports of case files for Legal staff: one ZIP of PDFs plus a CSV manifest.

Built by a Celery task into a file on disk, one case at a time, so memory stays flat
however many cases are exported; the download streams the file. The job is a row, so a
lost task is queued again by `exports_sweep`.

An export is a copy made to be handed on, not the desk's record (the case is): only its
maker may download it, and its file is deleted EXPORT_KEEP_DAYS after it was built
(`exports_expire`), or as soon as a case in it is anonymized (`retention`). The row stays,
as the record of who exported which cases.
"""

import csv
import hashlib
import io
import logging
import tempfile
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from iija_compliance.lib.business_days import AGENT_TIME_ZONE
from iija_compliance.lib.dispatch import enqueue
from notices.models import Document, ExportJob, Notice

from .documents import document_generate

logger = logging.getLogger(__name__)
STALE_RUNNING = timedelta(minutes=30)
MANIFEST_FIELDS = ["reference", "status", "channel", "received_at", "file", "sha256", "bytes"]


def export_create(
    *,
    actor: str,
    version: str,
    notice_ids: list[int] | None = None,
    received_from=None,
    received_to=None,
    now: datetime | None = None,
) -> ExportJob:
    now = now or timezone.now()
    job = ExportJob.objects.create(
        created_by=actor,
        created_at=now,
        version=Document.Version(version),
        notice_ids=sorted(notice_ids or []),
        received_from=received_from,
        received_to=received_to,
    )
    job.total = _notices(job).count()
    job.save(update_fields=["total"])
    transaction.on_commit(lambda: export_enqueue(job.id))
    return job


def export_enqueue(job_id: int) -> None:
    enqueue("notices.tasks.export_run_task", job_id)  # or exports_sweep, if the broker is away


def _notices(job: ExportJob) -> QuerySet[Notice]:
    notices = Notice.objects.order_by("received_at", "id")
    if job.notice_ids:
        return notices.filter(id__in=job.notice_ids)
    start = datetime.combine(job.received_from, datetime.min.time(), tzinfo=AGENT_TIME_ZONE)
    end = datetime.combine(job.received_to, datetime.min.time(), tzinfo=AGENT_TIME_ZONE)
    return notices.filter(received_at__gte=start, received_at__lt=end + timedelta(days=1))


def export_run(*, job_id: int) -> None:
    claimed = ExportJob.objects.filter(id=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, claimed_at=timezone.now(), done=0
    )
    if not claimed:
        return
    job = ExportJob.objects.get(id=job_id)
    try:
        _build(job)
    except Exception as exc:
        logger.exception("Export %s failed", job_id)
        job.state, job.error = ExportJob.State.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        job.save(update_fields=["state", "error"])


def _build(job: ExportJob) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _write_zip(job, Path(folder) / "export.zip")


def _write_zip(job: ExportJob, path: Path) -> None:
    buffer = io.StringIO()
    manifest = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS)
    manifest.writeheader()
    notice_ids = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for notice in _notices(job).iterator(chunk_size=100):
            notice_ids.append(notice.id)
            document = document_generate(
                notice=notice, kind="case_file", version=job.version, actor=job.created_by
            )
            name = f"{notice.reference}-case-file-{job.version}.pdf"
            with document.file.open("rb") as pdf:
                archive.writestr(name, pdf.read())
            manifest.writerow(
                {
                    "reference": notice.reference,
                    "status": notice.status,
                    "channel": notice.channel,
                    "received_at": notice.received_at.isoformat(),
                    "file": name,
                    "sha256": document.sha256,
                    "bytes": document.size,
                }
            )
            ExportJob.objects.filter(id=job.id).update(done=F("done") + 1)
        archive.writestr("manifest.csv", buffer.getvalue())
    digest = hashlib.sha256()
    with open(path, "rb") as archive_file:
        for chunk in iter(lambda: archive_file.read(1 << 20), b""):
            digest.update(chunk)
        job.file.save(f"export-{job.id}-{job.version}.zip", File(archive_file), save=False)
    job.sha256 = digest.hexdigest()
    job.state, job.finished_at = ExportJob.State.DONE, timezone.now()
    with transaction.atomic():
        job.notices.set(notice_ids)
        job.save(update_fields=["file", "sha256", "state", "finished_at"])


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports built more than EXPORT_KEEP_DAYS ago (`expires_at`);
    safe to run twice."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(
        state=ExportJob.State.DONE,
        finished_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS),
    ).exclude(file="")
    count = 0
    for job in expired:
        job.file.delete(save=False)
        job.save(update_fields=["file"])
        count += 1
    return count


def exports_sweep(*, now: datetime | None = None) -> int:
    """Queue exports the broker lost, and restart those whose worker died."""
    now = now or timezone.now()
    ExportJob.objects.filter(
        state=ExportJob.State.RUNNING, claimed_at__lt=now - STALE_RUNNING
    ).update(state=ExportJob.State.QUEUED)
    waiting = list(
        ExportJob.objects.filter(
            state=ExportJob.State.QUEUED, created_at__lt=now - timedelta(minutes=1)
        ).values_list("id", flat=True)
    )
    for job_id in waiting:
        export_enqueue(job_id)
    return len(waiting)
