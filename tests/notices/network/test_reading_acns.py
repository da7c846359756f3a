"""ACNS notices read to events: inline, between markers (PGP dash-escaped too), as
attachments, in every namespace and transfer encoding, broken, and checked against the
letter's own evidence lines."""

import pytest

from notices.network.reading import NetworkReading, read_network_notice

from .samples import acns_xml, clear_signed, letter, mail

EVENT = {
    "ip": "192.0.2.10",
    "port": 51413,
    "timestamp": "2026-03-02T10:15:30Z",
    "protocol": "bittorrent",
    "case_id": "NW-1001",
    "complainant": "Example Pictures LLC",
    "files": [
        {
            "title": "An Example Film",
            "file_name": "An.Example.Film.2026.1080p.mkv",
            "size": 1048576,
            "hash": "sha1:0123456789abcdef0123456789abcdef01234567",
        }
    ],
}


def test_inline_acns_between_markers_is_a_takedown_with_its_event():
    reading = read_network_notice(mail(letter(xml=acns_xml())))
    assert isinstance(reading, NetworkReading)
    assert reading.format == "acns"
    assert reading.kind == "takedown"
    assert reading.events == (EVENT,)
    assert reading.flags == ()
    assert reading.sender_email == "notices@rights.example"
    assert reading.problems == ()


def test_inline_acns_without_markers():
    reading = read_network_notice(mail(letter() + "\n" + acns_xml()))
    assert reading.events == (EVENT,)


def test_a_plain_takedown_letter_is_no_network_notice():
    body = "Please remove https://www.example.com/copy.mkv, an infringing copy of our film.\n"
    assert read_network_notice(mail(body)) is None


def test_the_reading_is_frozen():
    reading = read_network_notice(mail(letter(xml=acns_xml())))
    with pytest.raises(AttributeError):
        reading.kind = "other"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("---Start ACNS XML", "---End ACNS XML"),  # clear-signing adds "- " once
        ("- ---Start ACNS XML", "- ---End ACNS XML"),  # signed again: "- - ---Start"
    ],
)
def test_pgp_clear_signed_notice_with_dash_escaped_markers(start, end):
    body = clear_signed(letter(xml=acns_xml(), start=start, end=end))
    assert "- ---Start ACNS XML" in body
    reading = read_network_notice(mail(body))
    assert reading.events == (EVENT,)
    assert reading.problems == ()


def test_the_same_xml_inline_and_attached_is_one_event():
    xml = acns_xml()
    message = mail(letter(xml=xml), attachments=[(xml.encode(), "application", "xml", "1.xml")])
    reading = read_network_notice(message)
    assert reading.events == (EVENT,)


def test_an_xml_attachment_alone():
    body = "Please see the attached notice of claimed infringement.\n"
    reading = read_network_notice(
        mail(body, attachments=[(acns_xml().encode(), "application", "xml", "NW-1001.xml")])
    )
    assert (reading.format, reading.events) == ("acns", (EVENT,))


def test_an_xml_attachment_in_its_declared_encoding():
    xml = acns_xml(complainant="Éditions Exemple SARL").replace("UTF-8", "ISO-8859-1")
    reading = read_network_notice(
        mail("See attached.", attachments=[(xml.encode("latin-1"), "text", "xml", "n.xml")])
    )
    assert reading.events[0]["complainant"] == "Éditions Exemple SARL"


@pytest.mark.parametrize("transfer", ["base64", "quoted-printable"])
def test_base64_and_quoted_printable_bodies(transfer):
    body = letter(xml=acns_xml()) + "\nVeuillez agir. " + "Merci de votre coopération. " * 8
    message = mail(body, cte=transfer)
    assert message["Content-Transfer-Encoding"] == transfer
    assert read_network_notice(message).events == (EVENT,)


def test_several_blocks_in_one_mail_are_each_read():
    second = acns_xml(
        case_id="NW-1002",
        ip="198.51.100.7",
        source_time="2026-03-03T08:00:00Z",
        item_times=("2026-03-03T08:00:00Z",),
    )
    body = letter(xml=acns_xml()) + "\n" + letter(ip="198.51.100.7", xml=second)
    reading = read_network_notice(mail(body))
    assert [(e["case_id"], e["ip"], e["timestamp"]) for e in reading.events] == [
        ("NW-1001", "192.0.2.10", "2026-03-02T10:15:30Z"),
        ("NW-1002", "198.51.100.7", "2026-03-03T08:00:00Z"),
    ]


@pytest.mark.parametrize(
    "namespace",
    [
        "http://www.acns.net/ACNS",
        "http://www.movielabs.com/ACNS",
        "http://www.acns.net/v1.2/ACNS",
        "http://www.acns.net/v1.3/ACNS",
        None,
    ],
)
def test_every_namespace_variant(namespace):
    reading = read_network_notice(mail(letter(xml=acns_xml(namespace=namespace))))
    assert reading.events == (EVENT,)


def test_a_prefixed_namespace():
    xml = acns_xml(namespace=None).replace("<", "<acns:").replace("<acns:/", "</acns:")
    xml = xml.replace(
        "<acns:Infringement>", '<acns:Infringement xmlns:acns="http://www.acns.net/ACNS">'
    )
    xml = xml.replace("<acns:?xml", "<?xml")
    reading = read_network_notice(mail(letter(xml=xml)))
    assert reading.events == (EVENT,)


