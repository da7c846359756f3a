"""The states of a case. Pure: no ORM, so the table can be tested on its own."""

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
    RESTORATION_SCHEDULED = "restoration_scheduled", "Restoration scheduled"
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
    Status.RESTORATION_SCHEDULED: "The material is scheduled to be restored.",
    Status.RESTORED: "The material has been restored after a counter notice.",
    Status.COURT_ACTION_FILED: "A court action has been reported; the material stays down.",
    Status.WITHDRAWN: "You withdrew this notice.",
    Status.CLOSED: "This case is closed.",
}
