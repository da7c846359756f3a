"""The date by which the desk must next act on a case, kept on the case as `act_by`.

- a new case or one in review: reviewed within the desk's target
  (`DESK_ACT_WITHIN_BUSINESS_DAYS` business days after receipt);
- an accepted case: its material taken down within the same target;
- after a counter notice: the first day of its restoration window, then, once restoration
  is due, its last day (§ 512(g)(2)(C)); counternotices' services give those dates;
- any other case waits for someone else, or is over: no date.
"""

from datetime import date, datetime

from django.conf import settings

from iija_compliance.lib.business_days import add_business_days, local_date
from notices.models import Notice
from notices.models.workflow import Status

WITHIN_TARGET = (Status.RECEIVED, Status.IN_REVIEW, Status.ACCEPTED)
# What the desk must do by the date, in the words of the case list and the queue.
WHAT_BY = {
    Status.RECEIVED: "Review by",
    Status.IN_REVIEW: "Review by",
    Status.ACCEPTED: "Take down by",
    Status.COUNTER_NOTICED: "Restore from",
    Status.RESTORATION_SCHEDULED: "Restore by",
}


def review_target(received_at: datetime) -> date | None:
    """The desk's target for acting on a case received then (none at the calendar's end)."""
    try:
        return add_business_days(local_date(received_at), settings.DESK_ACT_WITHIN_BUSINESS_DAYS)
    except OverflowError:
        return None


def target_date(notice: Notice) -> date | None:
    """The desk's own target for the case's status, or None when it has none."""
    return review_target(notice.received_at) if notice.status in WITHIN_TARGET else None
