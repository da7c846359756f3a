import email.utils

from django.db import models

from .case import Channel, Notice


class InboundMessage(models.Model):
    """A message that reached the Designated Agent's mailbox, read and routed.

    A takedown becomes a case; a network notice (ACNS, XARF, ...) its events
    (NetworkEvent); a counter notice or retraction is routed to the case its reference or
    locations name, or waits in triage; anything else is kept as "other". A network
    notice filed through the API is kept the same way (channel "api"): its payload as
    received is the original, retained and anonymized like mail.
    """

    class Kind(models.TextChoices):
        TAKEDOWN = "takedown", "Takedown notice"
        NETWORK = "network", "Network notice"
        COUNTER_NOTICE = "counter_notice", "Counter notice"
        RETRACTION = "retraction", "Retraction"
        OTHER = "other", "Other mail"
        # A cover note ("see the attached notice") whose attachments hold no notice the
        # desk could read: it waits for the agent with the reason for each.
        COVER_NOTE = "cover_note", "Cover note: notice in an unreadable attachment"
        UNREADABLE = "unreadable", "Unreadable"

    channel = models.CharField(
        max_length=8,
        choices=[(Channel.EMAIL, Channel.EMAIL.label), (Channel.API, Channel.API.label)],
        default=Channel.EMAIL,
    )
    message_id = models.CharField(max_length=500, unique=True)
    received_at = models.DateTimeField()
    # A date the message gave for its arrival that was not believed (future, or older than
    # the mailbox could hold it), in words for the agent.
    arrival_note = models.CharField(max_length=500, blank=True)
    sender = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reading = models.JSONField(default=dict)
    original = models.FileField(upload_to="mail/")
    sha256 = models.CharField(max_length=64)
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_messages"
    )
    created_case = models.BooleanField(default=False)  # a new case, or routed to one
    # Says a court action was filed about a case whose restoration is pending: record now.
    urgent = models.BooleanField(default=False)
    handled_at = models.DateTimeField(null=True, blank=True)
    # Why the desk could not read it, or could not store what it read (kind "unreadable"),
    # or why no attachment of a cover note could be read as its notice (kind "cover_note").
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject[:60]}"

    def sender_values(self) -> frozenset[str]:
        """The sender's name and address as the From header gives them, for redaction."""
        name, address = email.utils.parseaddr(self.sender)
        return frozenset(value for value in (name, address) if len(value) >= 4)
