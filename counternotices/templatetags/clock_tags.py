from django import template
from django.urls import reverse

from counternotices.models import CounterNotice
from notices.templatetags.desk_tags import may_view

register = template.Library()


@register.simple_tag(takes_context=True)
def clock_today(context):
    """Restorations for the desk's front page: (label, count, link, urgent)."""
    if not may_view(context["request"], CounterNotice):
        return []
    counters = reverse("admin:counternotices_counternotice_changelist")
    due = CounterNotice.objects.filter(state=CounterNotice.State.DUE)
    by_post = CounterNotice.objects.filter(
        state__in=[CounterNotice.State.PENDING, CounterNotice.State.DUE], notice__email=""
    )
    return [
        ("Restorations due, to confirm", due.count(), f"{counters}?state__exact=due", False),
        (
            "Counter-notice copies to send by post (complainant has no e-mail)",
            by_post.count(),
            f"{counters}?state__exact=pending",
            True,
        ),
        (
            "Day 14 reached, restoration not confirmed",
            due.exclude(escalated_at=None).count(),
            f"{counters}?state__exact=due",
            True,
        ),
    ]
