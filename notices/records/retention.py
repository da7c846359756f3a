"""Retention: personal data is kept for RETENTION_YEARS after a case ends, then removed.

The case, its figures and its audit trail stay; every copy of the parties' data goes,
wherever the desk keeps one: the case's fields, letters, originals, generated PDFs,
exports, the messages it came by and what the reader found in them. Open cases and cases
with a court action are never touched. A message that reached no case goes
RETENTION_YEARS after it arrived.

Network notices' events (an address, a port, a moment) follow the provider's privacy
policy: personal information is kept for the purpose it was collected for and no longer.
An event on a customer's network case is that account's § 512(i) record (the
repeat-infringer policy counts it, the ledger shows it): its address, port, files and
complainant stay RETENTION_YEARS after it arrived. An event that reached no customer (not
ours: someone else's address; too old; a duplicate) serves only the counts: those go
NETWORK_UNMATCHED_RETENTION_DAYS after it arrived. The event itself stays either way
(its outcome, subscriber, moment, the sender's case id), so figures, the policy's counts
and the ledger do not change. The address is cut to its network (/24, /48) rather than
emptied; the mail it came in and the reply to its sender go once all its events have,
the transit digests that forwarded them with them.

`ANONYMIZED_FIELDS` and `KEPT_FIELDS` together name every field of every model that can
hold personal data (files, free text, addresses, JSON); a test fails when a model gains
one that is in neither.
"""

import hashlib
import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from notices.models import InboundMessage, Letter, NetworkEvent, Notice, NoticeEvent
from notices.models.workflow import FINAL

from .redaction import redact_text

CLEAR = "cleared"
REDACT = "redacted"  # free text: the case's personal values and any address or number
DELETE_FILE = "file deleted"
REPLACE = "replaced by a note of the removal"
HASH = "replaced by its SHA-256"
TRUNCATE_IP = "cut to its network: /24 for IPv4, /48 for IPv6"
HASH_WITH_IP = "replaced by a SHA-256 of itself and the address (still unique)"

# For each model: how to find the case's rows of it, and what anonymizing does to them.
ANONYMIZED = {
    "notices.Notice": (
        lambda notice: [notice],
        {
            **dict.fromkeys(
                ["complainant_name", "street", "city", "region", "postal_code", "phone"], CLEAR
            ),
            **dict.fromkeys(["email", "signature_name", "signature_ip"], CLEAR),
            **dict.fromkeys(["signed_at", "signature_user_agent"], CLEAR),
            # As worded by the sender of an e-mailed notice: may name them.
            "good_faith_statement": REDACT,
            "accuracy_statement": REDACT,
        },
    ),
    "counternotices.CounterNotice": (
        lambda notice: notice.counter_notices.all(),
        {
            **dict.fromkeys(["name", "street", "city", "region", "postal_code", "phone"], CLEAR),
            **dict.fromkeys(["email", "signature_name", "signature_ip"], CLEAR),
            **dict.fromkeys(["signed_at", "signature_user_agent"], CLEAR),
        },
    ),
    "notices.Work": (lambda notice: notice.works.all(), {"description": REDACT}),
    "notices.InfringingItem": (lambda notice: notice.items.all(), {"description": REDACT}),
    # Notes are the agent's words and may quote personal data; data may hold a subject
    # line. The one change to the append-only trail.
    "notices.NoticeEvent": (lambda notice: notice.events.all(), {"note": REDACT, "data": REDACT}),
    "notices.Letter": (
        lambda notice: notice.letters.all(),
        # The mail server's answer names the recipient; a letter not yet written has its
        # case's private link in its context.
        {
            "to_email": CLEAR,
            "body_text": REPLACE,
            "body_html": REPLACE,
            "last_error": CLEAR,
            "context": CLEAR,
        },
    ),
    "notices.Attachment": (
        lambda notice: notice.attachments.all(),
        {"file": DELETE_FILE, "name": REPLACE},
    ),
    "notices.Document": (lambda notice: notice.documents.all(), {"file": DELETE_FILE}),
    "notices.ExportJob": (lambda notice: notice.exports.all(), {"file": DELETE_FILE}),
    "notices.InboundMessage": (
        lambda notice: notice.inbound_messages.all(),
        {
            "sender": CLEAR,
            "subject": CLEAR,
            "reading": CLEAR,  # with the contact details the text gave
            # Words for the agent that may quote the message (a parser's error, a date).
            "problem": CLEAR,
            "arrival_note": CLEAR,
            "original": DELETE_FILE,
            # Its domain may be the sender's own (a surname); hashed, it still tells
            # the message apart.
            "message_id": HASH,
        },
    ),
}
# Network notices' events: found by their age (network_retention_sweep).
NETWORK_EVENT_ANONYMIZED = {
    "ip": TRUNCATE_IP,
    "port": CLEAR,
    "files": CLEAR,  # file names and hashes: what a person shared
    "complainant": CLEAR,
    "flags": CLEAR,  # the reader's doubts, in words that may quote the mail
    # The vendor's case id, or the address, port and moment where it gave none.
    "dedup_key": HASH_WITH_IP,
}
ANONYMIZED_FIELDS = {
    f"{label}.{field}": how
    for label, (_, fields) in ANONYMIZED.items()
    for field, how in fields.items()
} | {f"notices.NetworkEvent.{field}": how for field, how in NETWORK_EVENT_ANONYMIZED.items()}

