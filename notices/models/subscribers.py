"""Subscribers, the network resources traced to them, and the § 512(i) decisions on them."""

from django.db import models
from django_countries.fields import CountryField

from .case import AppendOnly, Notice, new_token


class Subscriber(models.Model):
    """A customer of the provider, to whom infringing material can be traced."""

    account_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    notice_email = models.EmailField(max_length=254)
    street = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField(blank=True)
    # The current decision under § 512(i); its history is in SubscriberEvent.
    terminated_at = models.DateTimeField(null=True, blank=True)
    termination_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("terminate_subscriber", "Can terminate and reinstate accounts (§ 512(i))"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"

    def personal_values(self) -> frozenset[str]:
        """The subscriber's contact details, for redaction (see Notice.personal_values)."""
        values = [self.notice_email, self.street, self.city, self.postal_code]
        return frozenset(value for value in values if value and len(value) >= 4)


class NetworkResource(models.Model):
    """A host name, a domain (with its subdomains) or an IP network assigned to a subscriber."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", "Domain and its subdomains"
        HOST = "host", "Single host name"
        NETWORK = "network", "IP network (CIDR)"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=255, help_text="e.g. example.com or 198.51.100.0/24")
    # An IP network as the integer range it covers, so containment is an indexed range query.
    first_address = models.DecimalField(max_digits=39, decimal_places=0, null=True, blank=True)
    last_address = models.DecimalField(max_digits=39, decimal_places=0, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "value"]),
            models.Index(fields=["first_address", "last_address"]),
        ]

    def __str__(self) -> str:
        return self.value


class SubscriberEvent(AppendOnly):
    """A § 512(i) decision on a subscriber's account: who, when, what and why.

    A domain record like NoticeEvent, not a field-history library's copies of the row
    (django-simple-history and the like would also copy the contact details into history
    tables that retention does not cover, and record no reason)."""

    class Action(models.TextChoices):
        TERMINATED = "subscriber.terminated", "Terminated"
        REINSTATED = "subscriber.reinstated", "Reinstated"
        STEP_TAKEN = "policy.step_taken", "Repeat-infringer policy step taken"
        STEP_ACKNOWLEDGED = "policy.step_acknowledged", "Warning acknowledged by the customer"
        STEP_DECIDED = "policy.step_decided", "Review decided by the Designated Agent"
        MITIGATION_ANNOUNCED = "mitigation.announced", "Suspension or termination announced"
        MITIGATION_ACTIVE = "mitigation.active", "Suspension or termination in effect"
        MITIGATION_LIFTED = "mitigation.lifted", "Suspension or termination lifted"
        MITIGATION_APPEALED = "mitigation.appealed", "Appeal by the customer recorded"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.CharField(max_length=100)
    action = models.CharField(max_length=32, choices=Action.choices)
    reason = models.TextField()
    # What the event was about: the policy step or mitigation, its counts (no personal data).
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subscriber", "at"])]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class SubscriberNotification(models.Model):
    """The § 512(g)(2)(A) letter to one subscriber, and their private counter-notice link."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="notifications")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="notifications"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    letter = models.OneToOneField("Letter", on_delete=models.PROTECT)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "subscriber"], name="one_notification_each")
        ]

    def __str__(self) -> str:
        return f"{self.notice} to {self.subscriber}"
