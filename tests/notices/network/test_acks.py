"""The acknowledgement to the sender of a network report: one answer per notice, in the
sender's format; the ACNS NoticeAck checked against the ACNS 1.2 structure."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from iija_compliance.lib import emails
from notices.models import InboundMessage, NetworkEvent
from notices.network.acks import ack_context, notice_ack_xml, report_outcomes

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("acns_noticeack.xsd"))))
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
MOMENT = datetime(2026, 3, 2, 10, 15, 30, tzinfo=UTC)


def event(outcome, case_id="NW-1001", moment=MOMENT, flags=()):
    return NetworkEvent(
        outcome=outcome,
        vendor_case_id=case_id,
        dedup_key=case_id or f"192.0.2.10||{moment.isoformat()}",
        ip="192.0.2.10",
        occurred_at=moment,
        flags=list(flags),
    )


def inbound():
    return InboundMessage(
        message_id="<report-1@rights.example>", received_at=NOW, subject="Notice NW-1001"
    )


def parsed(xml: str):
    document = etree.fromstring(xml.encode())
    SCHEMA.assertValid(document)
    ns = {"a": "http://www.acns.net/ACNS"}
    return (
        document.findtext("a:NoticeID", namespaces=ns),
        document.findtext("a:Status", namespaces=ns),
        [reason.text for reason in document.findall("a:Reason", namespaces=ns)],
    )


@pytest.mark.parametrize(
    ("outcome", "flags", "status", "reasons"),
    [
        ("case", (), "Accepted", []),
        ("case", ("text_xml_mismatch",), "Accepted", ["TEXT_XML_MISMATCH"]),
        ("not_ours", (), "Rejected", ["IP_OUT_OF_RANGE"]),
        ("duplicate", (), "Rejected", ["MULTIPLE"]),
        ("too_old", (), "Rejected", ["OTHER"]),
    ],
)
def test_each_outcome_is_a_valid_notice_ack_with_its_reason(outcome, flags, status, reasons):
    (notice,) = report_outcomes([event(outcome, flags=flags)])
    xml = notice_ack_xml(notice, now=NOW)
    assert parsed(xml) == ("NW-1001", status, reasons)
    assert 'TimeStamp="2026-03-02T11:00:00Z"' in xml


def test_a_notice_some_of_whose_moments_were_taken_is_accepted_once():
    later = MOMENT.replace(minute=45)
    notices = report_outcomes(
        [event("not_ours"), event("case", moment=later), event("not_ours", case_id="NW-2")]
    )
    assert [(n.case_id, n.accepted) for n in notices] == [("NW-1001", True), ("NW-2", False)]
    assert notices[0].moments == [MOMENT, later]


def test_a_notice_without_a_case_id_is_named_by_its_mail():
    (notice,) = report_outcomes([event("not_ours", case_id="")])
    assert parsed(notice_ack_xml(notice, now=NOW, message_id="<m@x.example>"))[0] == (
        "<m@x.example>"
    )


def test_the_schema_refuses_what_the_specification_does_not_name():
    bad = notice_ack_xml(report_outcomes([event("not_ours")])[0], now=NOW).replace(
        "IP_OUT_OF_RANGE", "NOT_OURS"
    )
    assert not SCHEMA.validate(etree.fromstring(bad.encode()))


@pytest.mark.parametrize("reply", ["acns", "text"])
def test_the_letter_says_what_became_of_each_notice_and_names_no_customer(reply, settings):
    context = ack_context(
        [event("case"), event("not_ours", case_id="NW-2")], reply=reply, inbound=inbound(), now=NOW
    )
    subject, text, html = emails.render("notice_ack", context)
    assert subject == "Your copyright notices NW-1001, NW-2: acknowledgement"
    assert "Your case id: NW-1001" in text and "Your case id: NW-2" in text
    assert "Accepted. The address was assigned to a customer of ours" in text
    assert "Not taken (IP_OUT_OF_RANGE). The address was not assigned" in text
    assert "Moment reported: 2026-03-02 10:15:30 UTC" in text
    assert ("<NoticeAck" in text) == (reply == "acns") == ("NoticeAck" in html)
    if reply == "acns":
        block = text.split("----Start ACNS XML\n")[2].split("----End ACNS XML")[0]
        assert parsed(block) == ("NW-2", "Rejected", ["IP_OUT_OF_RANGE"])
