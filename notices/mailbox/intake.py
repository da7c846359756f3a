"""Notices that arrive by e-mail: read each message and route it.

Every message is stored once (keyed by its Message-ID) with its original and what the
reader found. A takedown becomes a case in triage with channel e-mail; a counter notice
or a retraction is attached to the case its reference or locations name, or waits in
triage; a network notice (an address and a moment: ACNS, XARF, a vendor's report) gives
its events to the network cases (notices.network); other mail is kept as "other".
Sources: the IMAP mailbox (imap.py) and .eml or mbox files the agent uploads.
"""

import hashlib
import logging
import mailbox
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from iija_compliance.lib.addresses import split_address
from notices.core import statutory
from notices.core.cases import record_event
from notices.core.intake import attach_original, notice_submit
from notices.core.locations import LocationError, parse_location
from notices.models import Channel, InboundMessage, InfringingItem, Letter, Notice
from notices.models.workflow import FINAL
from notices.network.acks import report_acknowledge
from notices.network.intake import (
    network_events_read,
    network_events_store,
    network_events_trace,
    network_reports_store,
    network_reports_trace,
    summary,
)
from notices.network.reading import NetworkReading, read_network_notice

from .attachments import Attached, attachments
from .court_action import says_action_filed
from .reader import Reading, read_message
from .reader.message import header, message_body, parse_headers, parse_message, sender_address

logger = logging.getLogger(__name__)

# A clock this far ahead of ours is a clock that is off, not a forged date.
CLOCK_SKEW = timedelta(minutes=5)


def intake_raw(raw: bytes, *, received_at: datetime | None = None) -> InboundMessage | None:
    """Take one message in; None if this Message-ID was taken in before.

    Whatever it holds, the message ends stored with its original: as a case, routed, or
    as "unreadable" with the reason. `received_at` is the IMAP server's arrival time; an
    upload has none and its headers are believed only within bounds.

    Only a failure to store anything at all raises (the database or the file store is
    down: the unreadable record, plain text cut to size, fails too). The mailbox then
    leaves the message unseen for the next poll rather than lose it.
    """
    return intake_batch([raw], received_at=received_at)[0].inbound


@dataclass
class Taken:
    """One message of a batch as read, and what became of it: `inbound` None if its
    Message-ID was taken in before; `events` the network events stored with it."""

    raw: bytes
    fields: dict
    message: object = None
    reading: Reading | NetworkReading | None = None
    problem: str = ""
    inbound: InboundMessage | None = None
    events: list | None = None
    # The attachment a cover note's notice was read from.
    attached: Attached | None = None


def intake_batch(raws: list[bytes], *, received_at: datetime | None = None) -> list[Taken]:
    """intake_raw for several messages, in order, each with its own outcome.

    Network notices, the bulk of such mail, are stored together: their earlier reports,
    who held each address, their messages and their events each in one statement for
    the batch, in one transaction. If that fails (another worker took one of them in
    meanwhile, or one of them cannot be stored), they are taken in one by one, each in
    its own transaction, as every other message is: one bad message is kept unreadable
    and the others go on."""
    now = timezone.now()
    batch = [_read(raw, received_at, now) for raw in raws]
    ids = {taken.fields["message_id"] for taken in batch}
    seen = set(
        InboundMessage.objects.filter(message_id__in=ids).values_list("message_id", flat=True)
    )
    network = []
    for taken in batch:
        if taken.fields["message_id"] in seen:
            continue  # taken in before, or earlier in this batch
        seen.add(taken.fields["message_id"])
        if taken.fields.get("kind") == InboundMessage.Kind.NETWORK:
            network.append(taken)
        else:
            _take_in(taken, now)
    _take_in_network(network, now)
    return batch


def _read(raw: bytes, received_at: datetime | None, now: datetime) -> Taken:
    message, unparsed = _parse(raw)
    taken = Taken(raw, _fields(raw, message, received_at, now), message)
    try:
        if unparsed:
            raise unparsed
        # A network notice is read as one; the takedown reader looks for URLs it has none of.
        taken.reading = read_network_notice(message) or read_message(message)
        taken.reading, taken.attached, cover_problem = _notice_in_attachment(message, taken.reading)
    except Exception as error:  # whatever the message does to the parser or the reader
        taken.problem = f"The desk could not read it: {_why(error)}"
        return taken
    taken.fields.update(kind=_kind(taken.reading), reading=taken.reading.as_json())
    if cover_problem:
        taken.fields.update(kind=InboundMessage.Kind.COVER_NOTE, problem=cover_problem[:2000])
    return taken


