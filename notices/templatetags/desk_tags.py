from django import template
from django.urls import reverse

from notices.models import InboundMessage, Letter, Notice
from notices.workflow import Status

register = template.Library()


@register.simple_tag
def desk_today():
    """What needs the Designated Agent: (label, count, link, urgent)."""
    cases = reverse("admin:notices_notice_changelist")
    letters = reverse("admin:notices_letter_changelist")
    counts = {
        status: Notice.objects.filter(status=status).count()
        for status in (Status.RECEIVED, Status.IN_REVIEW, Status.DEFICIENT, Status.ACCEPTED)
    }
    failed = Letter.objects.filter(state=Letter.State.FAILED).count()
    retrying = Letter.objects.filter(state=Letter.State.QUEUED, attempts__gte=1).count()
    mail = reverse("admin:notices_inboundmessage_changelist")
    waiting_mail = InboundMessage.objects.filter(
        kind__in=["counter_notice", "retraction"], handled_at=None
    ).count()
    return [
        ("New cases", counts[Status.RECEIVED], f"{cases}?status__exact=received", False),
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
        ("Letters that failed", failed, f"{letters}?state__exact=failed", True),
        (
            "Letters the mail server has not taken yet, retrying",
            retrying,
            f"{letters}?state__exact=queued&attempts__gte=1",
            True,
        ),
        (
            "Counter notices and retractions by mail, to record",
            waiting_mail,
            f"{mail}?kind__exact=counter_notice",
            True,
        ),
    ]
