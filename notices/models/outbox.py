from django.db import models

from .case import Attachment, Notice, letter_kind_label


class Letter(models.Model):
    """An outgoing letter: stored before it is sent, so a lost task never loses it.

    A letter belongs to a notice's case, or, for the letters of network notices and of
    the repeat-infringer policy, to a subscriber (and the network case it speaks of)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # The addressee gave no e-mail address: the agent prints the letter and posts it.
        TO_POST = "to_post", "To post"
        POSTED = "posted", "Posted"

    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    subscriber = models.ForeignKey(
        "Subscriber", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    network_case = models.ForeignKey(
        "NetworkCase", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    # The message a letter answers: a network notice's acknowledgement to its sender.
    inbound = models.ForeignKey(
        "InboundMessage", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(max_length=40)  # the template name, e.g. "acknowledgement"
    to_email = models.EmailField(max_length=254, blank=True)  # "" for a letter to post
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    # What the letter's template needs besides its case, for a letter written when it is
    # sent (its subject and bodies are empty until then, and this is emptied then).
    context = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Documents that go with the letter: attached to its e-mail, printed with its copy
    # to post (the original of a counter notice, § 512(g)(2)(B) "a copy").
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="letters")
    # Mails attached as they arrived (.eml): the original network notices a transit
    # digest forwards.
    originals = models.ManyToManyField("InboundMessage", blank=True, related_name="forwarded_in")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A report is acknowledged once, whichever worker took it in.
            models.UniqueConstraint(
                fields=["inbound"],
                condition=models.Q(kind="notice_ack"),
                name="one_notice_ack_per_message",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="letter_due_idx",
                condition=models.Q(state__in=["queued", "sending"]),
            ),
            # Acknowledgements to one address in a day: the mailbox's limit counts these.
            models.Index(fields=["to_email", "created_at"], name="letter_to_email_idx"),
            # A subscriber's last transit digest: the next waits NETWORK_DIGEST_HOURS.
            models.Index(
                fields=["subscriber", "created_at"],
                name="letter_digest_idx",
                condition=models.Q(kind="network_digest"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_label()} to {self.to_email or 'post'}"

    @property
    def concerns(self):
        """What the letter is about, as the desk names it: the case, or the subscriber."""
        return self.notice or self.network_case or self.subscriber or self.inbound

    def get_kind_label(self) -> str:
        return letter_kind_label(self.kind)
