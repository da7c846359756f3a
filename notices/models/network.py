"""Network notices: who held an address when, and the events reported against it.

A network notice (ACNS, XARF, a vendor's report) names an IP address and a moment, not a
URL. The address plan says which subscriber held that address at that moment; each
event reported then joins that subscriber's open network case.
"""

import ipaddress

from django.db import models
from django.db.models import Q

from .case import AppendOnly
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
    # The sender as the registry knows it (filled at intake).
    reporter = models.ForeignKey(
        "NetworkSender",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    # The transit digest that forwarded it to the subscriber: set in the letter's own
    # transaction, so each event is in exactly one letter.
    digest_letter = models.ForeignKey(
        "Letter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="digest_events",
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
    # When retention removed its address, port, files and complainant (records/retention).
    anonymized_at = models.DateTimeField(null=True, blank=True)
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
            # The events retention has still to anonymize, oldest first.
            models.Index(
                fields=["received_at"],
                condition=Q(anonymized_at=None),
                name="network_event_retained_idx",
            ),
            # The events a transit digest still has to forward: a small part of all.
            models.Index(
                fields=["subscriber", "received_at"],
                # Hosting events are never digested (a removal request asks for them):
                # left in, the index would grow with every one of them.
                condition=Q(outcome="case", digest_letter=None, hosted_removal=None),
                name="network_event_undigested_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor_case_id or 'Event'} at {self.occurred_at:%Y-%m-%d %H:%M:%S} UTC"


class NetworkSender(models.Model):
    """Who sends network notices (an anti-piracy vendor, a rights holder's own robot):
    one entry per sender, known by the addresses its notices come from, made when its
    first notice arrives. The agent decides how the desk treats it; each decision is a
    NetworkSenderDecision with its reason. A sender is never ignored wholesale: every
    notice it sends is still taken in and forwarded (at most without its original)."""

    class Reply(models.TextChoices):
        OFF = "off", "No reply"
        ACNS = "acns", "ACNS acknowledgement (XML)"
        TEXT = "text", "Plain-text acknowledgement"

    name = models.CharField(max_length=200)
    api_sender = models.OneToOneField(
        ApiSender, null=True, blank=True, on_delete=models.PROTECT, related_name="network_sender"
    )
    # The formats its notices came in (acns, xarf, ...), as the reader named them.
    formats_seen = models.JSONField(default=list, blank=True)
    # Its notices are forwarded to customers as facts only, without the original mail
    # (e.g. a sender whose notices demand settlements from the customer).
    facts_only = models.BooleanField("facts only", default=False)
    reply = models.CharField(max_length=4, choices=Reply.choices, default=Reply.OFF)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        verbose_name = "network notice sender"

    def __str__(self) -> str:
        return self.name

    # The fields the agent decides on, each change a NetworkSenderDecision.
    DECIDED = ("name", "facts_only", "reply")


class NetworkSenderAddress(models.Model):
    """An address a sender's notices come from: the mail's From address, or `api:<id>`
    for a sender filing through the API (NetworkEvent.sender)."""

    sender = models.ForeignKey(NetworkSender, on_delete=models.PROTECT, related_name="addresses")
    address = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class NetworkSenderDecision(AppendOnly):
    """A decision about a sender: who, when, what changed ({field: [before, after]}) and
    why. Append-only: the registry's history."""

    sender = models.ForeignKey(NetworkSender, on_delete=models.PROTECT, related_name="decisions")
    at = models.DateTimeField()
    actor = models.CharField(max_length=100)
    changes = models.JSONField()
    reason = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["sender", "at"])]

    def __str__(self) -> str:
        return f"{self.sender}: {', '.join(self.changes)} at {self.at:%Y-%m-%d %H:%M}"
