"""Replies to the senders of network notices: one acknowledgement per report, saying what
became of each notice it held, in the sender's format (an ACNS `<NoticeAck>` with the
letter, or the letter alone).

A reply never names the customer who held the address: it says whether the notice was
taken (and will reach the customer) or why not. The outcomes map onto the ACNS reject
reasons: `not_ours` is IP_OUT_OF_RANGE, `duplicate` is MULTIPLE (the sender's case id was
received before), `too_old` is OTHER; a notice taken whose letter disagreed with its XML
is accepted with TEXT_XML_MISMATCH (the XML was believed), so the sender can fix the text.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from lxml import etree

from notices.models import InboundMessage, Letter, NetworkEvent, NetworkSender
from notices.outbox.letters import letter_create

Outcome = NetworkEvent.Outcome

ACNS_NAMESPACE = "http://www.acns.net/ACNS"
REJECT_REASONS = {
    Outcome.NOT_OURS: "IP_OUT_OF_RANGE",
    Outcome.DUPLICATE: "MULTIPLE",
    Outcome.TOO_OLD: "OTHER",
}
TEXT_XML_MISMATCH = "TEXT_XML_MISMATCH"


@dataclass
class NoticeOutcome:
    """What became of one notice (one case id of the sender) in a report."""

    case_id: str
    outcome: str
    moments: list[datetime] = field(default_factory=list)
    mismatch: bool = False

    @property
    def accepted(self) -> bool:
        return self.outcome == Outcome.CASE

    @property
    def reasons(self) -> list[str]:
        if not self.accepted:
            return [REJECT_REASONS[self.outcome]]
        return [TEXT_XML_MISMATCH] if self.mismatch else []

    @property
    def explanation(self) -> str:
        """The outcome in words, for the sender."""
        if self.outcome == Outcome.CASE:
            words = (
                "The address was assigned to a customer of ours at that moment; the notice "
                "is on that customer's record and will be passed on to them."
            )
            if self.mismatch:
                words += (
                    " The text of your letter did not match its ACNS XML; we relied on the XML."
                )
            return words
        if self.outcome == Outcome.DUPLICATE:
            return "We received a notice with this case id from you before; it counts once."
        if self.outcome == Outcome.NOT_OURS:
            return (
                "The address was not assigned to any customer of ours at that moment, so "
                "there is no one to pass it on to."
            )
        return (
            f"The event is more than {settings.NETWORK_NOTICE_MAX_AGE_DAYS} days older than "
            "the notice's arrival; it is kept on record but not passed on."
        )


def report_outcomes(events: list[NetworkEvent]) -> list[NoticeOutcome]:
    """One outcome per notice: the sender's case id (or, without one, each event's own
    key); a notice some of whose moments were taken counts as taken."""
    rank = list(Outcome)
    notices: dict[str, NoticeOutcome] = {}
    for event in events:
        key = event.vendor_case_id or event.dedup_key
        found = notices.setdefault(key, NoticeOutcome(event.vendor_case_id, event.outcome))
        if rank.index(event.outcome) < rank.index(found.outcome):
            found.outcome = event.outcome
        found.moments.append(event.occurred_at)
        found.mismatch |= "text_xml_mismatch" in event.flags
    return list(notices.values())


def notice_ack_xml(notice: NoticeOutcome, *, now: datetime, message_id: str = "") -> str:
    """The ACNS `<NoticeAck>` for one notice; one without the sender's case id is named
    by the Message-ID of the mail it came in."""
    ack = etree.Element(
        f"{{{ACNS_NAMESPACE}}}NoticeAck",
        nsmap={None: ACNS_NAMESPACE},
        TimeStamp=_utc(now),
    )
    etree.SubElement(ack, f"{{{ACNS_NAMESPACE}}}NoticeID").text = notice.case_id or message_id
    status = "Accepted" if notice.accepted else "Rejected"
    etree.SubElement(ack, f"{{{ACNS_NAMESPACE}}}Status").text = status
    for reason in notice.reasons:
        etree.SubElement(ack, f"{{{ACNS_NAMESPACE}}}Reason").text = reason
    etree.SubElement(ack, f"{{{ACNS_NAMESPACE}}}Notes").text = notice.explanation
    body = etree.tostring(ack, encoding="unicode", pretty_print=True)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ack_context(
    events: list[NetworkEvent], *, reply: str, inbound: InboundMessage, now: datetime
) -> dict:
    """What the `notice_ack` letter says: JSON, as a letter's context is stored."""
    notices = report_outcomes(events)
    return {
        "format": reply,
        "received_at": inbound.received_at.isoformat(),
        "notices": [
            {
                "case_id": notice.case_id,
                "accepted": notice.accepted,
                "reasons": notice.reasons,
                "explanation": notice.explanation,
                "moments": [
                    f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
                    for moment in sorted(set(notice.moments))
                ],
                "xml": (
                    notice_ack_xml(notice, now=now, message_id=inbound.message_id)
                    if reply == NetworkSender.Reply.ACNS
                    else ""
                ),
            }
            for notice in notices
        ],
    }


def report_acknowledge(
    *, inbound: InboundMessage, events: list[NetworkEvent], now: datetime
) -> Letter | None:
    """The acknowledgement of a mailed report, in the format its sender asked for: stored
    in the caller's transaction, the one that stores the report's events, so it is queued
    once they are and never lost; at most one per message (a unique constraint on the
    letter's message). None when the sender asked for none (the default) or the mail
    gave no address to write back to.

    A report filed through the API gets none: the API's answer gives each outcome."""
    reporter = events[0].reporter if events else None
    to_email = _writable(events[0].sender) if events else ""
    if reporter is None or reporter.reply == NetworkSender.Reply.OFF or not to_email:
        return None
    reply = reporter.reply
    return letter_create(
        kind="notice_ack",
        to_email=to_email,
        context=ack_context(events, reply=reply, inbound=inbound, now=now),
        now=now,
        inbound=inbound,
    )


def _writable(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address[:254]