def _take_in(taken: Taken, now: datetime) -> None:
    """One message in its own transaction; kept unreadable if what was read cannot be
    stored."""
    fields, original = taken.fields, ContentFile(taken.raw, name="message.eml")
    if taken.problem:
        taken.inbound = _keep_unreadable(fields, original, taken.problem)
        return
    try:
        with transaction.atomic():
            inbound = InboundMessage(**fields)
            taken.inbound = _route(inbound, original, taken.raw, taken.message, taken.reading, now)
            if taken.attached and taken.inbound.created_case:
                _attach_notice_document(taken.inbound.notice, taken.attached, now)
    except Exception as error:  # a fault while storing what was read: keep the message
        taken.inbound = None
        if InboundMessage.objects.filter(message_id=fields["message_id"]).exists():
            return  # another reader took the same message in at the same moment
        problem = f"It was read as {taken.reading.kind} but could not be stored so: {_why(error)}"
        taken.inbound = _keep_unreadable(fields, original, problem)


def _take_in_network(batch: list[Taken], now: datetime) -> None:
    """Network notices together (intake_batch), else one by one."""
    reports, readable = [], []
    for taken in batch:
        try:
            reports.append(_network_events(taken))
            readable.append(taken)
        except Exception:
            _take_in(taken, now)  # kept unreadable with the reason
    if not readable:
        return
    try:
        with transaction.atomic():
            network_reports_trace(reports)
            inbounds = []
            for taken, events in zip(readable, reports, strict=True):
                inbound = InboundMessage(**taken.fields)
                inbound.created_case = any(e.outcome == e.Outcome.CASE for e in events)
                inbound.original.save("message.eml", ContentFile(taken.raw), save=False)
                inbounds.append(inbound)
                taken.inbound, taken.events = inbound, events
            InboundMessage.objects.bulk_create(inbounds)
            network_reports_store(reports, inbounds, now=now)
            for inbound, events in zip(inbounds, reports, strict=True):
                report_acknowledge(inbound=inbound, events=events, now=now)
    except Exception as error:
        logger.info("A batch of %d network notices taken in one by one: %s",
                    len(readable), type(error).__name__)  # fmt: skip
        for taken in readable:
            if taken.inbound and taken.inbound.original:
                taken.inbound.original.delete(save=False)
            taken.inbound = taken.events = None
            _take_in(taken, now)


def _network_events(taken: Taken) -> list:
    reading = taken.reading
    return network_events_read(
        reading.events,
        format=reading.format,
        sender=sender_address(taken.message)[1].lower() or taken.fields["sender"],
        received_at=taken.fields["received_at"],
        flags=reading.flags,
    )


def _parse(raw: bytes):
    """The message, or its headers alone and why the whole would not parse (parts nested
    1,500 deep exhaust the parser's recursion)."""
    try:
        return parse_message(raw), None
    except Exception as error:
        return parse_headers(raw), error


def _fields(raw: bytes, message, server_time, now) -> dict:
    message_id = header(message, "Message-ID").strip()[:500]
    received_at, arrival_note = _arrival(message, server_time, now)
    return {
        "message_id": message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()}>",
        "received_at": received_at,
        "arrival_note": arrival_note,
        "sender": header(message, "From")[:300],
        "subject": header(message, "Subject")[:500],
        "sha256": hashlib.sha256(raw).hexdigest(),
    }


def _keep_unreadable(fields: dict, original: ContentFile, problem: str) -> InboundMessage | None:
    logger.warning("Inbound message %s kept unreadable", fields["sha256"][:12])
    inbound = InboundMessage(**{**fields, "kind": InboundMessage.Kind.UNREADABLE})
    inbound.problem = problem[:2000]
    inbound.original.save("message.eml", original, save=False)
    try:
        inbound.save()
    except IntegrityError:
        return None  # another reader took the same message in at the same moment
    return inbound


