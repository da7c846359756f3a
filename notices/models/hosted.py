"""Hosted material (§ 512(c)): network notices against an address on our cloud servers.

The customer, not us, controls what its server holds, so the desk asks it to remove the
material by a date and gives it a private link to answer. An unanswered request reaches
the agent, who decides whether to disable the address.
"""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q

from iija_compliance.lib.business_days import start_of_day

from .case import new_token
from .network import AddressAssignment, NetworkCase
from .outbox import Letter
from .subscribers import Subscriber


class HostedRemoval(models.Model):
    """One request to a hosting customer to remove what was reported at one address.

    Events for the same customer and address join the request while it waits for an
    answer; they do not each bring a letter."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the customer's answer"
        REMOVED = "removed", "Removed, the customer says"
        DISPUTED = "disputed", "Disputed with a counter notice"
        NOT_MINE = "not_mine", "Not the customer's, it says"
        OVERDUE = "overdue", "No answer in time: the agent decides"
        DISABLED = "disabled", "Address disabled by the agent"
        KEPT = "kept", "Left enabled by the agent's decision"

    # The customer may still answer these; the page shows the rest as done.
    ANSWERABLE = (State.WAITING, State.OVERDUE)
    # A counter notice may also follow the agent's disabling (§ 512(g)(2)(A)).
    DISPUTABLE = (State.WAITING, State.OVERDUE, State.DISABLED)

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="hosted_removals"
    )
    network_case = models.ForeignKey(
        NetworkCase, on_delete=models.PROTECT, related_name="hosted_removals"
    )
    assignment = models.ForeignKey(
        AddressAssignment, on_delete=models.PROTECT, related_name="hosted_removals"
    )
    ip = models.GenericIPAddressField("IP address")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    requested_at = models.DateTimeField()
    # The last business day (New York) for the customer to remove the material.
    remove_by = models.DateField()
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Why the customer says the material is not its own (its words).
    answer_reason = models.TextField(blank=True)
    # Put on the agent's queue by the sweep, to decide by `act_by`.
    overdue_at = models.DateTimeField(null=True, blank=True)
    act_by = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decision_reason = models.TextField(blank=True)
    # When the disable action ran: a later counter notice asks to enable the address again.
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One waiting request per customer and address: two workers taking in events
            # for the same server at once cannot send two letters.
            models.UniqueConstraint(
                fields=["subscriber", "ip"],
                condition=Q(state="waiting"),
                name="one_waiting_hosted_removal",
            )
        ]
        indexes = [
            models.Index(
                fields=["remove_by"],
                name="hosted_removal_waiting_idx",
                condition=Q(state="waiting"),
            ),
        ]
        permissions = [
            ("decide_hostedremoval", "Decide whether to disable a hosted address"),
        ]

    def __str__(self) -> str:
        # No address: the title shows on the Auditor's pages too.
        return f"Removal request {self.pk} ({self.subscriber.account_id})"

    @property
    def deadline_at(self) -> datetime:
        """The end of `remove_by` in New York: the first moment the request is overdue."""
        return start_of_day(self.remove_by + timedelta(days=1))
