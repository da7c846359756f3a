"""A subscriber's § 512(i) ledger as a PDF record, for counsel: the notices counted in
the window, the policy's steps, the agent's decisions, suspensions and terminations.

Made like the case records (documents.py): internal (complete) or shareable (the
subscriber's contact details, reasons' personal data, addresses and private links
removed), stored with its SHA-256, the generation kept in the account's history."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from iija_compliance.lib.pdf import render_pdf
from notices.core.policy import ledger_notices, window_start
from notices.models import Document, Mitigation, Subscriber, SubscriberEvent

from .documents import SHAREABLE, _css_string, _moment, _personal
from .redaction import REMOVED, redact_text


def ledger_generate(
    *, subscriber: Subscriber, version: str, actor: str, now: datetime | None = None
) -> Document:
    now = now or timezone.now()
    shareable = version == SHAREABLE
    pdf = render_pdf("pdf/ledger.html", ledger_context(subscriber, shareable, version, now))
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        document = Document(
            subscriber=subscriber,
            kind=Document.Kind.LEDGER,
            version=version,
            sha256=digest,
            size=len(pdf),
            created_at=now,
            created_by=actor,
        )
        name = f"ledger-{subscriber.account_id}-{now:%Y%m%d-%H%M%S}-{version}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        document.save()
    return document


def ledger_context(subscriber: Subscriber, shareable: bool, version: str, now) -> dict:
    known = subscriber.personal_values()

    def text(value: str) -> str:
        return redact_text(value, known=known) if shareable else value

    organization = settings.DESIGNATED_AGENT["organization"]
    generated = timezone.localtime(now).strftime("%b %-d, %Y %H:%M %Z")
    label = Document.Version(version).label
    place = ", ".join(p for p in (subscriber.city, subscriber.region, subscriber.postal_code) if p)
    steps = subscriber.policy_steps.select_related("letter").order_by("taken_at", "id")
    mitigations = subscriber.mitigations.order_by("decided_at", "id")
    history = subscriber.events.all()
    return {
        "page_left": _css_string(f"{organization} · Designated Agent, 17 U.S.C. § 512(c)(2)"),
        "page_right": _css_string(f"Ledger {subscriber.account_id}"),
        "page_footer": _css_string(f"{label} · generated {generated}"),
        "agent": settings.DESIGNATED_AGENT,
        "version_label": label,
        "shareable": shareable,
        "generated_at": now,
        "pdf_title": f"Repeat-infringer ledger: {subscriber.account_id}",
        "pdf_author": f"{organization}, Designated Agent",
        "subscriber": subscriber,
        "fields": [
            ("Account", subscriber.account_id),
            ("Name", subscriber.name),
            ("Notices sent to", _personal(subscriber.notice_email, shareable)),
            ("Street address", _personal(subscriber.street, shareable)),
            ("City, region, postal code", place or "—"),
            ("Account state", "Terminated" if subscriber.terminated_at else "Active"),
        ],
        "policy": settings.REPEAT_POLICY,
        "window_days": settings.REPEAT_WINDOW_DAYS,
        "window_from": _moment(window_start(now)),
        "notices": ledger_notices(subscriber, now),
        "steps": [
            {
                "step": step,
                "letter": step.letter,
                "decision_reason": text(step.decision_reason),
            }
            for step in steps
        ],
        "mitigations": [
            {
                "mitigation": m,
                "target": REMOVED if shareable and m.target else m.target,
                "reason": text(m.reason),
                "lift_reason": text(m.lift_reason),
                "appeal_text": text(m.appeal_text),
            }
            for m in mitigations
        ],
        "history": [(event, text(event.reason)) for event in history],
        "states": Mitigation.State,
        "actions": SubscriberEvent.Action,
    }
