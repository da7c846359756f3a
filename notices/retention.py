"""Retention: personal data is kept for RETENTION_YEARS after a case ends, then removed.

The case, its figures and its audit trail stay; names, addresses, telephone numbers,
e-mail addresses, signature metadata, letter texts, original documents and generated
PDFs go. Open cases and cases with a court action are never touched.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notice, NoticeEvent
from .redaction import REMOVED, redact_text
from .workflow import FINAL

CONTACT_FIELDS = ["complainant_name", "street", "city", "region", "postal_code", "phone", "email"]
SIGNATURE_FIELDS = ["signature_name", "signature_user_agent"]


def retention_cutoff(now: datetime) -> datetime:
    years = settings.RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expired_cases(now: datetime):
    # exclude(), not a filter on isnull: a subquery, so the row lock needs no outer join.
    return Notice.objects.filter(
        status__in=FINAL, ended_at__lt=retention_cutoff(now), anonymized_at=None
    ).exclude(court_actions__isnull=False)


def retention_sweep(*, now: datetime | None = None) -> int:
    """Anonymize every case past the retention period; safe to run twice."""
    now = now or timezone.now()
    count = 0
    for notice_id in list(expired_cases(now).values_list("id", flat=True)[:500]):
        count += notice_anonymize(notice_id=notice_id, now=now)
    return count


def notice_anonymize(*, notice_id: int, now: datetime) -> int:
    with transaction.atomic():
        notice = expired_cases(now).select_for_update().filter(id=notice_id).first()
        if notice is None:
            return 0
        known = notice.personal_values()
        for field in CONTACT_FIELDS + SIGNATURE_FIELDS:
            setattr(notice, field, "")
        notice.signature_ip = None
        notice.anonymized_at = now
        notice.save(
            update_fields=[*CONTACT_FIELDS, *SIGNATURE_FIELDS, "signature_ip", "anonymized_at"]
        )
        for work in notice.works.all():
            work.description = redact_text(work.description, known=known)
            work.save(update_fields=["description"])
        for item in notice.items.exclude(description=""):
            item.description = redact_text(item.description, known=known)
            item.save(update_fields=["description"])
        removed = f"[Removed under the retention policy on {now:%Y-%m-%d}]"
        notice.letters.update(to_email="", body_text=removed, body_html=removed)
        notice.counter_notices.update(
            name="", street="", city="", region="", postal_code="", phone="", email="",
            signature_name="", signature_ip=None, signature_user_agent="",
        )  # fmt: skip
        for attachment in notice.attachments.all():
            attachment.file.delete(save=False)
            attachment.name = REMOVED
            attachment.save(update_fields=["file", "name"])
        for document in notice.documents.all():
            document.file.delete(save=False)
            document.save(update_fields=["file"])
        # Notes are the agent's words and may quote personal data: the one change to the
        # append-only trail, made by query because events refuse to be saved twice.
        for event in notice.events.exclude(note=""):
            NoticeEvent.objects.filter(id=event.id).update(
                note=redact_text(event.note, known=known)
            )
        NoticeEvent.objects.create(
            notice=notice,
            at=now,
            actor="system",
            action="notice.anonymized",
            data={"retention_years": settings.RETENTION_YEARS},
        )
    return 1
