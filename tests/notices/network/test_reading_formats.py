"""The other shapes network notices come in: XARF v3 and v4, a vendor's
InvestigationInfo XML, and an upstream's forward with an IODEF report and the original."""

import gzip
import json

from notices.network.reading import read_network_notice

from .samples import acns_xml, investigation_xml, iodef_xml, letter, mail, xarf_v3


def test_xarf_v3_copyright_report_attached():
    report = json.dumps(xarf_v3()).encode()
    message = mail(
        "A XARF report is attached.", attachments=[(report, "application", "json", "report.json")]
    )
    reading = read_network_notice(message)
    assert (reading.format, reading.kind) == ("xarf", "takedown")
    assert reading.events == (
        {
            "ip": "192.0.2.55",
            "port": 54321,
            "timestamp": "2026-03-02T15:15:30Z",
            "protocol": "",
            "case_id": "",
            "complainant": "Example Records Ltd",
            "files": [
                {
                    "title": "An Example Song",
                    "file_name": "an-example-song.mp3",
                    "size": 56,
                    "hash": "sha1:abcdef0123",
                }
            ],
        },
    )


def test_xarf_v4_copyright_report_as_the_body():
    report = {
        "xarf_version": "4.2.0",
        "report_id": "4f1c8a52-0000-4000-8000-000000000002",
        "timestamp": "2026-03-02T10:15:30Z",
        "reporter": {"org": "Example Monitor", "contact": "p2p@monitor.example"},
        "source_identifier": "203.0.113.40",
        "category": "copyright",
        "type": "p2p",
        "p2p_protocol": "bittorrent",
        "swarm_info": {"info_hash": "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"},
        "work_title": "An Example Film",
    }
    reading = read_network_notice(mail(json.dumps(report, indent=2), sender="p2p@monitor.example"))
    assert (reading.format, reading.kind) == ("xarf", "takedown")
    (event,) = reading.events
    assert (event["ip"], event["timestamp"], event["case_id"]) == (
        "203.0.113.40",
        "2026-03-02T10:15:30Z",
        "4f1c8a52-0000-4000-8000-000000000002",
    )
    assert event["files"][0]["hash"] == "btih:da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert event["complainant"] == "Example Monitor"


def test_a_xarf_login_attack_report_is_other():
    report = json.dumps(xarf_v3("Login-Attack", ip="203.0.113.7")).encode()
    reading = read_network_notice(
        mail("Login attack report.", attachments=[(report, "application", "json", "x.json")])
    )
    assert (reading.format, reading.kind) == ("xarf", "other")
    assert reading.events[0]["ip"] == "203.0.113.7"


def test_a_vendors_investigation_info_xml_with_day_first_times():
    body = "Please find our investigation attached.\n"
    message = mail(
        body,
        attachments=[(investigation_xml().encode(), "application", "xml", "investigation.xml")],
    )
    reading = read_network_notice(message)
    assert (reading.format, reading.kind) == ("vendor_xml", "takedown")
    assert reading.events == (
        {
            "ip": "198.51.100.23",
            "port": 6881,
            "timestamp": "2026-03-02T10:15:30Z",
            "protocol": "bittorrent",
            "case_id": "INV-5521",
            "complainant": "Example Records Ltd",
            "files": [
                {
                    "title": "An Example Album",
                    "file_name": "An.Example.Album.zip",
                    "size": 2048,
                    "hash": "",
                }
            ],
        },
    )


def _forward(original_as_rfc822: bool):
    original = mail(letter(xml=acns_xml()), subject="Notice of Claimed Infringement - NW-1001")
    attachments = [(gzip.compress(iodef_xml().encode()), "application", "gzip", "report.xml.gz")]
    if original_as_rfc822:
        attachments.append((original, "message", "rfc822", "original.eml"))
    else:
        attachments.append((original.as_bytes(), "application", "octet-stream", "original.eml"))
    body = (
        "Our customer 192.0.2.0/24 is yours. We received the attached copyright complaint "
        "about an address on your network; the IODEF report and the original are attached.\n"
    )
    return mail(body, sender="Upstream Abuse <abuse@upstream.example>", attachments=attachments)


def test_an_upstreams_forward_with_iodef_and_the_original_attached():
    for as_rfc822 in (True, False):
        reading = read_network_notice(_forward(as_rfc822))
        assert (reading.format, reading.kind) == ("iodef", "takedown")
        assert reading.sender_email == "abuse@upstream.example"
        (event,) = reading.events  # the IODEF's and the original's sighting are one
        assert (event["ip"], event["port"], event["timestamp"]) == (
            "192.0.2.10",
            51413,
            "2026-03-02T10:15:30Z",
        )
        assert event["case_id"] == "NW-1001"  # the original notice's own case
        assert event["complainant"] == "Example Pictures LLC"
        assert event["files"][0]["title"] == "An Example Film"


def test_an_iodef_report_alone_names_the_source_not_the_target():
    message = mail(
        "IODEF attached.",
        attachments=[(iodef_xml(ip="198.51.100.9").encode(), "application", "xml", "iodef.xml")],
    )
    reading = read_network_notice(message)
    assert [(e["ip"], e["port"], e["protocol"], e["case_id"]) for e in reading.events] == [
        ("198.51.100.9", 51413, "tcp", "UP-77")
    ]


def test_a_letter_with_evidence_lines_and_no_xml_is_read_as_text():
    reading = read_network_notice(mail(letter()))
    assert (reading.format, reading.kind) == ("text", "takedown")
    assert [(e["ip"], e["timestamp"]) for e in reading.events] == [
        ("192.0.2.10", "2026-03-02T10:15:30Z")
    ]


def test_a_hosting_takedown_naming_its_servers_address_is_no_network_notice():
    body = (
        "The infringing copy of our photograph is at https://www.example.com/copy.jpg.\n"
        "Server IP Address: 203.0.113.80\nTimestamp: 2026-03-02T10:15:30Z\n"
        "Please remove it. I have a good faith belief that this use is not authorized.\n"
    )
    assert read_network_notice(mail(body)) is None


def test_a_forward_whose_original_cannot_be_read_keeps_the_iodef_and_says_so():
    original = mail("Notice of infringement.\n---Start ACNS XML\n<Infringement></Infringement>\n")
    message = mail(
        "Forwarded complaint.",
        attachments=[
            (iodef_xml().encode(), "application", "xml", "iodef.xml"),
            (original, "message", "rfc822", "original.eml"),
        ],
    )
    reading = read_network_notice(message)
    assert [(e["ip"], e["case_id"]) for e in reading.events] == [("192.0.2.10", "UP-77")]
    assert any("forwarded mail was not read" in problem for problem in reading.problems)
