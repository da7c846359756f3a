"""The case list as the agent decides by it: each case's age in business days, its next
date and what is due by it, its subscribers and items; the queue ("What needs me
today"); next and previous case in the list the agent came from."""

from copy import copy

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from iija_compliance.lib.business_days import business_days_between, local_date
from notices.core.deadlines import WHAT_BY
from notices.models import InfringingItem

QUEUE = "queue"
QUEUE_TITLE = "What needs me today"
# The queue's order: the nearest date first; a tie goes to the case that waited longest.
QUEUE_ORDERING = ["act_by", "received_at", "pk"]


class QueueFilter(admin.SimpleListFilter):
    """The cases with a date to act by (notices/core/deadlines.py): the queue."""

    title = "what needs me"
    parameter_name = QUEUE

    def lookups(self, request, model_admin):
        return [("all", "Every case with a date, nearest first"), ("due", "Due today or late")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(act_by__lte=local_date(timezone.now()))
        if self.value() == "all":
            return queryset.filter(act_by__isnull=False)
        return queryset


class CaseColumns:
    """The case list's columns beyond the case's own fields. Mixed into the case admin."""

    def get_queryset(self, request):
        # Correlated subqueries, so only the rows on the page are counted, not every case.
        items = InfringingItem.objects.filter(notice=OuterRef("pk")).order_by()
        matched = items.exclude(subscriber=None)
        return (
            super()
            .get_queryset(request)
            .annotate(
                items_total=Subquery(
                    items.values("notice").annotate(total=Count("id")).values("total")
                ),
                first_subscriber=Subquery(
                    matched.order_by("position").values("subscriber__name")[:1]
                ),
                subscribers_total=Subquery(
                    matched.values("notice")
                    .annotate(total=Count("subscriber", distinct=True))
                    .values("total")
                ),
            )
        )

    def changelist_view(self, request, extra_context=None):
        if request.GET.get(QUEUE):
            extra_context = {**(extra_context or {}), "title": QUEUE_TITLE}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Status", ordering="status")
    def status_badge(self, notice):
        return format_html(
            '<span class="desk-status desk-{}">{}</span>',
            notice.status,
            notice.get_status_display(),
        )

    @admin.display(description="Age (business days)")
    def age(self, notice):
        """Business days since receipt, while the case is open."""
        if notice.ended_at:
            return "—"
        received_on, today = local_date(notice.received_at), local_date(timezone.now())
        if (today - received_on).days > 366:
            return "over a year"
        return business_days_between(received_on, today)

    @admin.display(description="Next date", ordering="act_by")
    def next_date(self, notice):
        now = timezone.now()
        waiting = (
            format_html(
                ' <span class="desk-flag desk-review-flag">'
                "In review over {} days: contact the sender</span>",
                settings.REVIEW_ALERT_DAYS,
            )
            if notice.waits_for_review(now)
            else ""
        )
        if not notice.act_by:
            return format_html("—{}", waiting)
        today = local_date(now)
        late = "desk-late" if notice.act_by < today else ""
        due = "desk-due" if notice.act_by == today else ""
        when = "today" if notice.act_by == today else _short_date(notice.act_by, today)
        return format_html(
            '<span class="{}">{} {}</span>{}',
            late or due,
            WHAT_BY.get(notice.status, "Act by"),
            when,
            waiting,
        )

    @admin.display(description="Subscriber")
    def subscriber(self, notice):
        if not notice.first_subscriber:
            return "Not matched"
        others = (notice.subscribers_total or 1) - 1
        return f"{notice.first_subscriber} and {others} more" if others else notice.first_subscriber

    @admin.display(description="Items", ordering="items_total")
    def item_count(self, notice):
        return notice.items_total or 0

    @admin.display(description="Organization", ordering="complainant_organization")
    def organization(self, notice):
        return notice.complainant_organization

    @admin.display(description="Received", ordering="received_at")
    def received(self, notice):
        return _short_date(local_date(notice.received_at), local_date(timezone.now()))

    def neighbours(self, request, notice) -> dict:
        """The cases before and after this one in the list the agent opened it from (its
        filters, search and order come along in `_changelist_filters`)."""
        filters = request.GET.get("_changelist_filters", "")
        listing = copy(request)
        listing.GET = QueryDict(filters)
        try:
            cases = self.get_changelist_instance(listing).get_queryset(listing)
        except IncorrectLookupParameters:
            return {}
        fields = [f for f in cases.query.order_by if isinstance(f, str)]
        if len(fields) != len(cases.query.order_by):
            return {}  # ordered by an expression: no simple notion of "next"
        here = cases.filter(pk=notice.pk).values(*(f.lstrip("-") for f in fields)).first()
        if here is None or None in here.values():
            return {}
        keep = f"?{urlencode({'_changelist_filters': filters})}" if filters else ""
        found = {
            "previous_case": cases.filter(_beyond(fields, here, before=True)).reverse().first(),
            "next_case": cases.filter(_beyond(fields, here, before=False)).first(),
        }
        return {
            name: reverse("admin:notices_notice_change", args=[case.pk]) + keep
            for name, case in found.items()
            if case
        }


def _short_date(day, today) -> str:
    """Nov 25, with the year only when it is not this one."""
    return day.strftime("%b %-d" if day.year == today.year else "%b %-d, %Y")


def _beyond(fields: list[str], here: dict, *, before: bool) -> Q:
    """Rows after (or before) `here` in the order `fields`: the first field that differs
    decides, as in a keyset page."""
    condition = Q(pk__in=[])
    equal = Q()
    for field in fields:
        name = field.lstrip("-")
        descending = field.startswith("-")
        lookup = "lt" if descending != before else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": here[name]})
        equal &= Q(**{name: here[name]})
    return condition
