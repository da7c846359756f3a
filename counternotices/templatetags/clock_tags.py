from django import template
from django.urls import reverse

from counternotices.models import CounterNotice

register = template.Library()


@register.simple_tag
def clock_today():
    """Restorations for the desk's front page: (label, count, link, urgent)."""
    counters = reverse("admin:counternotices_counternotice_changelist")
    due = CounterNotice.objects.filter(state=CounterNotice.State.DUE)
    return [
        ("Restorations due, to confirm", due.count(), f"{counters}?state__exact=due", False),
        (
            "Day 14 reached, restoration not confirmed",
            due.exclude(escalated_at=None).count(),
            f"{counters}?state__exact=due",
            True,
        ),
    ]
