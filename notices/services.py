"""Services: the only code that writes a case. Interfaces call these and nothing else."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import statutory
from .letters import letter_create
from .locations import parse_location
from .models import Channel, InfringingItem, Notice, NoticeEvent, ReferenceSequence, Work
from .workflow import Status

# Web and API submissions are checked before they are stored; logged paper notices are
# stored as received and their checklist shows what is missing.
CHECKED_CHANNELS = {Channel.WEB, Channel.API}


class NoticeError(Exception):
    def __init__(self, message: str, checks: list[statutory.ElementCheck] | None = None):
        super().__init__(message)
        self.checks = checks or []


@dataclass
class Signing:
    """Who signed, from where: recorded with an electronic signature."""

    ip: str | None = None
    user_agent: str = ""


def notice_submit(
    *,
    submission: statutory.NoticeSubmission,
    channel: str,
    actor: str,
    signing: Signing | None = None,
    now: datetime | None = None,
) -> Notice:
    """Store a takedown notice (§ 512(c)(3)(A)) with all its rows, and acknowledge it.

    All or nothing: the notice, its works and items, the audit event and the
    acknowledgement letter are written in one transaction.
    """
    now = now or timezone.now()
    missing = statutory.deficiencies(submission)
    if channel in CHECKED_CHANNELS and missing:
        raise NoticeError("The notice is missing required elements.", missing)
    signing = signing or Signing()
    c = submission.complainant
    with transaction.atomic():
        notice = Notice.objects.create(
            reference=ReferenceSequence.next_reference(timezone.localtime(now).year),
            channel=channel,
            received_at=now,
            complainant_name=c.name.strip(),
            complainant_organization=c.organization.strip(),
            acting_as=c.acting_as,
            street=c.street.strip(),
            city=c.city.strip(),
            region=c.region.strip(),
            postal_code=c.postal_code.strip(),
            country=c.country,
            phone=c.phone,
            email=c.email.strip(),
            signature_name=submission.signature_name.strip(),
            signed_at=now if submission.signature_name.strip() else None,
            signature_ip=signing.ip,
            signature_user_agent=signing.user_agent[:500],
            good_faith_statement=(
                statutory.GOOD_FAITH_STATEMENT if submission.good_faith_statement else ""
            ),
            accuracy_statement=(
                statutory.ACCURACY_STATEMENT if submission.accuracy_statement else ""
            ),
        )
        Work.objects.bulk_create(
            Work(notice=notice, position=i, description=w.description.strip(), url=w.url)
            for i, w in enumerate(submission.works)
            if w.description.strip()
        )
        InfringingItem.objects.bulk_create(_items(notice, submission.items))
        NoticeEvent.objects.create(
            notice=notice,
            at=now,
            actor=actor,
            action="notice.received",
            to_status=Status.RECEIVED,
            data={
                "channel": channel,
                "works": len(submission.works),
                "items": len(submission.items),
            },
        )
        if notice.email:
            letter_create(
                notice=notice,
                kind="acknowledgement",
                to_email=notice.email,
                context={"status_url": status_url(notice)},
                now=now,
            )
    return notice


def _items(notice: Notice, items: list[statutory.Item]) -> list[InfringingItem]:
    rows = []
    for position, item in enumerate(items):
        location = parse_location(item.location)
        rows.append(
            InfringingItem(
                notice=notice,
                position=position,
                location=item.location.strip(),
                kind=location.kind,
                normalized=location.normalized,
                host=location.host,
                description=item.description.strip(),
            )
        )
    return rows


def status_url(notice: Notice) -> str:
    return settings.SITE_URL + reverse("notices:status", args=[notice.status_token])
