from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Count, Exists, Max, Min
from django.urls import reverse
from django.utils import timezone

from iija_compliance.lib.business_days import local_date
from iija_compliance.lib.designation import Designation
from notices.models import (
    HostedRemoval,
    InboundMessage,
    Letter,
    NetworkCase,
    NetworkEvent,
    Notice,
    PolicyStep,
)
from notices.models.policy import WAITING_FOR_AGENT
from notices.models.workflow import Status

register = template.Library()


def may_view(request, model) -> bool:
    """Whether this user may open the admin's list of `model` (a desk row links there)."""
    return admin.site.get_model_admin(model).has_view_permission(request)


# Each role's desk, by the first of the user's roles in this order.
DESK_HEADINGS = {
    "Designated agent": "Designated Agent's desk",
    "Legal staff": "Legal staff's desk",
    "Auditor": "Auditor's desk: read only, without personal data",
    "Desk administrator": "Desk administrator: staff accounts",
}


@register.simple_tag(takes_context=True)
def desk_heading(context) -> str:
    """The heading of this user's desk: their role's, not another's."""
    user = context["request"].user
    if user.is_superuser:
        return "Administrator's desk"
    roles = {group.name for group in user.groups.all()}
    return next(
        (heading for role, heading in DESK_HEADINGS.items() if role in roles),
        "No role on the desk yet",
    )


def _network_rows(now: datetime) -> list[tuple[str, int, str, bool]]:
    """Network notices' events of the last 24 hours, by outcome: none is dropped unseen."""
    events = reverse("admin:notices_networkevent_changelist")
    counts = dict(
        NetworkEvent.objects.filter(received_at__gte=now - timedelta(days=1))
        .values_list("outcome")
        .annotate(count=Count("id"))
    )
    return [
        (f"Network notices, last 24 hours: {label.split(' (')[0].lower()}",
         counts.get(outcome, 0), f"{events}?outcome__exact={outcome}", False)
        for outcome, label in NetworkEvent.Outcome.choices
    ]  # fmt: skip


def _hosted_rows() -> list[tuple[str, int, str, bool]]:
    """Removal requests for hosted material: the overdue ones wait for the agent."""
    removals = reverse("admin:notices_hostedremoval_changelist")
    counts = dict(
        HostedRemoval.objects.filter(
            state__in=[HostedRemoval.State.OVERDUE, HostedRemoval.State.WAITING]
        )
        .values_list("state")
        .annotate(count=Count("id"))
    )
    return [
        (
            "Hosted removals overdue: disable the address?",
            counts.get(HostedRemoval.State.OVERDUE, 0),
            f"{removals}?state__exact=overdue",
            True,
        ),
        (
            "Hosted removals waiting for the customer",
            counts.get(HostedRemoval.State.WAITING, 0),
            f"{removals}?state__exact=waiting",
            False,
        ),
    ]


@register.simple_tag(takes_context=True)
def desk_today(context):
    """What needs the Designated Agent: (label, count, link, urgent), for the lists this
    user may open; none for a staff user in no role."""
    request = context["request"]
    rows = []
    if may_view(request, Notice):
        cases = reverse("admin:notices_notice_changelist")
        counts = {
            status: Notice.objects.filter(status=status).count()
            for status in (Status.RECEIVED, Status.IN_REVIEW, Status.DEFICIENT, Status.ACCEPTED)
        }
        waiting = Notice.objects.filter(Notice.waiting_for_review(timezone.now())).count()
        due = Notice.objects.filter(act_by__lte=local_date(timezone.now())).count()
        rows += [
            ("Due today or late", due, f"{cases}?queue=due", True),
            ("New cases", counts[Status.RECEIVED], f"{cases}?status__exact=received", False),
            (
                f"Received or in review for more than {settings.REVIEW_ALERT_DAYS} days",
                waiting,
                f"{cases}?status__exact=in_review",
                True,
            ),
            ("In review", counts[Status.IN_REVIEW], f"{cases}?status__exact=in_review", False),
            (
                "Deficient, waiting for the complainant",
                counts[Status.DEFICIENT],
                f"{cases}?status__exact=deficient",
                False,
            ),
            (
                "Accepted, material to disable",
                counts[Status.ACCEPTED],
                f"{cases}?status__exact=accepted",
                True,
            ),
        ]
    if may_view(request, Letter):
        letters = reverse("admin:notices_letter_changelist")
        failed = Letter.objects.filter(state=Letter.State.FAILED).count()
        retrying = Letter.objects.filter(state=Letter.State.QUEUED, attempts__gte=1).count()
        to_post = Letter.objects.filter(state=Letter.State.TO_POST).count()
        rows += [
            ("Letters that failed", failed, f"{letters}?state__exact=failed", True),
            (
                "Letters to post (no e-mail address), counter-notice copies included",
                to_post,
                f"{letters}?state__exact=to_post",
                True,
            ),
            (
                "Letters the mail server has not taken yet, retrying",
                retrying,
                f"{letters}?state__exact=queued&attempts__gte=1",
                True,
            ),
        ]
    if may_view(request, NetworkCase):
        network_cases = reverse("admin:notices_networkcase_changelist")
        open_cases = NetworkCase.objects.filter(closed_at=None).count()
        rows.append(
            ("Open network cases", open_cases, f"{network_cases}?closed_at__isempty=1", False)
        )
    if may_view(request, NetworkEvent):
        rows += _network_rows(timezone.now())
    if may_view(request, HostedRemoval):
        rows += _hosted_rows()
    if may_view(request, PolicyStep):
        steps = reverse("admin:notices_policystep_changelist")
        waiting = PolicyStep.objects.filter(WAITING_FOR_AGENT)
        rows += [
            (
                "Repeat-infringer steps waiting for the agent (suspension, termination)",
                waiting.count(),
                f"{steps}?waiting=yes",
                True,
            ),
            (
                "Repeat-infringer steps waiting past their deadline",
                waiting.filter(due_at__lt=timezone.now()).count(),
                f"{steps}?waiting=yes",
                True,
            ),
        ]
    if may_view(request, InboundMessage):
        mail = reverse("admin:notices_inboundmessage_changelist")
        waiting_mail = InboundMessage.objects.filter(
            kind__in=["counter_notice", "retraction"], handled_at=None
        ).count()
        unreadable = InboundMessage.objects.filter(kind="unreadable", handled_at=None).count()
        cover_notes = InboundMessage.objects.filter(kind="cover_note", handled_at=None).count()
        court_mail = InboundMessage.objects.filter(urgent=True, handled_at=None).count()
        rows += [
            (
                "Mail saying a court action was filed: record it now, before any restoration",
                court_mail,
                f"{mail}?urgent__exact=1&handled_at__isnull=True",
                True,
            ),
            (
                "Counter notices and retractions by mail, to record",
                waiting_mail,
                f"{mail}?kind__exact=counter_notice",
                True,
            ),
            (
                "Messages the desk could not read",
                unreadable,
                f"{mail}?kind__exact=unreadable&handled_at__isnull=True",
                True,
            ),
            (
                "Cover notes whose notice is in an attachment the desk could not read",
                cover_notes,
                f"{mail}?kind__exact=cover_note&handled_at__isnull=True",
                True,
            ),
        ]
    return rows