_KEPT = {
    "identifiers, hashes, secrets and states: about the case, not a person": [
        "notices.Notice.reference",
        "notices.Notice.status_token",
        "notices.NoticeEvent.action",
        "notices.NoticeEvent.from_status",
        "notices.NoticeEvent.to_status",
        "notices.Attachment.content_type",
        "notices.Attachment.sha256",
        "notices.InfringingItem.location_hash",
        "notices.SubscriberNotification.token",
        "notices.Letter.kind",
        "notices.Letter.message_id",  # the desk's own, at the agent's domain
        "notices.Document.sha256",
        "notices.ExportJob.sha256",
        "notices.ExportJob.notice_ids",
        "notices.InboundMessage.sha256",
        "notices.ApiToken.prefix",
        "notices.ApiToken.key_hash",
        "notices.IdempotencyRecord.key",
        "notices.IdempotencyRecord.request_hash",
    ],
    "where the material is and what the work is: the § 512(i) ledger and duplicates": [
        "notices.InfringingItem.location",
        "notices.InfringingItem.normalized",
        "notices.InfringingItem.host",
        "notices.Work.url",
    ],
    "the desk's own words: templates and statutory wording": [
        "notices.Letter.subject",
        "counternotices.CounterNotice.mistake_statement",
        "counternotices.CounterNotice.consent_statement",
        "notices.PersonalDataView.what",
        "notices.ExportJob.error",
    ],
    "staff and system names: who did what": [
        "notices.NoticeEvent.actor",
        "notices.SubscriberEvent.actor",
        "notices.NetworkSenderDecision.actor",
        "notices.Document.created_by",
        "notices.ExportJob.created_by",
        "counternotices.CourtAction.reported_by",
    ],
    "an organization, which the figures count by": ["notices.Notice.complainant_organization"],
    "the provider's customers and API senders: accounts kept while they last, not the case's": [
        "notices.Subscriber.account_id",
        "notices.Subscriber.name",
        "notices.Subscriber.notice_email",
        "notices.Subscriber.street",
        "notices.Subscriber.city",
        "notices.Subscriber.region",
        "notices.Subscriber.postal_code",
        "notices.Subscriber.termination_reason",
        "notices.SubscriberEvent.reason",
        "notices.NetworkResource.value",
        "notices.ApiSender.name",
        "notices.ApiSender.email",
    ],
    "the address plan: whom the provider assigned which block, like the accounts": [
        "notices.AddressAssignment.network",
    ],
    "network notices' events: the sender's own reference and what kind of report it was, "
    "which the § 512(i) ledger and the counts name": [
        "notices.NetworkEvent.sender",  # the sender's address, as its registry entry keeps it
        "notices.NetworkEvent.format",
        "notices.NetworkEvent.vendor_case_id",
        "notices.NetworkEvent.protocol",
    ],
    "the senders of network notices and the agent's decisions on them, like API senders": [
        "notices.NetworkSender.name",
        "notices.NetworkSender.formats_seen",
        "notices.NetworkSenderAddress.address",
        "notices.NetworkSenderDecision.changes",
        "notices.NetworkSenderDecision.reason",
    ],
    "the repeat-infringer policy's record of an account (§ 512(i)): kept like the account": [
        "notices.SubscriberEvent.data",
        "notices.PolicyStep.step",
        "notices.PolicyStep.taken_by",
        "notices.PolicyStep.ack_token",
        "notices.PolicyStep.decided_by",
        "notices.PolicyStep.decision",
        "notices.PolicyStep.decision_reason",
        "notices.Mitigation.target",
        "notices.Mitigation.reason",
        "notices.Mitigation.decided_by",
        "notices.Mitigation.lifted_by",
        "notices.Mitigation.lift_reason",
        "notices.Mitigation.appeal_text",
        "notices.Mitigation.appeal_recorded_by",
    ],
    # Removal requests to hosting customers answer those events: kept like them, and due
    # the same retention period once the events have one.
    "removal requests for hosted material and their counter notices, with the events": [
        "notices.HostedRemoval.ip",
        "notices.HostedRemoval.token",
        "notices.HostedRemoval.answer_reason",
        "notices.HostedRemoval.decided_by",
        "notices.HostedRemoval.decision_reason",
        "counternotices.HostedCounterNotice.material",
        "counternotices.HostedCounterNotice.name",
        "counternotices.HostedCounterNotice.street",
        "counternotices.HostedCounterNotice.city",
        "counternotices.HostedCounterNotice.region",
        "counternotices.HostedCounterNotice.postal_code",
        "counternotices.HostedCounterNotice.phone",
        "counternotices.HostedCounterNotice.email",
        "counternotices.HostedCounterNotice.signature_name",
        "counternotices.HostedCounterNotice.signature_ip",
        "counternotices.HostedCounterNotice.signature_user_agent",
        "counternotices.HostedCounterNotice.mistake_statement",
        "counternotices.HostedCounterNotice.consent_statement",
        "counternotices.HostedCounterNotice.stopped_by",
        "counternotices.HostedCounterNotice.stop_reason",
    ],
    "a public court record; a case with a court action is never anonymized": [
        "counternotices.CourtAction.court",
        "counternotices.CourtAction.case_number",
    ],
    "the API's answer: references, states, status links, errors by element": [
        "notices.IdempotencyRecord.body"
    ],
}
KEPT_FIELDS = {field: why for why, fields in _KEPT.items() for field in fields}