def test_an_unescaped_ampersand_is_read_and_said():
    reading = read_network_notice(mail(letter(xml=acns_xml(complainant="Example & Sons LLC"))))
    assert reading.events[0]["complainant"] == "Example & Sons LLC"
    assert any("unescaped '&'" in problem for problem in reading.problems)


def test_a_missing_closing_tag_is_recovered():
    reading = read_network_notice(mail(letter(xml=acns_xml().replace("</Content>", ""))))
    assert reading.events == (EVENT,)
    assert any("XML is broken" in problem for problem in reading.problems)


def test_xml_past_repair_gives_way_to_the_letters_evidence_lines():
    broken = acns_xml().split("<Source>")[0] + "<Source><TimeSt"
    reading = read_network_notice(mail(letter(xml=broken)))
    assert reading.format == "acns"
    assert reading.kind == "takedown"
    assert "read_from_text" in reading.flags
    (event,) = reading.events
    assert (event["ip"], event["port"], event["timestamp"]) == (
        "192.0.2.10",
        51413,
        "2026-03-02T10:15:30Z",
    )
    assert event["files"][0]["title"] == "An Example Film"
    assert any("letter's own evidence lines" in problem for problem in reading.problems)


def test_an_item_without_its_own_timestamp_takes_the_sources():
    xml = acns_xml(source_time="2026-03-02T10:15:30Z", item_times=(None,))
    assert read_network_notice(mail(letter(xml=xml))).events == (EVENT,)


def test_items_seen_at_different_moments_are_one_event_each():
    xml = acns_xml(item_times=("2026-03-02T10:15:30Z", "2026-03-02T11:00:00Z", None))
    reading = read_network_notice(mail(letter(xml=xml)))
    assert [(e["timestamp"], len(e["files"])) for e in reading.events] == [
        ("2026-03-02T10:15:30Z", 2),
        ("2026-03-02T11:00:00Z", 1),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "2026-03-02 10:15:30.0 GMT",
        "2026-03-02T05:15:30-05:00",
        "2026-03-02T11:15:30+0100",
        "02 Mar 2026 10:15:30 GMT",
        "2026-03-02T10:15:30.000Z",
        "2026-03-02 05:15:30 EST",
        "02/03/2026 11:15:30 CET",
    ],
)
def test_times_are_made_utc_with_the_sources_zone(written):
    xml = acns_xml(source_time=written, item_times=(None,))
    reading = read_network_notice(mail(letter(moment=written, xml=xml)))
    assert reading.events[0]["timestamp"] == "2026-03-02T10:15:30Z"
    assert reading.flags == ()


def test_an_ipv6_source():
    xml = acns_xml(ip="2001:DB8:0:0::1f")
    reading = read_network_notice(mail(letter(ip="2001:db8::1f", xml=xml)))
    assert reading.events[0]["ip"] == "2001:db8::1f"
    assert reading.flags == ()


def test_letter_and_xml_disagreeing_on_the_address_is_flagged():
    reading = read_network_notice(mail(letter(ip="192.0.2.99", xml=acns_xml())))
    assert reading.events == (EVENT,)  # the XML is what is read
    assert reading.flags == ("text_xml_mismatch",)


def test_letter_and_xml_disagreeing_on_the_time_is_flagged():
    reading = read_network_notice(mail(letter(moment="2026-03-02T09:15:30Z", xml=acns_xml())))
    assert reading.flags == ("text_xml_mismatch",)


def test_an_xml_attachment_known_by_its_encoded_file_name():
    message = mail(
        "Avis ci-joint.",
        attachments=[(acns_xml().encode(), "application", "octet-stream", "avis-n°1001.xml")],
    )
    assert "filename*=" in message.as_string()
    assert read_network_notice(message).events == (EVENT,)


def test_an_html_body_with_the_xml_written_as_text():
    escaped = acns_xml().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = f"<html><body><p>Notice of claimed infringement.</p><pre>{escaped}</pre></body></html>"
    message = mail("")
    message.set_content(html, subtype="html")
    assert read_network_notice(message).events == (EVENT,)


def test_a_reply_quoting_a_notice_is_no_network_notice():
    quoted = "\n".join("> " + line for line in letter(xml=acns_xml()).split("\n"))
    body = (
        f"I dispute this notice; the address was not mine then.\n\nOn Monday you wrote:\n{quoted}"
    )
    assert read_network_notice(mail(body)) is None


def test_an_xml_attachment_in_no_known_format_is_left_alone():
    page = '<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body>Hi</body></html>'
    message = mail(
        "Invoice attached.", attachments=[(page.encode(), "application", "xml", "invoice.xml")]
    )
    assert read_network_notice(message) is None


def test_an_ipv4_mapped_ipv6_source_is_its_ipv4_address():
    reading = read_network_notice(mail(letter(xml=acns_xml(ip="::ffff:192.0.2.10"))))
    assert reading.events == (EVENT,)
    assert reading.flags == ()
