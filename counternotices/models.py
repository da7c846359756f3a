from django.db import models
from django_countries.fields import CountryField

from notices.models import (
    Attachment,
    Channel,
    HostedRemoval,
    InfringingItem,
    Notice,
    Subscriber,
    SubscriberNotification,
)


class CounterNotice(models.Model):
    """A subscriber's counter notice (§ 512(g)(3)) and its restoration window."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the restoration window"
        DUE = "due", "Restoration due"
        RESTORED = "restored", "Restored"
        CANCELLED = "cancelled", "Stopped by a court action or withdrawal"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="counter_notices")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="counter_notices"
    )
    notification = models.ForeignKey(
        SubscriberNotification, null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField()
    items = models.ManyToManyField(InfringingItem, related_name="counter_notices")
    original = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.PROTECT)

    name = models.CharField(max_length=200, blank=True)
    street = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    signature_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_ip = models.GenericIPAddressField(null=True, blank=True)
    signature_user_agent = models.CharField(max_length=500, blank=True)
    # The exact wording the subscriber agreed to; empty if the statement is absent.
    mistake_statement = models.TextField(blank=True)
    consent_statement = models.TextField(blank=True)

    # § 512(g)(2)(C), computed once at receipt: business days 10 and 14. Restoration opens
    # once day 10 has ended (New York time) and must be done by the end of day 14.
    restore_not_before = models.DateField()
    restore_not_after = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # One counter notice per notification link: a double click cannot file two.
            models.UniqueConstraint(
                fields=["notification"],
                condition=models.Q(notification__isnull=False),
                name="one_counter_notice_per_link",
            )
        ]
        indexes = [
            models.Index(
                fields=["restore_not_before"],
                name="counternotice_pending_idx",
                condition=models.Q(state="pending"),
            ),
            models.Index(
                fields=["restore_not_after"],
                name="counternotice_due_idx",
                condition=models.Q(state="due"),
            ),
        ]

    def __str__(self) -> str:
        return f"Counter notice on {self.notice.reference} from {self.subscriber.account_id}"


class CourtAction(models.Model):
    """Notice that the complaining party filed an action seeking a court order (§ 512(g)(2)(C))."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="court_actions")
    # The counter notice the action answers: only that subscriber's restoration stops.
    counter_notice = models.ForeignKey(
        CounterNotice, null=True, on_delete=models.PROTECT, related_name="court_actions"
    )
    court = models.CharField(max_length=200)
    case_number = models.CharField(max_length=100)
    filed_on = models.DateField()
    complaint = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.PROTECT)
    reported_by = models.CharField(max_length=100)  # "complainant" or a staff username
    received_at = models.DateTimeField()  # by the Designated Agent: it must come "first"
    stopped_restoration = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.court}, {self.case_number}"


class HostedCounterNotice(models.Model):
    """A hosting customer's counter notice (§ 512(g)(3)) against a removal request for
    one of its addresses (notices.HostedRemoval), and its § 512(g)(2)(C) clock: the same
    window as a case's counter notice, business days 10 to 14 after receipt."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the restoration window"
        RESTORED = "restored", "Customer told it may restore"
        STOPPED = "stopped", "Stopped by a court action"

    removal = models.OneToOneField(
        HostedRemoval, on_delete=models.PROTECT, related_name="counter_notice"
    )
    received_at = models.DateTimeField()
    # What the counter notice covers: the address, port and files, as the customer chose.
    material = models.JSONField(default=list)

    name = models.CharField(max_length=200)
    street = models.CharField(max_length=300)
    city = models.CharField(max_length=100)
    region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    phone = models.CharField(max_length=32)
    email = models.EmailField(max_length=254, blank=True)
    signature_name = models.CharField(max_length=200)
    signature_ip = models.GenericIPAddressField(null=True, blank=True)
    signature_user_agent = models.CharField(max_length=500, blank=True)
    mistake_statement = models.TextField()
    consent_statement = models.TextField()

    restore_not_before = models.DateField()
    restore_not_after = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    restored_at = models.DateTimeField(null=True, blank=True)
    # The sender's notice of a filed court action (§ 512(g)(2)(C)), as the agent recorded it.
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.CharField(max_length=150, blank=True)
    stop_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        permissions = [
            ("stop_hostedcounternotice", "Record a court action that stops a restoration"),
        ]
        indexes = [
            models.Index(
                fields=["restore_not_before"],
                name="hostedcounter_pending_idx",
                condition=models.Q(state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"Counter notice on removal request {self.removal_id}"
