"""The case: a notice, its works and items, its original documents and its audit trail."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django_countries.fields import CountryField
from django_fsm import FSMField, FSMModelMixin, transition

from .workflow import (
    ACTED_ON,
    FINAL,
    PUBLIC_EXPLANATIONS,
    TRANSITIONS,
    ItemAction,
    RejectionReason,
    Status,
)


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
    """Case numbers per year: references run DMCA-2026-000001, ...

    On PostgreSQL each year has a database sequence (`notices_reference_<year>`, created
    when the year's first notice is numbered): taking a number waits for no other
    submission, and a number taken by a submission that then fails is not given again, so
    the references may have gaps. On SQLite (one writer at a time anyway) this table keeps
    the last number given in each year, and a rollback gives its numbers back.
    """

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def take(cls, year: int, count: int = 1) -> list[str]:
        """The year's next `count` references, in order, in one round trip. Within the
        caller's transaction: on SQLite the year's counter stays locked until commit."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The function (migration 0008) creates the year's sequence if need be.
                cursor.execute("SELECT notices_take_references(%s, %s)", [year, count])
                numbers = sorted(number for (number,) in cursor.fetchall())
            else:
                numbers = cls._from_counter(cursor, year, count)
        return [f"DMCA-{year}-{n:06d}" for n in numbers]

    @classmethod
    def _from_counter(cls, cursor, year: int, count: int) -> list[int]:
        table, year_, last = map(connection.ops.quote_name, (cls._meta.db_table, "year", "last"))
        cursor.execute(
            f"INSERT INTO {table} ({year_}, {last}) VALUES (%s, %s) ON CONFLICT ({year_}) "
            f"DO UPDATE SET {last} = {table}.{last} + EXCLUDED.{last} RETURNING {last}",
            [year, count],
        )
        last_taken = cursor.fetchone()[0]
        return list(range(last_taken - count + 1, last_taken + 1))


def _transition(name: str):
    """A model method for one row of `workflow.TRANSITIONS`; only services call it."""
    row = TRANSITIONS[name]

    @transition(field="status", source=list(row.sources), target=row.target)
    def method(self):
        pass

    method.__name__ = name
    return method


class Notice(FSMModelMixin, models.Model):
    """A takedown notice and the case that grows from it."""

    reference = models.CharField(max_length=20, unique=True)
    # Protected: only the transition methods below can change it.
    status = FSMField(
        max_length=32, choices=Status.choices, default=Status.RECEIVED, protected=True
    )
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

    # The API sender that filed it; a sender sees only its own cases.
    api_sender = models.ForeignKey(
        "ApiSender", null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    # A corrected notice sent after a deficiency letter points at the one it corrects.
    revises = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    rejection_reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    # When the case reached a final state; the retention period runs from here.
    ended_at = models.DateTimeField(null=True, blank=True)
    # The next date by which the desk must act on the case (notices/core/deadlines.py),
    # kept with every move so that the queue is one index scan; none when nothing is due.
    act_by = models.DateField("act by", null=True, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    start_review = _transition("start_review")
    mark_deficient = _transition("mark_deficient")
    reject = _transition("reject")
    accept = _transition("accept")
    disable_material = _transition("disable_material")
    notify_subscribers = _transition("notify_subscribers")
    counter_notice = _transition("counter_notice")
    restoration_due = _transition("restoration_due")
    restore = _transition("restore")
    await_window = _transition("await_window")
    partly_restored = _transition("partly_restored")
    court_action = _transition("court_action")
    withdraw = _transition("withdraw")
    close = _transition("close")

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(
                fields=["act_by", "received_at"],
                name="notice_queue_idx",
                condition=models.Q(act_by__isnull=False),
            ),
        ]
        permissions = [
            ("triage_notice", "Can triage cases and drive their workflow"),
            ("view_personal_data", "Can see the personal data of a case"),
            ("export_records", "Can export case records"),
            ("record_court_action", "Can record a court action"),
        ]
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

    @staticmethod
    def waiting_for_review(now: datetime) -> models.Q:
        """Cases received or in review for more than REVIEW_ALERT_DAYS: § 512(c)(3)(B)(ii)
        expects a prompt attempt to contact the sender of a notice that is not acted on."""
        return models.Q(
            status__in=[Status.RECEIVED, Status.IN_REVIEW],
            received_at__lt=now - timedelta(days=settings.REVIEW_ALERT_DAYS),
        )

    def waits_for_review(self, now: datetime) -> bool:
        limit = now - timedelta(days=settings.REVIEW_ALERT_DAYS)
        return self.status in (Status.RECEIVED, Status.IN_REVIEW) and self.received_at < limit

    @property
    def public_explanation(self) -> str:
        return PUBLIC_EXPLANATIONS[Status(self.status)]

    def acted_on_count(self, items: list["InfringingItem"]) -> int | None:
        """How many of `items` (this case's) were removed or disabled; None before the
        agent recorded the takedown."""
        if not any(item.action for item in items):
            return None
        return sum(item.action not in ("", ItemAction.NOT_ACTIONED) for item in items)

    def personal_values(self) -> frozenset[str]:
        """The personal data this case holds, as written, for redaction to remove verbatim
        where free text repeats it (no pattern finds a name or a street)."""
        values = [
            self.complainant_name,
            self.street,
            self.city,
            self.region,
            self.postal_code,
            self.phone,
            self.email,
            self.signature_name,
            self.signature_user_agent,
            str(self.signature_ip or ""),
        ]
        streets = [self.street]
        for counter in self.counter_notices.all():
            values += [counter.name, counter.street, counter.phone, counter.email]
            values += [counter.signature_user_agent, str(counter.signature_ip or "")]
            streets.append(counter.street)
        for inbound in self.inbound_messages.all():
            values += inbound.sender_values()
        # What a correction replaced stays in the history: it is personal data too.
        for event in self.events.filter(action="notice.corrected", data__personal=True):
            values += [event.data.get("from", ""), event.data.get("to", "")]
        # An address read from an e-mail is one line ("27 Linden Court, Oakland, CA"):
        # text elsewhere may quote only its first part.
        values += [part.strip() for street in streets for part in street.split(",")]
        return frozenset(value for value in values if value and len(value) >= 4)


def attachment_path(attachment: "Attachment", filename: str) -> str:
    return f"originals/{attachment.notice.reference}/{filename}"


class Attachment(models.Model):
    """An original document: the e-mail, letter or fax a logged notice came as."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


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
    kind = models.CharField(max_length=8, choices=Kind.choices, blank=True)
    normalized = models.CharField(max_length=2048, blank=True)
    # sha256 of `normalized`: an index-friendly key for finding the same location elsewhere.
    location_hash = models.CharField(max_length=64, blank=True)
    host = models.CharField(max_length=255, blank=True, db_index=True)
    description = models.TextField(max_length=1000, blank=True)

    subscriber = models.ForeignKey(
        "Subscriber", null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    subscriber_set_by_hand = models.BooleanField(default=False)
    action = models.CharField(max_length=20, choices=ItemAction.choices, blank=True)
    actioned_at = models.DateTimeField(null=True, blank=True)
    restoration_requested_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        # Equality only: db_index on a CharField would add a second, prefix-search index on
        # PostgreSQL that no query uses and every stored item pays for.
        indexes = [models.Index(fields=["location_hash"], name="item_location_hash_idx")]

    def __str__(self) -> str:
        return self.location

    @property
    def outcome(self) -> str:
        """What was done to this location, in the complainant's words."""
        if self.restored_at:
            return "Restored"
        if self.restoration_requested_at:
            return "Being restored"
        if self.action:
            return self.get_action_display()
        return "Not decided yet"

    @property
    def matchable(self) -> bool:
        """Whether its subscriber may be set now: before it is acted on; or once, when it
        was taken down before anyone knew whose it is (that subscriber is then notified)."""
        if not self.action:
            return True
        taken_down = self.action in ACTED_ON and self.subscriber_id is None
        return taken_down and self.notice.status not in FINAL

    @staticmethod
    def hash_location(normalized: str) -> str:
        return hashlib.sha256(normalized.encode()).hexdigest()


class AppendOnly(models.Model):
    """A record that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name_plural.capitalize()} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name_plural.capitalize()} cannot be deleted.")


class NoticeEvent(AppendOnly):
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
        "notice.start_review": "Review started",
        "notice.mark_deficient": "We asked you for a corrected notice",
        "notice.reject": "Notice rejected",
        "notice.accept": "Notice accepted",
        "notice.disable_material": "We acted on the locations you reported",
        "notice.notify_subscribers": "Our customer was notified",
        "notice.counter_notice": "Counter notice received and forwarded to you",
        "notice.restoration_due": "Restoration window opened",
        "notice.restore": "Material restored",
        "notice.court_action": "Court action recorded; the material stays down",
        "notice.withdraw": "Notice withdrawn",
        "notice.close": "Case closed",
        "letter.sent": "We wrote to you",
    }

    # Letters that go to the complainant; others (to subscribers) are not theirs to see.
    COMPLAINANT_LETTERS = {
        "acknowledgement",
        "deficiency",
        "rejection",
        "material_actioned",
        "counter_notice_copy",
        "court_action_received",
        "restored_complainant",
    }

    # What the desk's history says of each event (see `label` for any other).
    DESK_LABELS = {
        "notice.received": "Notice received",
        "notice.start_review": "Review started",
        "notice.mark_deficient": "Marked deficient",
        "notice.reject": "Rejected",
        "notice.accept": "Accepted",
        "notice.disable_material": "Takedown recorded",
        "notice.notify_subscribers": "Subscribers notified",
        "notice.counter_notice": "Counter notice recorded",
        "notice.restoration_due": "Restoration window opened",
        "notice.restore": "Restoration confirmed",
        "notice.await_window": "Waiting for the next restoration window",
        "notice.partly_restored": "Part of the material restored",
        "notice.court_action": "Court action recorded",
        "notice.withdraw": "Withdrawn",
        "notice.close": "Closed",
        "notice.acknowledgement_withheld": "Acknowledgement not sent",
        "notice.acknowledgement_address": "Acknowledgement address confirmed",
        "notice.anonymized": "Personal data removed (retention)",
        "item.subscriber_set": "Subscriber of an item set by hand",
        "item.subscriber_matched": "Subscriber of an item matched again",
        "notice.unmatched_material": "Material down, subscriber not known yet",
        "notice.corrected": "Case corrected by hand",
        "notice.address_not_split": "Address not split into its parts",
        "letter.sent": "Letter sent",
        "letter.resent": "Letter sent again",
        "document.generated": "Record generated",
        "counternotice.received": "Counter notice received",
        "counternotice.due": "Restoration window opened",
        "counternotice.restored": "Restoration confirmed",
        "counternotice.escalated": "Restoration overdue",
        "counternotice.copy_by_post_needed": "Counter-notice copy to post",
        "courtaction.after_restoration": "Court action reported after restoration",
        "courtaction.received": "Court action received",
        "courtaction.received_before_replacement": (
            "Court action received before the material was replaced"
        ),
        "letter.posted": "Letter posted",
        "mail.court_action": "Court-action e-mail received (urgent)",
        "mail.counter_notice": "Counter notice received by e-mail",
        "mail.retraction": "Retraction received by e-mail",
    }

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["notice", "at"]), models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        """What the desk's history says of this event, in words (not the stored code)."""
        # A code not named there (a newer event) still reads as words, not as a code.
        label = self.DESK_LABELS.get(self.action) or (
            self.action.replace(".", ": ").replace("_", " ").capitalize()
        )
        if self.action.startswith("letter.") and "kind" in self.data:
            label = f"{label}: {letter_kind_label(self.data['kind']).lower()}"
        return label

    @property
    def from_status_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return _status_label(self.to_status)

    @property
    def public_label(self) -> str:
        """What the complainant's status page says of this event; "" if nothing."""
        if self.action == "letter.sent" and self.data.get("kind") not in self.COMPLAINANT_LETTERS:
            return ""
        return self.PUBLIC_LABELS.get(self.action, "")


def _status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


# Each letter the desk writes (a template under templates/emails/), as the desk names it.
LETTER_KINDS = {
    "acknowledgement": "Acknowledgement to the complainant",
    "deficiency": "Deficiency letter to the complainant",
    "rejection": "Rejection letter to the complainant",
    "material_actioned": "Takedown report to the complainant",
    "subscriber_notification": "Notification to the subscriber",
    "counter_notice_receipt": "Counter-notice receipt to the subscriber",
    "counter_notice_copy": "Counter-notice copy to the complainant",
    "court_action_received": "Court-action receipt to the complainant",
    "court_action_subscriber": "Court action, to the subscriber",
    "restoration_request": "Restoration request to operations",
    "restoration_subscriber": "Restoration notice to the subscriber",
    "restoration_cancel": "Restoration cancelled, to operations",
    "restoration_overdue": "Restoration overdue, to operations",
    "restored_complainant": "Restoration notice to the complainant",
    "restored_subscriber": "Restoration confirmed, to the subscriber",
    "network_digest": "Network notices forwarded to the subscriber",
    "hosted_removal": "Removal request for hosted material, to the subscriber",
    "hosted_disable": "Disable a hosted address, to operations",
    "hosted_disabled": "Hosted address disabled, to the subscriber",
    "hosted_counter_copy": "Counter-notice copy to the sender of network notices",
    "hosted_counter_receipt": "Counter-notice receipt to the hosting customer",
    "hosted_restore": "Hosted material may be restored, to the subscriber",
    "hosted_enable": "Enable a hosted address again, to operations",
    "policy_step": "Repeat-infringer policy step, to the subscriber",
    "notice_ack": "Acknowledgement to the sender of network notices",
}


def letter_kind_label(kind: str) -> str:
    return LETTER_KINDS.get(kind) or kind.replace("_", " ").capitalize()