def retention_cutoff(now: datetime) -> datetime:
    years = settings.RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expired_cases(now: datetime):
    # exclude(), not a filter on isnull: a subquery, so the row lock needs no outer join.
    return Notice.objects.filter(
        status__in=FINAL, ended_at__lt=retention_cutoff(now), anonymized_at=None
    ).exclude(court_actions__isnull=False)


def expired_messages(now: datetime):
    """Messages that reached no case, past the period; once anonymized, they have no file."""
    return InboundMessage.objects.filter(
        notice=None, received_at__lt=retention_cutoff(now)
    ).exclude(original="")


def retention_sweep(*, now: datetime | None = None) -> int:
    """Anonymize every case and caseless message past the retention period; return how
    many. Safe to run twice."""
    now = now or timezone.now()
    count = 0
    for notice_id in list(expired_cases(now).values_list("id", flat=True)[:500]):
        count += notice_anonymize(notice_id=notice_id, now=now)
    count += network_retention_sweep(now=now)
    for inbound in expired_messages(now)[:500]:
        _message_anonymize(inbound, now)
        count += 1
    return count


def expired_network_events(now: datetime):
    unmatched_cutoff = now - timedelta(days=settings.NETWORK_UNMATCHED_RETENTION_DAYS)
    return NetworkEvent.objects.filter(anonymized_at=None).filter(
        Q(received_at__lt=retention_cutoff(now))
        | (Q(received_at__lt=unmatched_cutoff) & ~Q(outcome=NetworkEvent.Outcome.CASE))
    )


