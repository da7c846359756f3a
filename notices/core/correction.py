"""The agent's correction of a case that came by e-mail, post or fax, before it is accepted.

Such a case is the desk's transcription of a document (the reader's, or the agent's own),
so the desk may fix the transcription. A web-form or API notice is its sender's own words:
it is corrected only by a revised notice from the sender. The original document is never
touched; each changed field is an audit event with its old and new value.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notices.models import Channel, InfringingItem, Notice, Work
from notices.models.workflow import Status

from . import statutory
from .cases import NoticeError, lock_case, record_event
from .intake import item_rows

CORRECTABLE_CHANNELS = (Channel.EMAIL, Channel.POST, Channel.FAX)
CORRECTABLE_STATUSES = (Status.RECEIVED, Status.IN_REVIEW)

# The case's own fields a correction may change, with the words the history uses.
FIELDS = {
    "complainant_name": "Complainant",
    "complainant_organization": "Organization",
    "acting_as": "Acting as",
    "street": "Street",
    "city": "City",
    "region": "State or region",
    "postal_code": "Postal code",
    "country": "Country",
    "phone": "Telephone",
    "email": "E-mail",
    "signature_name": "Signed by",
    "good_faith_statement": "Good faith statement",
    "accuracy_statement": "Accuracy statement",
}
# Fields that are the complainant's personal data (see Notice.personal_values).
PERSONAL = {
    "complainant_name",
    "street",
    "city",
    "region",
    "postal_code",
    "phone",
    "email",
    "signature_name",
}
CORRECTED = "notice.corrected"


def correction_refusal(notice: Notice) -> str:
    """Why this case cannot be corrected on the desk, or "" if it can."""
    if notice.channel not in CORRECTABLE_CHANNELS:
        return (
            f"{notice.reference} came by the {notice.get_channel_display().lower()}: its "
            "sender's words are final, and only a revised notice from the sender corrects it."
        )
    if notice.status not in CORRECTABLE_STATUSES:
        return (
            f"{notice.reference} is “{notice.get_status_display()}”: only a case not yet "
            "accepted can be corrected."
        )
    return ""


def stored_values(notice: Notice) -> dict[str, str]:
    return {name: str(getattr(notice, name) or "") for name in FIELDS}


def submission_values(submission: statutory.NoticeSubmission) -> dict[str, str]:
    """The submission as the case's own fields hold it."""
    c = submission.complainant
    return {
        "complainant_name": c.name.strip(),
        "complainant_organization": c.organization.strip(),
        "acting_as": c.acting_as,
        "street": c.street.strip(),
        "city": c.city.strip(),
        "region": c.region.strip(),
        "postal_code": c.postal_code.strip(),
        "country": c.country,
        "phone": c.phone.strip(),
        "email": c.email.strip(),
        "signature_name": submission.signature_name.strip(),
        # As intake stores them: the notice's own words, else the statute's.
        "good_faith_statement": (
            submission.good_faith_text.strip() or statutory.GOOD_FAITH_STATEMENT
        )
        if submission.good_faith_statement
        else "",
        "accuracy_statement": (submission.accuracy_text.strip() or statutory.ACCURACY_STATEMENT)
        if submission.accuracy_statement
        else "",
    }


def notice_correct(
    *,
    notice_id: int,
    submission: statutory.NoticeSubmission,
    actor: str,
    now: datetime | None = None,
) -> list[str]:
    """Store the agent's correction of a case; return the names of what changed.

    All or nothing, under the case's lock. Items whose location stays keep their row (and
    a subscriber set by hand); new locations are matched like those of a new notice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notice = lock_case(notice_id)
        if refusal := correction_refusal(notice):
            raise NoticeError(refusal)
        changed = _correct_fields(notice, submission_values(submission), actor, now)
        if _correct_works(notice, submission.works, actor, now):
            changed.append("works")
        if _correct_items(notice, submission.items, actor, now):
            changed.append("items")
    return changed


def _correct_fields(notice: Notice, new: dict[str, str], actor: str, now: datetime) -> list[str]:
    old = stored_values(notice)
    changed = [name for name in FIELDS if old[name] != new[name]]
    for name in changed:
        setattr(notice, name, new[name])
        _record(notice, actor, now, name, old[name], new[name])
    if "signature_name" in changed:
        notice.signed_at = notice.received_at if new["signature_name"] else None
        changed.append("signed_at")
    if changed:
        notice.save(update_fields=changed)
    return changed


def _record(notice: Notice, actor: str, now: datetime, name: str, old, new) -> None:
    def shown(value) -> str:
        text = "; ".join(value) if isinstance(value, list) else value
        return f"“{text[:300]}”" if text else "(empty)"

    record_event(
        notice,
        actor,
        CORRECTED,
        now,
        note=f"{FIELDS.get(name, name.capitalize())}: {shown(old)} → {shown(new)}",
        data={"field": name, "from": old, "to": new, "personal": name in PERSONAL},
    )


def _correct_works(notice: Notice, works: list[statutory.Work], actor: str, now) -> bool:
    old = [(" ".join(w.description.split()), w.url) for w in notice.works.all()]
    new = [(" ".join(w.description.split())[:2000], w.url.strip()[:2048]) for w in works]
    new = [(description, url) for description, url in new if description]
    if old == new:
        return False
    notice.works.all().delete()
    Work.objects.bulk_create(
        Work(notice=notice, position=i, description=description, url=url)
        for i, (description, url) in enumerate(new)
    )
    _record(notice, actor, now, "works", [w[0] for w in old], [w[0] for w in new])
    return True


def _correct_items(notice: Notice, items: list[statutory.Item], actor: str, now) -> bool:
    old = list(notice.items.all())
    wanted = [(item.location.strip()[:2048], " ".join(item.description.split())) for item in items]
    wanted = [(location, description) for location, description in wanted if location]
    if [(i.location, " ".join(i.description.split())) for i in old] == wanted:
        return False
    available: dict[str, list[InfringingItem]] = {}
    for row in old:
        available.setdefault(row.location, []).append(row)
    plan = [available[loc].pop(0) if available.get(loc) else None for loc, _ in wanted]
    fresh = [statutory.Item(*pair) for pair, row in zip(wanted, plan, strict=True) if not row]
    new_rows = iter(item_rows(fresh, strict=False))
    rows = [row or next(new_rows) for row in plan]
    for position, (row, (_, description)) in enumerate(zip(rows, wanted, strict=True)):
        row.notice, row.position, row.description = notice, position, description
    gone = [row.id for left in available.values() for row in left]
    InfringingItem.objects.filter(id__in=gone).delete()
    InfringingItem.objects.bulk_create([row for row in rows if row.pk is None])
    InfringingItem.objects.bulk_update(
        [row for row in rows if row.pk is not None], ["position", "description"]
    )
    _record(notice, actor, now, "items", [i.location for i in old], [loc for loc, _ in wanted])
    return True
