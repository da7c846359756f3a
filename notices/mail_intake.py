"""Notices that arrive by e-mail: read each message and route it.

Every message is stored once (keyed by its Message-ID) with its original and what the
reader found. A takedown becomes a case in triage with channel e-mail; a counter notice
or a retraction is attached to the case its reference or locations name, or waits in
triage; other mail is kept as "other". Sources: the IMAP mailbox (a periodic task) and
.eml or mbox files the agent uploads.
"""

import email
import email.policy
import hashlib
import imaplib
import logging
import mailbox
import tempfile
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from . import statutory
from .locations import LocationError, parse_location
from .models import Channel, InboundMessage, InfringingItem, Notice
from .reader import Reading, read_message
from .services import notice_submit, record_event
from .workflow import FINAL

logger = logging.getLogger(__name__)


def intake_raw(raw: bytes, *, received_at: datetime | None = None) -> InboundMessage | None:
    """Read one message and route it; None if this Message-ID was already taken in."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = str(message.get("Message-ID") or "").strip()[:500]
    if not message_id:
        message_id = "<sha256-" + hashlib.sha256(raw).hexdigest() + ">"
    if InboundMessage.objects.filter(message_id=message_id).exists():
        return None
    received_at = received_at or _arrival(message)
    reading = read_message(message)
    try:
        with transaction.atomic():
            return _route(raw, message, message_id, reading, received_at)
    except IntegrityError:
        return None  # another reader took the same message in at the same moment


def _route(raw, message, message_id, reading: Reading, received_at) -> InboundMessage:
    now = timezone.now()
    inbound = InboundMessage(
        message_id=message_id,
        received_at=received_at,
        sender=str(message.get("From") or "")[:300],
        subject=str(message.get("Subject") or "")[:500],
        kind=reading.kind,
        reading=reading.as_json(),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    inbound.original.save("message.eml", ContentFile(raw), save=False)
    if reading.kind == InboundMessage.Kind.TAKEDOWN:
        inbound.notice = notice_submit(
            submission=_submission(reading, message),
            channel=Channel.EMAIL,
            actor="mailbox",
            received_at=received_at,
            original=SimpleUploadedFile("original.eml", raw, "message/rfc822"),
            now=now,
        )
        inbound.created_case = True
    elif reading.kind in (InboundMessage.Kind.COUNTER_NOTICE, InboundMessage.Kind.RETRACTION):
        inbound.notice = _matching_case(reading)
        if inbound.notice:
            record_event(
                inbound.notice,
                "mailbox",
                f"mail.{reading.kind}",
                now,
                note=f"A {inbound.get_kind_display().lower()} arrived by e-mail; record it.",
                data={"subject": inbound.subject[:200]},
            )
    inbound.save()
    return inbound


def _submission(reading: Reading, message) -> statutory.NoticeSubmission:
    contact = reading.contact
    sender = email.utils.parseaddr(str(message.get("From") or ""))
    name = contact.get("name") or sender[0]
    originals = [url for url in reading.urls if url not in reading.infringing]
    works = [statutory.Work(description[:2000]) for description in reading.works]
    if not works and originals:
        works = [statutory.Work(f"The work at {url}"[:2000], url[:2048]) for url in originals[:20]]

    def evidence(element_id: str) -> str:
        finding = reading.elements.get(element_id)
        return finding.evidence if finding and finding.present else ""

    return statutory.NoticeSubmission(
        complainant=statutory.Complainant(
            name=name[:200],
            street=contact.get("address", "")[:300],
            phone=contact.get("phone", "")[:32],
            email=(contact.get("email") or sender[1])[:254],
        ),
        works=works,
        items=[statutory.Item(location[:2048]) for location in reading.infringing],
        good_faith_statement=bool(evidence("good_faith_statement")),
        accuracy_statement=bool(evidence("accuracy_statement")),
        good_faith_text=evidence("good_faith_statement"),
        accuracy_text=evidence("accuracy_statement"),
        signature_name=name[:200] if evidence("signature") else "",
    )


def _matching_case(reading: Reading) -> Notice | None:
    """The open case a counter notice or retraction is about: by reference, else by the
    locations it names."""
    if reading.references:
        notice = Notice.objects.filter(reference__in=reading.references).first()
        if notice:
            return notice
    hashes = []
    for url in reading.urls:
        try:
            hashes.append(InfringingItem.hash_location(parse_location(url).normalized))
        except LocationError:
            continue
    if not hashes:
        return None
    best = (
        InfringingItem.objects.filter(location_hash__in=hashes)
        .exclude(notice__status__in=FINAL)
        .values("notice")
        .annotate(hits=Count("id"))
        .order_by("-hits", "-notice")
        .first()
    )
    return Notice.objects.get(id=best["notice"]) if best else None


def _arrival(message) -> datetime:
    """When the message reached us: the newest Received header, else its Date, else now."""
    for value in [*(message.get_all("Received") or [])[:1], message.get("Date")]:
        when = str(value or "").rpartition(";")[2].strip() or str(value or "")
        try:
            moment = parsedate_to_datetime(when)
        except (TypeError, ValueError, IndexError):
            continue
        if moment and moment.tzinfo:
            return moment
    return timezone.now()


def intake_mbox(data: bytes) -> list[InboundMessage]:
    with tempfile.NamedTemporaryFile(suffix=".mbox") as file:
        file.write(data)
        file.flush()
        box = mailbox.mbox(file.name, create=False)
        taken = [intake_raw(message.as_bytes()) for message in box]
        box.close()
    return [inbound for inbound in taken if inbound]


def mailbox_poll() -> int:
    """Read new mail from the IMAP mailbox; each message is marked seen once taken in."""
    if not settings.IMAP_HOST:
        return 0
    client_class = imaplib.IMAP4_SSL if settings.IMAP_SSL else imaplib.IMAP4
    count = 0
    with client_class(settings.IMAP_HOST, settings.IMAP_PORT) as client:
        client.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
        client.select(settings.IMAP_FOLDER)
        _, found = client.uid("SEARCH", None, "UNSEEN")
        for uid in found[0].split():
            _, parts = client.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
            header, raw = parts[0]
            if intake_raw(raw, received_at=_internal_date(header)):
                count += 1
            # Only now: a crash before this line leaves the message unseen for the next poll.
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return count


def _internal_date(header: bytes) -> datetime | None:
    """The server's INTERNALDATE: when the message reached the mailbox."""
    arrived = imaplib.Internaldate2tuple(header)  # a local-time struct_time
    return datetime.fromtimestamp(time.mktime(arrived), tz=UTC) if arrived else None
