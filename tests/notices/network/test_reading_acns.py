"""ACNS notices read to events: inline, between markers, as attachments, in every
namespace and encoding, broken, and against the letter's own evidence lines."""

import pytest

from notices.network.reading import NetworkReading, read_network_notice

from .samples import acns_xml, letter, mail

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


def test_a_plain_takedown_letter_is_no_network_notice():
    body = "Please remove https://www.example.com/copy.mkv, an infringing copy of our film.\n"
    assert read_network_notice(mail(body)) is None


def test_the_reading_is_frozen():
    reading = read_network_notice(mail(letter(xml=acns_xml())))
    with pytest.raises(AttributeError):
        reading.kind = "other"