def _why(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "it is nested deeper than the reader follows (MIME parts or header comments)."
    return f"{type(error).__name__}: {error}"[:1000]


def _notice_in_attachment(message, reading):
    """(the reading, the attachment it came from, why no notice could be read).

    The body of a cover note ("please see the attached notice") is not itself a notice, and
    an empty body says nothing: the notice is in an attachment. The first attachment that
    reads as a notice is read in its place (the message still gives the sender). When none
    does, the message waits in triage as a cover note, with the reason for each attachment:
    never dropped, never made into a case from the cover note's few words."""
    if isinstance(reading, NetworkReading) or reading.kind != "other":
        return reading, None, ""
    empty = not message_body(message)[0].strip()
    if not (reading.cover_note or empty):
        return reading, None, ""
    found = attachments(message)
    if not found:
        if empty:
            return reading, None, ""  # nothing at all to read: other mail
        return reading, None, "It says its notice is attached, but it carries no attachment."
    reasons = []
    for attached in found:
        if attached.problem:
            reasons.append(f"{attached.name}: {attached.problem}.")
            continue
        inner = read_message(message, attached=attached.text)
        if inner.kind != "other":
            own = "is a cover note" if reading.cover_note else "is empty"
            inner.not_read.insert(
                0, f"The notice was read from the attachment {attached.name}: the message {own}."
            )
            return inner, attached, ""
        why = inner.kind_evidence or "it names no material to remove"
        reasons.append(f"{attached.name}: read, but it is no notice ({why[:200]}).")
    return reading, None, " ".join(reasons)


def _attach_notice_document(notice: Notice, attached: Attached, now: datetime) -> None:
    """The attachment the notice was read from, kept with the case beside the message."""
    upload = SimpleUploadedFile(
        attached.name, attached.data, attached.content_type or "application/octet-stream"
    )
    attach_original(notice, upload, now)


def _kind(reading: Reading | NetworkReading) -> str:
    if isinstance(reading, NetworkReading):
        takedown = reading.kind == InboundMessage.Kind.TAKEDOWN
        return InboundMessage.Kind.NETWORK if takedown else InboundMessage.Kind.OTHER
    return reading.kind


def _route(inbound, original, raw, message, reading, now) -> InboundMessage:
    inbound.original.save("message.eml", original, save=False)
    if inbound.kind == InboundMessage.Kind.NETWORK:
        events = network_events_trace(
            reading.events,
            format=reading.format,
            sender=sender_address(message)[1].lower() or inbound.sender,
            received_at=inbound.received_at,
            flags=reading.flags,
        )
        inbound.created_case = any(e.outcome == e.Outcome.CASE for e in events)
        inbound.save()
        network_events_store(events, inbound=inbound, now=now)
        report_acknowledge(inbound=inbound, events=events, now=now)
        return inbound
    if isinstance(reading, NetworkReading):  # a report that is not about copyright
        inbound.save()
        return inbound
    if court_case := _court_action_case(inbound, message, reading):
        return _flag_court_action(inbound, court_case, now)
    if reading.kind == InboundMessage.Kind.TAKEDOWN:
        name, address = sender_address(message)
        address = _writable(address)
        withheld = _acknowledgement_withheld(address, now)
        inbound.notice = notice_submit(
            submission=_submission(reading, name, address),
            channel=Channel.EMAIL,
            actor="mailbox",
            received_at=inbound.received_at,
            original=SimpleUploadedFile("original.eml", raw, "message/rfc822"),
            acknowledge=not withheld,
            now=now,
        )
        if withheld:
            record_event(inbound.notice, "mailbox", "notice.acknowledgement_withheld", now,
                         note=withheld)  # fmt: skip
        if address_unsplit(reading.as_json()):
            record_event(inbound.notice, "mailbox", "notice.address_not_split", now,
                         note=ADDRESS_NOT_SPLIT)  # fmt: skip
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


def _court_action_case(inbound, message, reading: Reading) -> Notice | None:
    """The counter-noticed case a message says a court action was filed about, if any.

    § 512(g)(2)(C) stops a restoration only if the agent receives that notice first, so it
    must not wait among other mail or become a new case. The case is named by its
    reference (whatever kind the reader gave the message), or, for other mail, by its
    locations."""
    if reading.references:
        notice = Notice.objects.filter(reference__in=reading.references).first()
    elif reading.kind == InboundMessage.Kind.OTHER:
        notice = _matching_case(reading)
    else:
        return None
    if notice is None or not notice.counter_notices.filter(state__in=["pending", "due"]).exists():
        return None
    if not says_action_filed(f"{inbound.subject}\n{message_body(message)[0]}"):
        return None
    return notice


def _flag_court_action(inbound, notice: Notice, now: datetime) -> InboundMessage:
    inbound.notice, inbound.urgent = notice, True
    record_event(
        notice,
        "mailbox",
        "mail.court_action",
        now,
        note="Mail says a court action was filed: record it now; it stops a restoration only "
        "if it reached the agent before the material was replaced.",
        data={"subject": inbound.subject[:200], "received_at": inbound.received_at.isoformat()},
    )
    inbound.save()
    return inbound


def _writable(address: str) -> str:
    """The sender's address if a letter can go to it (lower case: one quota per mailbox)."""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address.lower()[:254]


def _acknowledgement_withheld(address: str, now: datetime) -> str:
    """Why a mailed notice gets no acknowledgement, or "" if it gets one. Counted in the
    database: the letters are rows, whatever the cache holds."""
    if not address:
        return (
            "No acknowledgement was sent: the message has no sender address to write back "
            "to. Confirm an address on this page to send it."
        )
    limit = settings.MAIL_ACKNOWLEDGEMENTS_PER_DAY
    sent = Letter.objects.filter(
        to_email=address, kind="acknowledgement", created_at__gte=now - timedelta(days=1)
    ).count()
    if sent < limit:
        return ""
    return (
        f"No acknowledgement was sent: {sent} acknowledgements went to the sender's address "
        f"in the last 24 hours, the most MAIL_ACKNOWLEDGEMENTS_PER_DAY allows ({limit}). "
        "Confirm an address on this page to send it."
    )


def _submission(reading: Reading, name: str, address: str) -> statutory.NoticeSubmission:
    """The notice as read. Letters go to the address it came from; the address its text
    gives stays in the reading, for the agent to confirm."""
    fields = reading_fields(reading.as_json(), name)
    infringing = set(reading.infringing)
    originals = [url for url in reading.urls if url not in infringing]
    works = [statutory.Work(description[:2000]) for description in reading.works]
    if not works and originals:
        works = [statutory.Work(f"The work at {url}"[:2000], url[:2048]) for url in originals[:20]]

    def evidence(element_id: str) -> str:
        finding = reading.elements.get(element_id)
        return finding.evidence if finding and finding.present else ""

    return statutory.NoticeSubmission(
        complainant=statutory.Complainant(
            name=fields["complainant_name"],
            street=fields.get("street", ""),
            city=fields.get("city", ""),
            region=fields.get("region", ""),
            postal_code=fields.get("postal_code", ""),
            country=fields.get("country", ""),
            phone=fields.get("phone", ""),
            email=address,
        ),
        works=works,
        items=[statutory.Item(location[:2048]) for location in reading.infringing],
        good_faith_statement=bool(evidence("good_faith_statement")),
        accuracy_statement=bool(evidence("accuracy_statement")),
        good_faith_text=evidence("good_faith_statement"),
        accuracy_text=evidence("accuracy_statement"),
        signature_name=fields.get("signature_name", ""),
    )


def reading_fields(reading: dict, from_name: str = "") -> dict[str, str]:
    """The case's fields as the reader's findings give them (a stored reading, as JSON):
    the name the text gives, else the typed signature, else the From header's; the
    address split into its parts when it is a US address; the typed signature."""
    contact = reading.get("contact", {})
    signature = reading.get("elements", {}).get("signature", {})
    typed = reading.get("signer", "")
    named = contact.get("name", "")
    name = (named if named != from_name else "") or typed or named or from_name
    fields = {"complainant_name": name[:200], "phone": contact.get("phone", "")[:32]}
    if signature.get("present"):
        fields["signature_name"] = (typed or name)[:200]
    if line := contact.get("address", ""):
        parts = split_address(line)
        fields.update(asdict(parts) if parts else {"street": line[:300]})
    return {key: value for key, value in fields.items() if value}


ADDRESS_NOT_SPLIT = (
    "The message gives its address on one line, and it is not a US address that could be "
    "split into street, city, state and ZIP code: it is kept whole under Street, and City, "
    "Country and the rest are empty. Correct the case to fill them in."
)


def address_unsplit(reading: dict) -> str:
    """The one-line address the text gives, if it could not be split into its parts."""
    line = reading.get("contact", {}).get("address", "")
    return line if line and not split_address(line) else ""


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


def _arrival(message, server_time: datetime | None, now: datetime) -> tuple[datetime, str]:
    """When the message reached the mailbox, and a date not believed, in words.

    The IMAP server's own arrival time is believed unless it lies in the future. An
    upload's newest Received header (else its Date) is the sender's word: believed only
    between MAIL_MAX_AGE_DAYS before the upload and the upload; otherwise the arrival is
    the upload, and the agent sees the date given.
    """
    if server_time is not None:
        claimed, said = (
            server_time,
            f"The mail server's arrival time ({server_time:%d %b %Y %H:%M %Z})",
        )
        earliest = None
    else:
        claimed, said = _header_date(message)
        earliest = now - timedelta(days=settings.MAIL_MAX_AGE_DAYS)
    if claimed is None:
        return now, ""
    if claimed > now + CLOCK_SKEW:
        return now, f"{said} is in the future: not believed; taken as arriving when read."
    if earliest and claimed < earliest:
        return now, (
            f"{said} is more than {settings.MAIL_MAX_AGE_DAYS} days before the upload "
            "(MAIL_MAX_AGE_DAYS): not believed; taken as arriving when uploaded."
        )
    return min(claimed, now), ""


def _header_date(message) -> tuple[datetime | None, str]:
    """The newest Received header's date, else the Date header's, and how it was written."""
    for name in ("Received", "Date"):  # the first Received header is the newest
        value = header(message, name)
        written = value.rpartition(";")[2].strip() or value
        try:
            moment = parsedate_to_datetime(written)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if moment and moment.tzinfo:
            return moment, f"The {name} header's date ({written[:100]})"
    return None, ""


def intake_mbox(data: bytes) -> list[InboundMessage]:
    """Each message of an mbox file, taken in as it was written, in batches."""
    taken = []
    for batch in batches(mbox_messages(data)):
        taken += [one.inbound for one in intake_batch(batch) if one.inbound]
    return taken


# Messages taken in together (intake_batch): enough to share the round trips to the
# database, few enough that a fallback to one by one costs little.
BATCH_SIZE = 200


def batches(raws: Iterable[bytes], size: int = BATCH_SIZE) -> Iterator[list[bytes]]:
    """The messages in lists of `size`, read as they are needed."""
    raws = iter(raws)
    while batch := list(islice(raws, size)):
        yield batch


def mbox_messages(data: bytes) -> Iterator[bytes]:
    """Each message of an mbox file as it was written (never parsed and written out
    again, which the hostile ones would not survive)."""
    with tempfile.NamedTemporaryFile(suffix=".mbox") as file:
        file.write(data)
        file.flush()
        box = mailbox.mbox(file.name, create=False)
        try:
            for key in box.iterkeys():
                yield box.get_bytes(key)
        finally:
            box.close()


def intake_report(raw: bytes, *, received_at: datetime | None = None) -> dict:
    """intake_raw, and what became of the message in one line (intake_reports)."""
    return intake_reports([raw], received_at=received_at)[0]


def intake_reports(raws: list[bytes], *, received_at: datetime | None = None) -> list[dict]:
    """intake_batch, and what became of each message in one line (manage.py intake_mail):
    its kind, the format of a network notice, the case reference and the subscriber it
    reached, and the outcome: case, duplicate, not_ours, too_old, routed, cover_note (its
    notice in an attachment the desk could not read), other or refused (kept unreadable).
    A message taken in before is a duplicate."""
    return [_report_of(taken) for taken in intake_batch(raws, received_at=received_at)]


def _report_of(taken: Taken) -> dict:
    inbound = taken.inbound
    if inbound is None:
        return _report(taken.fields["message_id"], None, None, None, None, "duplicate")
    reading = inbound.reading or {}
    if inbound.kind == InboundMessage.Kind.NETWORK:
        events = taken.events
        if events is None:  # taken in on its own
            events = list(inbound.network_events.select_related("case", "subscriber"))
        outcome = summary(events)
        return _report(inbound.message_id, reading.get("kind"), reading.get("format"), **outcome)
    if inbound.kind == InboundMessage.Kind.UNREADABLE:
        return _report(inbound.message_id, None, None, None, None, "refused")
    outcome = {
        InboundMessage.Kind.TAKEDOWN: "case",
        InboundMessage.Kind.COUNTER_NOTICE: "routed",
        InboundMessage.Kind.RETRACTION: "routed",
        InboundMessage.Kind.COVER_NOTE: "cover_note",
    }.get(inbound.kind, "other")
    notice = inbound.notice
    subscribers = notice.items.exclude(subscriber=None) if notice else InfringingItem.objects.none()
    return _report(
        inbound.message_id,
        reading.get("kind", inbound.kind),
        reading.get("format", "text" if outcome != "other" else None),
        notice.reference if notice else None,
        subscribers.values_list("subscriber__account_id", flat=True).first(),
        outcome,
    )


def _report(message_id, kind, format, reference, subscriber, outcome) -> dict:
    return {
        "message_id": message_id,
        "kind": kind,
        "format": format,
        "reference": reference,
        "subscriber": subscriber,
        "outcome": outcome,
    }
