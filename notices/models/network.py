"""Network notices: who held an address when, and the events reported against it.

A network notice (ACNS, XARF, a vendor's report) names an IP address and a moment, not a
URL. The address plan says which subscriber held that address at that moment; each
event reported then joins that subscriber's open network case.
"""

import ipaddress

from django.db import models
from django.db.models import Q

from .mail import InboundMessage
from .senders import ApiSender
from .subscribers import Subscriber


def address_number(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> int:
    """IPv4 and IPv6 on one number line that keeps them apart."""
    return int(address) + (2**128 if address.version == 6 else 0)


class AddressAssignment(models.Model):
    """An address block held by a subscriber from `valid_from` until `valid_until`
    (excluded; none = still held).

    On PostgreSQL an exclusion constraint (migration 0008) keeps one block from being held
    twice at once, and its GiST index over (network::inet, tstzrange(valid_from,
    valid_until)) answers "who held this address at this moment" in one index scan. The
    address as two numbers serves the same question on SQLite.
    """

    class Service(models.TextChoices):
        TRANSIT = "transit", "Transit (the customer's network behind ours)"
        HOSTING = "hosting", "Hosting (our cloud servers)"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="assignments")
    network = models.CharField(max_length=43, help_text="e.g. 198.51.100.0/24 or 2001:db8::/48")
    first_address = models.DecimalField(max_digits=39, decimal_places=0)
    last_address = models.DecimalField(max_digits=39, decimal_places=0)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    service = models.CharField(max_length=8, choices=Service.choices)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["network", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["network", "valid_from"], name="assignment_once"),
        ]
        indexes = [
            models.Index(fields=["first_address", "last_address"], name="assignment_range_idx")
        ]

    def __str__(self) -> str:
        until = f"{self.valid_until:%Y-%m-%d %H:%M}" if self.valid_until else "now"
        return f"{self.network} from {self.valid_from:%Y-%m-%d %H:%M} until {until} (UTC)"

    def set_network(self, network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> None:
        self.network = str(network)
        self.first_address = address_number(network.network_address)
        self.last_address = address_number(network.broadcast_address)


class NetworkCase(models.Model):
    """The network notices against one subscriber: one open case each at a time, which
    every new event joins (its letters and the graduated response build on it)."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="network_cases"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber"], condition=Q(closed_at=None), name="one_open_network_case"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"NET-{self.opened_at:%Y}-{self.pk:06d}"


class NetworkEvent(models.Model):
    """One reported event (an address, a port, a moment) and what became of it. Every
    event is kept, whatever its outcome; only `case` events join a case."""

    class Outcome(models.TextChoices):
        CASE = "case", "On the subscriber's network case"
        DUPLICATE = "duplicate", "Duplicate (same sender, same vendor case id)"
        NOT_OURS = "not_ours", "Not ours (no subscriber held the address then)"
        TOO_OLD = "too_old", "Too old (NETWORK_NOTICE_MAX_AGE_DAYS)"

    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    case = models.ForeignKey(
        NetworkCase, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.PROTECT, related_name="network_events"
    )
    assignment = models.ForeignKey(
        AddressAssignment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # Who reported it: the mail's From address, or the API sender.
    sender = models.CharField(max_length=300)
    inbound = models.ForeignKey(
        InboundMessage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_events",
    )
    api_sender = models.ForeignKey(
        ApiSender, null=True, blank=True, on_delete=models.PROTECT, related_name="network_events"
    )
    format = models.CharField(max_length=16)  # acns, xarf, vendor_xml, iodef, text
    vendor_case_id = models.CharField(max_length=200, blank=True)
    # The vendor's case id, or the address, port and moment where it gives none.
    dedup_key = models.CharField(max_length=255)
    complainant = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField("IP address")
    port = models.PositiveIntegerField(null=True, blank=True)
    protocol = models.CharField(max_length=32, blank=True)
    occurred_at = models.DateTimeField()
    files = models.JSONField(default=list, blank=True)
    # What the reader found doubtful (a text/XML mismatch, a guessed time), in words.
    flags = models.JSONField(default=list, blank=True)
    # For an address on our cloud servers: the request to remove what it reported.
    hosted_removal = models.ForeignKey(
        "HostedRemoval", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # One report may name several moments under one case id; the same moment
            # twice is the same report taken in twice (two workers at once).
            models.UniqueConstraint(
                fields=["sender", "dedup_key", "ip", "occurred_at"],
                condition=~Q(outcome="duplicate"),
                name="network_event_once",
            )
        ]
        indexes = [
            models.Index(fields=["outcome", "received_at"], name="network_event_outcome_idx"),
            models.Index(fields=["case", "occurred_at"], name="network_event_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor_case_id or 'Event'} at {self.occurred_at:%Y-%m-%d %H:%M:%S} UTC"
