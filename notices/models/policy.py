"""The § 512(i) repeat-infringer policy as it was applied: each step taken against a
subscriber, and each suspension or termination (a mitigation) with its lifecycle."""

from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition

from iija_compliance.lib.repeat_policy import ACTIONS

from .case import new_token
from .subscribers import Subscriber

# A review the agent has not decided yet, as a query (`PolicyStep.waits_for_agent` is the
# same rule for one step).
WAITING_FOR_AGENT = Q(decided_at=None, due_at__isnull=False)


class PolicyStep(models.Model):
    """A step of the policy taken against a subscriber: when its counted notices within
    the window reached the step's count. A step the agent decides (a suspension or
    termination review) waits on the desk until `decided_at`, with its `due_at`.

    `occurrence` numbers the times the same step was taken for the subscriber: two sweeps
    that take the same step at once write the same (subscriber, step, occurrence), and the
    database keeps one."""

    class Decision(models.TextChoices):
        SUSPEND = "suspend", "Suspend"
        TERMINATE = "terminate", "Terminate"
        NO_ACTION = "no_action", "No suspension or termination now"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="policy_steps"
    )
    step = models.CharField(max_length=24, choices=list(ACTIONS.items()))
    occurrence = models.PositiveIntegerField(default=1)
    threshold = models.PositiveIntegerField()  # the step's count in the policy then
    count = models.PositiveIntegerField()  # the subscriber's counted notices then
    taken_at = models.DateTimeField()
    taken_by = models.CharField(max_length=100)
    letter = models.OneToOneField(
        "Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="policy_step"
    )
    network_case = models.ForeignKey(
        "NetworkCase", null=True, blank=True, on_delete=models.PROTECT, related_name="policy_steps"
    )
    # A warning the customer acknowledges on a private link.
    ack_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # A step the agent decides: by when, and what was decided, by whom and why.
    due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=100, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "repeat-infringer policy step"
        ordering = ["taken_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "step", "occurrence"], name="policy_step_once"
            ),
            # A decision is never recorded without its reason.
            models.CheckConstraint(
                condition=Q(decision="") | ~Q(decision_reason=""), name="policy_decision_reason"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="policy_step_waiting_idx",
                condition=Q(decided_at=None, due_at__isnull=False),
            ),
        ]
        permissions = [("decide_policy_step", "Can decide suspension and termination reviews")]

    def __str__(self) -> str:
        return (
            f"{self.get_step_display()} for {self.subscriber.account_id} ({self.taken_at:%Y-%m-%d})"
        )

    @property
    def waits_for_agent(self) -> bool:
        return self.due_at is not None and self.decided_at is None

    def new_ack_token(self) -> None:
        self.ack_token = new_token()


class Mitigation(FSMModelMixin, models.Model):
    """A suspension or termination of a subscriber's service, from the announcement
    (pending, effective after SUSPENSION_NOTICE_HOURS) until it is lifted."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension"
        TERMINATION = "termination", "Termination"

    class Scope(models.TextChoices):
        ADDRESS = "address", "One address"
        SERVER = "server", "One server"
        ACCOUNT = "account", "The whole account"

    class State(models.TextChoices):
        PENDING = "pending", "Announced, not yet in effect"
        ACTIVE = "active", "In effect"
        LIFTED = "lifted", "Lifted"

    class AppealReason(models.TextChoices):
        NOT_OURS = "not_ours", "The address or server was not ours at the time"
        AUTHORIZED = "authorized", "The use was licensed or authorized"
        FAIR_USE = "fair_use", "The use was fair use or otherwise lawful"
        COMPROMISED = "compromised", "Someone else used the account without permission"
        RESOLVED = "resolved", "The cause was found and removed"
        OTHER = "other", "Another reason"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="mitigations")
    step = models.ForeignKey(
        PolicyStep, null=True, blank=True, on_delete=models.PROTECT, related_name="mitigations"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    scope = models.CharField(max_length=8, choices=Scope.choices)
    # The address or server's name when the scope is one of them.
    target = models.CharField(max_length=255, blank=True)
    hosting = models.BooleanField(default=False)
    state = FSMField(max_length=8, choices=State.choices, default=State.PENDING, protected=True)
    decided_at = models.DateTimeField()
    decided_by = models.CharField(max_length=100)
    reason = models.TextField()
    effective_at = models.DateTimeField()
    data_retrieval_until = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(max_length=100, blank=True)
    lift_reason = models.TextField(blank=True)
    appeal_reason = models.CharField(max_length=12, choices=AppealReason.choices, blank=True)
    appeal_text = models.TextField(max_length=5000, blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_recorded_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "suspension or termination"
        verbose_name_plural = "suspensions and terminations"
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="mitigation_reason"),
            models.CheckConstraint(
                condition=Q(scope="account") | ~Q(target=""), name="mitigation_target"
            ),
        ]
        indexes = [
            models.Index(
                fields=["effective_at"], name="mitigation_pending_idx", condition=Q(state="pending")
            )
        ]
        permissions = [
            ("manage_mitigation", "Can activate, lift and record appeals of suspensions")
        ]

    def __str__(self) -> str:
        # No target: an address is personal data, and this name shows in every role's pages.
        scope = self.get_scope_display().lower()
        return f"{self.get_kind_display()} of {scope} ({self.subscriber.account_id})"

    @transition(field=state, source=State.PENDING, target=State.ACTIVE)
    def activate(self):
        pass

    @transition(field=state, source=[State.PENDING, State.ACTIVE], target=State.LIFTED)
    def lift(self):
        pass
