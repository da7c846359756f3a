"""What the API hands the reader: ACNS XML or XARF JSON, or a refusal with its reason."""

import json

import pytest

from notices.network.reading import NoticeRefused, read_network_payload

from .samples import acns_xml


def test_acns_xml_payload_gives_its_event():
    reading = read_network_payload(acns_xml().encode(), "application/xml; charset=utf-8")
    assert (reading.format, reading.kind) == ("acns", "takedown")
    assert [(e["ip"], e["timestamp"]) for e in reading.events] == [
        ("192.0.2.10", "2026-03-02T10:15:30Z")
    ]
    assert reading.sender_email == "notices@rights.example"


def test_xarf_json_payload_gives_its_event():
    report = {
        "xarf_version": "4.2.0",
        "report_id": "7d1c0e8e-0000-4000-8000-000000000001",
        "timestamp": "2026-03-02T11:00:00+01:00",
        "reporter": {"org": "Example Monitor", "contact": "reports@monitor.example"},
        "source_identifier": "2001:db8::10",
        "source_port": 6881,
        "category": "copyright",
        "type": "p2p",
        "p2p_protocol": "bittorrent",
        "work_title": "An Example Film",
        "rights_holder": "Example Pictures LLC",
    }
    reading = read_network_payload(json.dumps(report).encode(), "application/json")
    assert (reading.format, reading.kind) == ("xarf", "takedown")
    (event,) = reading.events
    assert (event["ip"], event["port"], event["timestamp"]) == (
        "2001:db8::10",
        6881,
        "2026-03-02T10:00:00Z",
    )
    assert event["complainant"] == "Example Pictures LLC"


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (b"ip=192.0.2.10", "text/plain", "text/plain is not read"),
        (
            b"<Infringement><Case><ID>1</ID></Case></Infringement>",
            "application/xml",
            "names no address and time",
        ),
        (b'{"hello": "world"}', "application/json", "not a XARF report"),
        (b"{not json", "application/json", "not JSON"),
        (
            b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Infringement>&a;</Infringement>',
            "application/xml",
            "document type declaration",
        ),
    ],
)
def test_a_payload_it_cannot_read_is_refused_with_the_reason(data, content_type, reason):
    with pytest.raises(NoticeRefused, match=reason):
        read_network_payload(data, content_type)


def test_refusal_is_a_value_error():
    assert issubclass(NoticeRefused, ValueError)
