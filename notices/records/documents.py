"""Legal records as PDF: the notice, each counter notice, each letter, the whole case file.

Builders only gather what a record shows, in two versions: internal (complete) and
shareable (personal data removed, see `redaction`). Every generated PDF is stored with
its SHA-256 and logged as an audit event, so a copy handed out can be proven ours.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from iija_compliance.lib.pdf import render_pdf
from notices.core import statutory
from notices.models import Document, Letter, Notice, NoticeEvent

from .redaction import REMOVED, redact_text

INTERNAL, SHAREABLE = Document.Version.INTERNAL, Document.Version.SHAREABLE


def document_generate(
    *,
    notice: Notice,
    kind: str,
    version: str,
    actor: str,
    subject_id: int | None = None,
    now: datetime | None = None,
) -> Document:
    """Render one record, store it with its hash, and log the generation."""
    now = now or timezone.now()
    notice = Notice.objects.get(id=notice.id)  # the record shows the case as it is now
    template, context = BUILDERS[kind](notice, version == SHAREABLE, subject_id)
    context |= _common(notice, version, now, context["title"])
    pdf = render_pdf(template, context)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{notice.reference}-{kind}{f'-{subject_id}' if subject_id else ''}-{version}.pdf"
    with transaction.atomic():
        document = Document(
            notice=notice,
            kind=kind,
            version=version,
            subject_id=subject_id,
            sha256=digest,
            size=len(pdf),
            created_at=now,
            created_by=actor,
        )
        document.file.save(name, ContentFile(pdf), save=False)
        document.save()
        NoticeEvent.objects.create(
            notice=notice,
            at=now,
            actor=actor,
            action="document.generated",
            data={"document": document.id, "kind": kind, "version": version, "sha256": digest},
        )
    return document


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _common(notice: Notice, version: str, now: datetime, title: str) -> dict:
    organization = settings.DESIGNATED_AGENT["organization"]
    generated = timezone.localtime(now).strftime("%b %-d, %Y %H:%M %Z")
    return {
        # The running header and footer of every page (CSS strings in @page margin boxes).
        "page_left": _css_string(f"{organization} · Designated Agent, 17 U.S.C. § 512(c)(2)"),
        "page_right": _css_string(notice.reference),
        "page_footer": _css_string(f"{Document.Version(version).label} · generated {generated}"),
        "agent": settings.DESIGNATED_AGENT,
        "notice": notice,
        "version_label": Document.Version(version).label,
        "shareable": version == SHAREABLE,
        "generated_at": now,
        "pdf_title": f"{title}: {notice.reference}",
        "pdf_author": f"{settings.DESIGNATED_AGENT['organization']}, Designated Agent",
    }


class _Redactor:
    """Free-text redaction for one case: its locations and the works' public addresses
    kept; its known personal values and its link tokens (written bare) cut."""

    def __init__(self, notice: Notice):
        self.keep = frozenset(notice.items.values_list("location", flat=True)) | frozenset(
            notice.works.exclude(url="").values_list("url", flat=True)
        )
        values = [notice.street, notice.phone, notice.email, notice.signature_user_agent]
        values.append(str(notice.signature_ip or ""))
        values.append(notice.status_token)
        values += notice.notifications.values_list("token", flat=True)
        for counter in notice.counter_notices.all():
            values += [counter.street, counter.phone, counter.email, counter.signature_user_agent]
            values.append(str(counter.signature_ip or ""))
        for subscriber in {item.subscriber for item in notice.items.select_related("subscriber")}:
            if subscriber:
                values += [subscriber.street, subscriber.notice_email]
        self.known = frozenset(value for value in values if value)

    def __call__(self, value: str) -> str:
        return redact_text(value, self.keep, self.known)


def _text(value: str, shareable: bool, redact: _Redactor) -> str:
    return redact(value) if shareable else value


def _personal(value, shareable: bool):
    if shareable and value:
        return REMOVED
    return value or "—"


def notice_sections(notice: Notice, shareable: bool) -> dict:
    """What a notice record shows: every field as received, checklist, works, items."""
    redact = _Redactor(notice)
    place = ", ".join(part for part in (notice.city, notice.region, notice.postal_code) if part)
    fields = [
        ("Reference", notice.reference),
        ("Status", notice.get_status_display()),
        ("Channel", notice.get_channel_display()),
        ("Received", timezone.localtime(notice.received_at).strftime("%B %-d, %Y, %-I:%M %p %Z")),
        ("Complainant", notice.complainant_name or "—"),
        ("Organization", notice.complainant_organization or "—"),
        ("Acting as", notice.get_acting_as_display() or "—"),
        ("Street address", _personal(notice.street, shareable)),
        ("City, region, postal code", place or "—"),
        ("Country", notice.country.name if notice.country else "—"),
        ("Telephone", _personal(notice.phone, shareable)),
        ("E-mail", _personal(notice.email, shareable)),
        ("Signature", f"/{notice.signature_name}/" if notice.signature_name else "—"),
        ("Signed at", _personal(_moment(notice.signed_at), shareable)),
        ("Signature IP address", _personal(notice.signature_ip, shareable)),
        ("Signature user agent", _personal(notice.signature_user_agent, shareable)),
        ("Good faith statement (v)", notice.good_faith_statement or "— not made —"),
        ("Accuracy statement (vi)", notice.accuracy_statement or "— not made —"),
    ]
    if notice.rejection_reason:
        fields.append(("Rejection reason", notice.get_rejection_reason_display()))
    checks = statutory.check_notice(statutory.submission_of(notice))
    return {
        "fields": fields,
        "checks": [
            (
                check,
                _text(check.evidence, shareable, redact)
                if check.element.id not in ("contact_information", "signature") or not shareable
                else ("present" if check.satisfied else ""),
            )
            for check in checks
        ],
        "works": [
            (w.description and _text(w.description, shareable, redact), w.url)
            for w in notice.works.all()
        ],
        "items": [
            (item, _text(item.description, shareable, redact))
            for item in notice.items.select_related("subscriber")
        ],
        "attachments": list(notice.attachments.all()),
    }


def counter_notice_sections(counter, shareable: bool) -> dict:
    redact = _Redactor(counter.notice)
    return {
        "counter": counter,
        "fields": [
            ("Subscriber account", counter.subscriber.account_id),
            ("Channel", counter.get_channel_display()),
            ("Received", _moment(counter.received_at)),
            ("Name", counter.name or "—"),
            ("Street address", _personal(counter.street, shareable)),
            (
                "City, region, postal code",
                ", ".join(p for p in (counter.city, counter.region, counter.postal_code) if p)
                or "—",
            ),
            ("Country", counter.country.name if counter.country else "—"),
            ("Telephone", _personal(counter.phone, shareable)),
            ("E-mail", _personal(counter.email, shareable)),
            ("Signature", f"/{counter.signature_name}/" if counter.signature_name else "—"),
            ("Signature IP address", _personal(counter.signature_ip, shareable)),
            ("Signature user agent", _personal(counter.signature_user_agent, shareable)),
            (
                "Statement of mistake (C)",
                _text(counter.mistake_statement, shareable, redact) or "— not made —",
            ),
            ("Consent to jurisdiction (D)", counter.consent_statement or "— not given —"),
            (
                "Restore once this day has ended (day 10)",
                counter.restore_not_before.strftime("%A, %B %-d, %Y"),
            ),
            ("Restore not after (day 14)", counter.restore_not_after.strftime("%A, %B %-d, %Y")),
            ("State", counter.get_state_display()),
        ],
        "items": list(counter.items.all()),
    }


def letter_sections(letter: Letter, shareable: bool) -> dict:
    redact = _Redactor(letter.notice)
    return {
        "letter": letter,
        "fields": [
            ("Letter", letter.get_kind_label()),
            ("To", _personal(letter.to_email, shareable)),
            ("Subject", _text(letter.subject, shareable, redact)),
            ("Message-ID", letter.message_id),
            ("State", letter.get_state_display()),
            ("Sent", _moment(letter.sent_at) or "not sent"),
        ],
        "body": _text(letter.body_text, shareable, redact),
    }


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%B %-d, %Y, %-I:%M:%S %p %Z") if value else ""


def _notice_record(notice: Notice, shareable: bool, subject_id):
    return "pdf/notice_record.html", {
        "title": "Notice record",
        "record": notice_sections(notice, shareable),
    }


def _counter_notice_record(notice: Notice, shareable: bool, subject_id):
    counter = notice.counter_notices.select_related("subscriber", "notice").get(id=subject_id)
    context = {
        "title": "Counter-notice record",
        "section": counter_notice_sections(counter, shareable),
    }
    return "pdf/counter_notice_record.html", context


def _letter_record(notice: Notice, shareable: bool, subject_id):
    letter = notice.letters.get(id=subject_id)
    return "pdf/letter.html", {"title": "Letter", "section": letter_sections(letter, shareable)}


def _case_file(notice: Notice, shareable: bool, subject_id):
    redact = _Redactor(notice)
    related = [notice.revises] if notice.revises else []
    related += list(notice.revisions.all())
    counters = notice.counter_notices.select_related("subscriber", "notice")
    return "pdf/case_file.html", {
        "title": "Case file",
        "record": notice_sections(notice, shareable),
        "parties": _parties(notice),
        "key_dates": _key_dates(notice, counters),
        "events": [
            (event, _text(event.note, shareable, redact))
            for event in notice.events.exclude(action="document.generated")
        ],
        "related": [(other, notice_sections(other, shareable)) for other in related],
        "counters": [counter_notice_sections(c, shareable) for c in counters],
        "court_actions": list(notice.court_actions.select_related("complaint")),
        "letters": [letter_sections(letter, shareable) for letter in notice.letters.all()],
        "attachments": list(notice.attachments.all()),
    }


def _parties(notice: Notice) -> list[tuple[str, str]]:
    parties = [
        ("Complaining party", notice.complainant_organization or notice.complainant_name or "—")
    ]
    subscribers = {
        item.subscriber for item in notice.items.select_related("subscriber") if item.subscriber
    }
    parties += [("Subscriber", f"{s.name} ({s.account_id})") for s in subscribers]
    return parties


def _key_dates(notice: Notice, counters) -> list[tuple[str, str]]:
    dates = [("Received", _moment(notice.received_at))]
    firsts = {
        "notice.accept": "Accepted",
        "notice.disable_material": "Material removed or disabled",
        "notice.notify_subscribers": "Subscriber notified",
        "notice.court_action": "Court action recorded",
        "notice.restore": "Restoration confirmed",
    }
    for event in notice.events.filter(action__in=firsts).order_by("at"):
        dates.append((firsts[event.action], _moment(event.at)))
    for counter in counters:
        dates.append(
            (
                f"Counter notice from {counter.subscriber.account_id}",
                f"received {_moment(counter.received_at)}; restore once "
                f"{counter.restore_not_before:%B %-d, %Y} (day 10) has ended, "
                f"not after {counter.restore_not_after:%B %-d, %Y}",
            )
        )
    if notice.ended_at:
        dates.append(("Ended", _moment(notice.ended_at)))
    return dates


BUILDERS = {
    Document.Kind.NOTICE: _notice_record,
    Document.Kind.COUNTER_NOTICE: _counter_notice_record,
    Document.Kind.LETTER: _letter_record,
    Document.Kind.CASE_FILE: _case_file,
}