@register.simple_tag
def agent_designation() -> Designation:
    return Designation(
        settings.AGENT_DESIGNATION_NUMBER, settings.AGENT_DESIGNATION_DATE, timezone.localdate()
    )


@register.filter
def readable(text, reader):
    """Free text as this user may read it, through the page's `Readable` (desk/admin/common.py)."""
    return reader(text or "")


@register.inclusion_tag("admin/date_hierarchy.html")
def desk_date_hierarchy(cl):
    """Django's date drill-down of the case list, finding the years, months or days that
    hold cases by probing each on the date index. Django truncates the date of every
    case and keeps the distinct ones: 450 ms at a million cases."""
    return date_hierarchy(_ProbingChangeList(cl)) or {}


class _ProbingChangeList:
    """The change list as Django's date_hierarchy sees it, with a probing queryset."""

    def __init__(self, cl):
        self._cl = cl
        self.queryset = _ProbingQuerySet(cl.queryset)

    def __getattr__(self, name):
        return getattr(self._cl, name)


class _ProbingQuerySet:
    """What date_hierarchy calls on the queryset: aggregate(), then datetimes()."""

    def __init__(self, queryset):
        self._queryset = queryset
        self._bounds = None

    def aggregate(self, **aggregates):
        # Django asks for the first and last dates; datetimes() needs them again.
        self._bounds = self._queryset.aggregate(**aggregates)
        return self._bounds

    def datetimes(self, field, kind):
        bounds = self._bounds or self._queryset.aggregate(first=Min(field), last=Max(field))
        if bounds["first"] is None:
            return []
        return periods_with_rows(self._queryset, field, kind, bounds["first"], bounds["last"])


# One query probes at most this many periods. Dates far apart (a case dated 1900, another
# 9999) skip from period to period instead: one index probe per period that has cases.
MAX_PROBES = 120


def periods_with_rows(queryset, field, kind, first, last) -> list[datetime]:
    """The starts of the periods (years, months or days, local time) from `first` to
    `last` in which `queryset` has rows: one query, an EXISTS per period, each an index
    range probe that stops at the first row."""
    starts = _period_starts(timezone.localtime(first), timezone.localtime(last), kind)
    if len(starts) > MAX_PROBES:
        return _periods_skipping(queryset, field, kind, first)
    ends = starts[1:] + [_next_start(starts[-1], kind)]
    probes = {
        f"p{i}": Exists(queryset.filter(**_within(field, start, end)))
        for i, (start, end) in enumerate(zip(starts, ends, strict=True))
    }
    # Any one row carries the probes; the table is not empty, or there were no bounds.
    found = queryset.model._base_manager.order_by().values(**probes)[0]
    return [start for i, start in enumerate(starts) if found[f"p{i}"]]


def _periods_skipping(queryset, field, kind, first) -> list[datetime]:
    found = []
    moment = first
    while moment is not None:
        start = _period_starts(timezone.localtime(moment), timezone.localtime(moment), kind)[0]
        found.append(start)
        end = _next_start(start, kind)
        if end is None:
            break
        later = queryset.filter(**{f"{field}__gte": end}).order_by()
        moment = later.aggregate(first=Min(field))["first"]
    return found


def _within(field: str, start: datetime, end: datetime | None) -> dict:
    return {f"{field}__gte": start, **({f"{field}__lt": end} if end else {})}


def _period_starts(first: datetime, last: datetime, kind: str) -> list[datetime]:
    zone = timezone.get_current_timezone()
    start = {
        "year": datetime(first.year, 1, 1, tzinfo=zone),
        "month": datetime(first.year, first.month, 1, tzinfo=zone),
        "day": datetime(first.year, first.month, first.day, tzinfo=zone),
    }[kind]
    starts = []
    while start is not None and start <= last:
        starts.append(start)
        start = _next_start(start, kind)
    return starts


def _next_start(start: datetime, kind: str) -> datetime | None:
    """The start of the next period; None after the last the calendar has (9999)."""
    try:
        if kind == "year":
            return start.replace(year=start.year + 1)
        if kind == "month":
            return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        # Wall-clock arithmetic on a date, so a DST change does not shift midnight.
        day = start.date() + timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return datetime(day.year, day.month, day.day, tzinfo=start.tzinfo)