def network_retention_sweep(*, now: datetime | None = None) -> int:
    """Anonymize network events past their period (see the module's docstring), the
    digests that forwarded them, and the mails all of whose events now are, in one
    transaction; return how many events and mails. Safe to run twice."""
    now = now or timezone.now()
    ids = list(
        expired_network_events(now).order_by("received_at").values_list("id", flat=True)[:500]
    )
    with transaction.atomic():
        events = list(
            NetworkEvent.objects.select_for_update().filter(id__in=ids, anonymized_at=None)
        )
        _anonymize(events, NETWORK_EVENT_ANONYMIZED, frozenset(), now)
        NetworkEvent.objects.filter(id__in=[e.id for e in events]).update(anonymized_at=now)
        digests = Letter.objects.filter(digest_events__in=events).distinct()
        _anonymize(digests, _LETTER_FIELDS, frozenset(), now)
        mails = (
            InboundMessage.objects.filter(id__in={e.inbound_id for e in events}, notice=None)
            .exclude(original="")
            .exclude(network_events__anonymized_at=None)
        )
        for inbound in mails:
            _message_anonymize(inbound, now)
    return len(events) + len(mails)


_LETTER_FIELDS = ANONYMIZED["notices.Letter"][1]


def _message_anonymize(inbound: InboundMessage, now: datetime) -> None:
    """A mail that reached no case, and the replies to it (a network notice's
    acknowledgement quotes the address and moments)."""
    with transaction.atomic():
        _anonymize([inbound], ANONYMIZED["notices.InboundMessage"][1], inbound.sender_values(), now)
        _anonymize(inbound.letters.all(), _LETTER_FIELDS, inbound.sender_values(), now)


def notice_anonymize(*, notice_id: int, now: datetime) -> int:
    with transaction.atomic():
        notice = expired_cases(now).select_for_update().filter(id=notice_id).first()
        if notice is None:
            return 0
        known = notice.personal_values()
        for rows, fields in ANONYMIZED.values():
            _anonymize(rows(notice), fields, known, now)
        Notice.objects.filter(id=notice.id).update(anonymized_at=now)
        NoticeEvent.objects.create(
            notice=notice,
            at=now,
            actor="system",
            action="notice.anonymized",
            data={"retention_years": settings.RETENTION_YEARS},
        )
    return 1


def _anonymize(rows, fields: dict[str, str], known: frozenset[str], now: datetime) -> None:
    removed = f"[Removed under the retention policy on {now:%Y-%m-%d}]"
    for row in rows:
        changes = {}
        for name, how in fields.items():
            value = getattr(row, name)
            if how == DELETE_FILE:
                value.delete(save=False)
                changes[name] = ""
            elif how == CLEAR:
                changes[name] = _empty(row._meta.get_field(name))
            elif how == REDACT:
                changes[name] = _redacted(value, known)
            elif how == REPLACE:
                changes[name] = removed
            elif how == HASH:
                changes[name] = f"<sha256-{hashlib.sha256(value.encode()).hexdigest()}>"
            elif how == HASH_WITH_IP:
                keyed = f"{value}|{row.ip}".encode()
                changes[name] = f"<sha256-{hashlib.sha256(keyed).hexdigest()}>"
            elif how == TRUNCATE_IP:
                changes[name] = _network_of(value)
        # By query: events refuse to be saved twice, and no row needs its save() here.
        type(row).objects.filter(pk=row.pk).update(**changes)


def _network_of(address: str) -> str:
    ip = ipaddress.ip_address(address)
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def _empty(field: models.Field):
    if isinstance(field, models.JSONField):
        return field.get_default()
    return None if field.null else ""


# Event data that names the desk's own records: a letter's Message-ID, a PDF's hash.
_IDENTIFIER_KEYS = {"message_id", "sha256"}


def _redacted(value, known: frozenset[str]):
    """Free text, or every text inside JSON, less the personal values."""
    if isinstance(value, str):
        return redact_text(value, known=known)
    if isinstance(value, list):
        return [_redacted(item, known) for item in value]
    if isinstance(value, dict):
        return {
            key: item if key in _IDENTIFIER_KEYS else _redacted(item, known)
            for key, item in value.items()
        }
    return value
