"""What the desk makes of a case: PDFs, exports, and who looked at its personal data."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .case import Notice


class PersonalDataView(models.Model):
    """Who looked at a case's personal data, when, and what (the policy's access record).

    Auditors read it: `what` names a page or a file by kind and number, never by
    anything a party wrote (an original's file name may be a person's name)."""

    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="personal_data_views"
    )
    # A subscriber's record (its § 512(i) ledger) read apart from any one case.
    subscriber = models.ForeignKey(
        "Subscriber",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personal_data_views",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField()
    what = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.notice or self.subscriber} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, *, user, notice_ids: list[int], what: str) -> None:
        at = timezone.now()
        cls.objects.bulk_create(
            cls(notice_id=notice_id, user=user, at=at, what=what) for notice_id in notice_ids
        )


def document_path(document: "Document", filename: str) -> str:
    if document.notice_id is None:
        return f"documents/subscribers/{document.subscriber_id}/{filename}"
    return f"documents/{document.notice.reference}/{filename}"


class Document(models.Model):
    """A PDF the system made, kept with its SHA-256 so a copy handed out can be proven."""

    class Kind(models.TextChoices):
        NOTICE = "notice", "Notice record"
        COUNTER_NOTICE = "counter_notice", "Counter-notice record"
        LETTER = "letter", "Letter"
        CASE_FILE = "case_file", "Case file"
        LEDGER = "ledger", "Repeat-infringer ledger"

    class Version(models.TextChoices):
        INTERNAL = "internal", "Internal (complete)"
        SHAREABLE = "shareable", "Shareable (personal data removed)"

    # A case's record, or a subscriber's (its ledger).
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    subscriber = models.ForeignKey(
        "Subscriber", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    version = models.CharField(max_length=10, choices=Version.choices)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)  # letter or counter notice
    file = models.FileField(upload_to=document_path)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        about = self.notice.reference if self.notice_id else self.subscriber.account_id
        return f"{self.get_kind_display()} {about} ({self.version})"


class ExportJob(models.Model):
    """An export of case files as one ZIP with a CSV manifest; the row records who asked."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.CharField(max_length=150)  # a username: only they may download it
    created_at = models.DateTimeField()
    version = models.CharField(max_length=10, choices=Document.Version.choices)
    notice_ids = models.JSONField(default=list, blank=True)  # chosen cases, or:
    received_from = models.DateField(null=True, blank=True)  # a range of receipt dates
    received_to = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Emptied when the file is deleted: EXPORT_KEEP_DAYS after it was built, or when a
    # case in it is anonymized.
    file = models.FileField(upload_to="exports/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # The cases in the file, as built: for the access record and for retention.
    notices = models.ManyToManyField(Notice, related_name="exports", blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.id} by {self.created_by} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def expires_at(self):
        """When `exports.exports_expire` deletes the file."""
        return self.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS)
