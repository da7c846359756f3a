"""The public transparency report: monthly and yearly figures, no personal data.

Everything is counted in the database (grouped by month in New York time) and the
result cached, so the page stays fast with a million cases. The cache is keyed on the
newest audit event, network event and letter: every change the figures count (a notice
received, rejected, acted on, a counter notice, a network notice received or forwarded
in a letter...) writes one, so the page shows it on the next request. Counts of
what happened (deficiency letters, counter notices, restorations, court actions) come from
the audit trail, which survives the retention sweep.
"""

import statistics
from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Max
from django.db.models.functions import TruncMonth, TruncYear

from iija_compliance.lib.business_days import AGENT_TIME_ZONE
from notices.core.subscribers import ACTED_ON
from notices.models import Channel, InfringingItem, Letter, NetworkEvent, Notice, NoticeEvent
from notices.models.workflow import ItemAction, RejectionReason

CACHE_KEY = "transparency:v3"
# A backstop only: a transaction that commits an older event after the figures were
# counted is seen within this time.
CACHE_SECONDS = 600
EVENT_COUNTS = {
    "deficient": ["notice.mark_deficient"],
    "counter_notices": ["notice.counter_notice", "counternotice.received"],
    "restorations": ["counternotice.restored"],
    "court_actions": ["notice.court_action", "courtaction.after_restoration"],
}
COLUMNS = (
    ["month", "notices"]
    + [f"notices_{c.value}" for c in Channel]
    + ["items", "rejected"]
    + [f"rejected_{r.value}" for r in RejectionReason]
    + ["deficient", "items_actioned"]
    + [f"items_{a.value}" for a in ItemAction if a in ACTED_ON]
    + ["counter_notices", "restorations", "court_actions"]
    + [f"network_{column}" for column in ("received", "forwarded", "not_ours", "duplicates")]
    + ["median_days_to_action"]
)
# Network notices (an address and a moment) counted by outcome, as events: one notice
# may report several moments.
NETWORK_OUTCOMES = {
    NetworkEvent.Outcome.NOT_OURS: "network_not_ours",
    NetworkEvent.Outcome.DUPLICATE: "network_duplicates",
}


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5), which takes intervals as well as numbers."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def report() -> dict:
    latest = [
        model.objects.aggregate(latest=Max("id"))["latest"]
        for model in (NoticeEvent, NetworkEvent, Letter)
    ]
    cached = cache.get(CACHE_KEY)
    if cached and cached["latest_event"] == latest:
        return cached["figures"]
    figures = _compute()
    cache.set(CACHE_KEY, {"latest_event": latest, "figures": figures}, CACHE_SECONDS)
    return figures


def _empty_row() -> dict:
    # No takedown in the period: no median (0 would say "acted on at once").
    return dict.fromkeys(COLUMNS[1:], 0) | {"median_days_to_action": None}


def _month(field: str):
    return TruncMonth(field, tzinfo=AGENT_TIME_ZONE)


def _compute() -> dict:
    rows: dict[date, dict] = defaultdict(_empty_row)
    for row in (
        Notice.objects.annotate(month=_month("received_at"))
        .values("month", "channel")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["month"].date()]["notices"] += row["n"]
        rows[row["month"].date()][f"notices_{row['channel']}"] = row["n"]
    for row in (
        InfringingItem.objects.annotate(month=_month("notice__received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["month"].date()]["items"] = row["n"]
    for row in (
        NoticeEvent.objects.filter(action="notice.reject")
        .annotate(month=_month("at"))
        .values("month", "data__reason")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["month"].date()]["rejected"] += row["n"]
        rows[row["month"].date()][f"rejected_{row['data__reason']}"] = row["n"]
    for row in (
        InfringingItem.objects.filter(action__in=ACTED_ON)
        .annotate(month=_month("actioned_at"))
        .values("month", "action")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["month"].date()]["items_actioned"] += row["n"]
        rows[row["month"].date()][f"items_{row['action']}"] = row["n"]
    for column, actions in EVENT_COUNTS.items():
        for row in (
            NoticeEvent.objects.filter(action__in=actions)
            .annotate(month=_month("at"))
            .values("month")
            .annotate(n=Count("id"))
            .order_by()
        ):
            rows[row["month"].date()][column] = row["n"]
    _count_network_notices(rows)
    for month, days in _median_days_to_action(TruncMonth).items():
        rows[month]["median_days_to_action"] = days
    months = [{"month": month, **rows[month]} for month in sorted(rows)]
    return {"months": months, "years": _years(months)}


def _count_network_notices(rows: dict[date, dict]) -> None:
    """Received by the month they arrived; forwarded by the month of the letter that
    forwarded them to the customer."""
    for row in (
        NetworkEvent.objects.annotate(month=_month("received_at"))
        .values("month", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["month"].date()]["network_received"] += row["n"]
        if column := NETWORK_OUTCOMES.get(row["outcome"]):
            rows[row["month"].date()][column] = row["n"]
    for row in (
        NetworkEvent.objects.exclude(digest_letter=None)
        .annotate(month=_month("digest_letter__created_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["month"].date()]["network_forwarded"] = row["n"]


def _median_days_to_action(trunc) -> dict[date, float]:
    """Median time from receipt to the takedown, in days, by month or year (TruncMonth or
    TruncYear, in New York time) of the takedown."""
    actions = NoticeEvent.objects.filter(action="notice.disable_material").annotate(
        period=trunc("at", tzinfo=AGENT_TIME_ZONE), delay=F("at") - F("notice__received_at")
    )
    if connection.vendor == "postgresql":
        medians = actions.values("period").annotate(m=Median("delay")).order_by()
        result = {row["period"].date(): row["m"].total_seconds() / 86400 for row in medians}
    else:  # the embedded SQLite setup: few rows, so the median is taken here
        grouped = defaultdict(list)
        for row in actions.values("period", "delay"):
            grouped[row["period"].date()].append(row["delay"].total_seconds() / 86400)
        result = {period: statistics.median(days) for period, days in grouped.items()}
    return {period: round(days, 2) for period, days in result.items()}


def _years(months: list[dict]) -> list[dict]:
    """Yearly totals; the yearly median is the median of the year's individual delays,
    taken in the database like the monthly ones (a median of medians would be wrong)."""
    years: dict[int, dict] = {}
    for row in months:
        year = years.setdefault(row["month"].year, _empty_row())
        for column in COLUMNS[1:-1]:
            year[column] += row[column]
    for period, days in _median_days_to_action(TruncYear).items():
        if period.year in years:
            years[period.year]["median_days_to_action"] = days
    return [{"year": year, **years[year]} for year in sorted(years)]


def chart(months: list[dict], column: str, count: int = 24) -> dict:
    """Bars for an SVG chart of one column over the last `count` months."""
    recent = months[-count:]
    peak = max((row[column] for row in recent), default=0) or 1
    bars = []
    for index, row in enumerate(recent):
        height = round(160 * row[column] / peak)
        bars.append(
            {
                "x": 40 + index * 28,
                "y": 180 - height,
                "height": height,
                "value": row[column],
                # "Nov 2026", not "Nov 26", which reads as the 26th of November.
                "label": row["month"].strftime("%b %Y"),
                # Every third month, counted back from the latest, which is always named.
                "show_label": (len(recent) - 1 - index) % 3 == 0,
            }
        )
    # A fixed width: a chart of two months must not blow its bars up to fill the page.
    return {"bars": bars, "peak": peak, "width": 40 + 28 * count + 24}
