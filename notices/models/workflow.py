"""The states of a case. Pure: no ORM, so the table can be tested on its own."""

from typing import NamedTuple

from django.db import models


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "In review"
    DEFICIENT = "deficient", "Waiting for a corrected notice"
    REJECTED = "rejected", "Rejected"
    ACCEPTED = "accepted", "Accepted"
    MATERIAL_DISABLED = "material_disabled", "Material removed or disabled"
    SUBSCRIBER_NOTIFIED = "subscriber_notified", "Subscriber notified"
    COUNTER_NOTICED = "counter_noticed", "Counter notice received"
    RESTORATION_SCHEDULED = "restoration_scheduled", "Restoration due"
    RESTORED = "restored", "Material restored"
    COURT_ACTION_FILED = "court_action_filed", "Court action filed"
    WITHDRAWN = "withdrawn", "Withdrawn by the complainant"
    CLOSED = "closed", "Closed"


# What the complainant reads on the status page for each state.
PUBLIC_EXPLANATIONS = {
    Status.RECEIVED: "The Designated Agent has received your notice and will review it.",
    Status.IN_REVIEW: "The Designated Agent is reviewing your notice.",
    Status.DEFICIENT: (
        "Your notice is missing required information. We have written to you about what "
        "is missing; you can send a corrected notice."
    ),
    Status.REJECTED: "Your notice was not accepted. We have written to you with the reason.",
    Status.ACCEPTED: "Your notice was accepted and is being acted on.",
    Status.MATERIAL_DISABLED: "The material has been removed or access to it disabled.",
    Status.SUBSCRIBER_NOTIFIED: "The material was acted on and the subscriber has been told.",
    Status.COUNTER_NOTICED: "The subscriber has sent a counter notice.",
    Status.RESTORATION_SCHEDULED: (
        "The restoration window has opened: the material is being restored, because no "
        "court action was reported."
    ),
    Status.RESTORED: "The material has been restored after a counter notice.",
    Status.COURT_ACTION_FILED: "A court action has been reported; the material stays down.",
    Status.WITHDRAWN: "You withdrew this notice.",
    Status.CLOSED: "This case is closed.",
}


class Transition(NamedTuple):
    sources: tuple[Status, ...]
    target: Status
    label: str  # the button the Designated Agent presses


OPEN = (Status.RECEIVED, Status.IN_REVIEW, Status.DEFICIENT)
FINAL = (Status.REJECTED, Status.RESTORED, Status.WITHDRAWN, Status.CLOSED)

# Every allowed move of a case, in one place. The model's transition methods are built
# from this table; services call them; nothing else changes a case's status.
TRANSITIONS: dict[str, Transition] = {
    "start_review": Transition((Status.RECEIVED,), Status.IN_REVIEW, "Start review"),
    "mark_deficient": Transition(
        (Status.RECEIVED, Status.IN_REVIEW), Status.DEFICIENT, "Send deficiency letter"
    ),
    "reject": Transition(OPEN, Status.REJECTED, "Reject"),
    "accept": Transition((Status.RECEIVED, Status.IN_REVIEW), Status.ACCEPTED, "Accept"),
    "disable_material": Transition((Status.ACCEPTED,), Status.MATERIAL_DISABLED, "Record takedown"),
    "notify_subscribers": Transition(
        (Status.MATERIAL_DISABLED,), Status.SUBSCRIBER_NOTIFIED, "Notify subscribers"
    ),
    # § 512(g): a counter notice starts the clock; the sweep opens restoration on day 10.
    # A counter notice may come after the agent closed the case: it reopens it.
    "counter_notice": Transition(
        (Status.SUBSCRIBER_NOTIFIED, Status.COUNTER_NOTICED, Status.CLOSED),
        Status.COUNTER_NOTICED,
        "Record counter notice",
    ),
    "restoration_due": Transition(
        (Status.COUNTER_NOTICED,), Status.RESTORATION_SCHEDULED, "Open restoration"
    ),
    "restore": Transition((Status.RESTORATION_SCHEDULED,), Status.RESTORED, "Confirm restoration"),
    # One subscriber's material is back, another's window is still running, or another's
    # material is still down with no counter notice: the case goes back to that state.
    "await_window": Transition(
        (Status.RESTORATION_SCHEDULED,), Status.COUNTER_NOTICED, "Wait for the next window"
    ),
    "partly_restored": Transition(
        (Status.RESTORATION_SCHEDULED,), Status.SUBSCRIBER_NOTIFIED, "Part restored"
    ),
    "court_action": Transition(
        (Status.COUNTER_NOTICED, Status.RESTORATION_SCHEDULED),
        Status.COURT_ACTION_FILED,
        "Record court action",
    ),
    # A withdrawal after takedown restores the material at once.
    "withdraw": Transition(
        OPEN
        + (
            Status.ACCEPTED,
            Status.MATERIAL_DISABLED,
            Status.SUBSCRIBER_NOTIFIED,
            Status.COUNTER_NOTICED,
            Status.RESTORATION_SCHEDULED,
        ),
        Status.WITHDRAWN,
        "Withdraw",
    ),
    "close": Transition(
        (Status.DEFICIENT, Status.SUBSCRIBER_NOTIFIED, Status.RESTORED, Status.COURT_ACTION_FILED),
        Status.CLOSED,
        "Close",
    ),
}


def allowed(name: str, status: str) -> bool:
    return status in TRANSITIONS[name].sources


def refusal(name: str, status: str) -> str:
    """Why a transition is not allowed now, in words the agent can act on."""
    transition = TRANSITIONS[name]
    sources = " or ".join(f"“{source.label}”" for source in transition.sources)
    return (
        f"“{transition.label}” is possible only when the case is {sources}; "
        f"this case is “{Status(status).label}”."
    )


class RejectionReason(models.TextChoices):
    NOT_ON_NETWORK = "not_on_network", "The material is not on our network"
    NOT_COPYRIGHT = "not_copyright", "Not a copyright claim"
    NOT_COMPLIANT = "not_compliant", "Does not substantially comply with § 512(c)(3)(A)"
    DUPLICATE = "duplicate", "Duplicate of an earlier notice"
    ABUSIVE = "abusive", "Abusive or misrepresented"


class ItemAction(models.TextChoices):
    REMOVED = "removed", "Material removed"
    ACCESS_DISABLED = "access_disabled", "Access disabled"
    ACCOUNT_TERMINATED = "account_terminated", "Account terminated"
    NOT_ACTIONED = "not_actioned", "Not acted on"


# What counts as material taken down (the § 512(i) ledger counts these).
ACTED_ON = (ItemAction.REMOVED, ItemAction.ACCESS_DISABLED, ItemAction.ACCOUNT_TERMINATED)
