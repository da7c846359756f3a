"""The repeat-infringer policy's public figures: steps taken by month, counts only."""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from iija_compliance.lib.business_days import AGENT_TIME_ZONE
from iija_compliance.lib.repeat_policy import ACTIONS
from notices.models import Mitigation, PolicyStep


def policy_steps_by_month() -> list[dict]:
    """Newest month first: {month, steps: {action: n}, suspensions, terminations}. The
    suspensions and terminations are those put into effect that month."""
    rows: dict = {}

    def row(month):
        return rows.setdefault(
            month.date(),
            {"steps": dict.fromkeys(ACTIONS, 0), "suspensions": 0, "terminations": 0},
        )

    for found in (
        PolicyStep.objects.annotate(month=TruncMonth("taken_at", tzinfo=AGENT_TIME_ZONE))
        .values("month", "step")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(found["month"])["steps"][found["step"]] = found["n"]
    for found in (
        Mitigation.objects.exclude(activated_at=None)
        .annotate(month=TruncMonth("activated_at", tzinfo=AGENT_TIME_ZONE))
        .values("month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(found["month"])[f"{found['kind']}s"] = found["n"]
    return [{"month": month, **rows[month]} for month in sorted(rows, reverse=True)]
