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
    # The complainant's copy of a counter notice to post is a letter to post: the desk's
    # "Letters to post" row counts it, until it is marked posted.
    return [
        ("Restorations due, to confirm", due.count(), f"{counters}?state__exact=due", False),
        (
            "Day 14 reached, restoration not confirmed",
            due.exclude(escalated_at=None).count(),
            f"{counters}?state__exact=due",
            True,
        ),
    ]
