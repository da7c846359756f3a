import secrets

from django.db import models
from django.db.models import F
from django_countries.fields import CountryField

from .workflow import PUBLIC_EXPLANATIONS, Status


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    API = "api", "API"
    EMAIL = "email", "E-mail"
    POST = "post", "Post"
    FAX = "fax", "Fax"


class ActingAs(models.TextChoices):
    OWNER = "owner", "I am the copyright owner"
    AGENT = "agent", "I am authorized to act for the copyright owner"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ReferenceSequence(models.Model):
    """The last case number given out in a year: references run DMCA-2026-000001, ..."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def next_reference(cls, year: int) -> str:
        # Must run inside the caller's transaction: the UPDATE locks the year's row until
        # commit, so two submissions can never read the same number.
        cls.objects.get_or_create(year=year)
        cls.objects.filter(year=year).update(last=F("last") + 1)
        number = cls.objects.get(year=year).last
        return f"DMCA-{year}-{number:06d}"


class Notice(models.Model):
    """A takedown notice and the case that grows from it."""

    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField(db_index=True)
    status_token = models.CharField(max_length=64, unique=True, default=new_token)

    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_organization = models.CharField(max_length=200, blank=True)
    acting_as = models.CharField(max_length=8, choices=ActingAs.choices, blank=True)
    street = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField(blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text="E.164, e.g. +12125551234")
    email = models.EmailField(max_length=254, blank=True)

    signature_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_ip = models.GenericIPAddressField(null=True, blank=True)
    signature_user_agent = models.CharField(max_length=500, blank=True)

    # The exact wording each statement had when the complainant agreed to it; empty if not.
    good_faith_statement = models.TextField(blank=True)
    accuracy_statement = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="notice_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="notice_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def public_explanation(self) -> str:
        return PUBLIC_EXPLANATIONS[Status(self.status)]


class Work(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="works")
    position = models.PositiveIntegerField()
    description = models.TextField(max_length=2000)
    url = models.URLField("URL of the original", max_length=2048, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.description[:80]


class InfringingItem(models.Model):
    class Kind(models.TextChoices):
        URL = "url", "URL"
        HOST = "host", "Host name"
        IP = "ip", "IP address"
        PATH = "path", "Path"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    location = models.CharField(max_length=2048, help_text="As the complainant gave it.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    normalized = models.CharField(max_length=2048)
    host = models.CharField(max_length=255, blank=True, db_index=True)
    description = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.location


class NoticeEvent(models.Model):
    """The case's audit trail. Append-only: rows are written by services, never changed."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.CharField(max_length=100)  # a username, "public form", "system", ...
    action = models.CharField(max_length=64)  # namespaced: "notice.received", "letter.sent"
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    # Events the complainant sees on the status page, with the words they see.
    PUBLIC_LABELS = {
        "notice.received": "Notice received",
        "letter.sent": "We wrote to you",
    }

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["notice", "at"])]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events cannot be deleted.")


class Letter(models.Model):
    """An outgoing letter: stored before it is sent, so a lost task never loses it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=40)  # the template name, e.g. "acknowledgement"
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    message_id = models.CharField(max_length=255, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="letter_due_idx",
                condition=models.Q(state__in=["queued", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email}"
