"""Mail built to hurt the reader: entities, archives that unpack to gigabytes, thousands
of parts, nesting without end. Each is bounded or refused with its reason, quickly."""

import email
import email.policy
import gzip
from email.message import EmailMessage

import pytest

from notices.network import reading as network
from notices.network.reading import NoticeRefused, read_network_notice

from .samples import acns_xml, letter, mail, reparse

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>\n'
)
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'


@pytest.mark.parametrize("declaration", [LAUGHS, EXTERNAL])
def test_an_xml_attachment_declaring_entities_is_refused(declaration):
    xml = declaration + acns_xml(declaration=False).replace("NW-1001", "&lol2;&secret;")
    message = mail("See attached.", attachments=[(xml.encode(), "application", "xml", "n.xml")])
    with pytest.raises(NoticeRefused, match="document type declaration"):
        read_network_notice(message)


def test_inline_acns_declaring_entities_is_refused():
    xml = LAUGHS + acns_xml(declaration=False).replace("NW-1001", "&lol2;")
    with pytest.raises(NoticeRefused, match="entities are never expanded"):
        read_network_notice(mail(letter(xml=xml)))


def test_a_compressed_attachment_is_unpacked_only_up_to_its_limit():
    bomb = gzip.compress(b"<" + b" " * (network.MAX_UNPACKED_BYTES + 10))
    assert len(bomb) < 100_000
    only_bomb = mail("Report attached.", attachments=[(bomb, "application", "gzip", "r.xml.gz")])
    with pytest.raises(NoticeRefused, match="unpacks to more than 5,000,000 bytes"):
        read_network_notice(only_bomb)
    with_letter = mail(
        letter(xml=acns_xml()), attachments=[(bomb, "application", "gzip", "r.xml.gz")]
    )
    reading = read_network_notice(with_letter)
    assert [e["ip"] for e in reading.events] == ["192.0.2.10"]
    assert any("unpacks to more than" in problem for problem in reading.problems)


def test_an_attachment_that_is_not_gzip_is_said():
    message = mail(
        letter(xml=acns_xml()),
        attachments=[(b"not gzip at all", "application", "gzip", "r.xml.gz")],
    )
    reading = read_network_notice(message)
    assert len(reading.events) == 1
    assert any("is not gzip" in problem for problem in reading.problems)


def test_a_mail_of_thousands_of_parts_is_read_only_so_far():
    parts = [f"--b\nContent-Type: text/plain\n\n{letter(xml=acns_xml())}\n"]
    parts += [f"--b\nContent-Type: text/csv\n\npart {number}\n" for number in range(3000)]
    raw = (
        "From: notices@rights.example\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n' + "".join(parts) + "--b--\n"
    )
    reading = read_network_notice(email.message_from_string(raw, policy=email.policy.default))
    assert [e["ip"] for e in reading.events] == ["192.0.2.10"]
    assert f"Parts after the first {network.MAX_PARTS} were not read." in reading.problems


def test_multiparts_nested_without_end_are_read_only_so_far():
    inner = EmailMessage()
    inner.set_content(letter(xml=acns_xml()))
    for _ in range(40):
        outer = EmailMessage()
        outer.make_mixed()
        outer.attach(inner)
        inner = outer
    inner["From"] = "notices@rights.example"
    with pytest.raises(NoticeRefused, match="nested more than"):
        read_network_notice(reparse(inner))


def test_forwards_inside_forwards_are_read_only_so_far():
    message = mail(letter(xml=acns_xml()))
    for depth in range(network.MAX_FORWARDS + 2):
        message = mail(f"Forward {depth}.", attachments=[(message, "message", "rfc822", "f.eml")])
    with pytest.raises(NoticeRefused, match="forwarded more than"):
        read_network_notice(message)


def test_an_acns_notice_with_nothing_readable_is_refused_with_the_reason():
    body = (
        "Notice of infringement.\n---Start ACNS XML\n<Infringement><Case><ID>9</ID></Case>"
        "<Source><TimeStamp>2026-03-02T10:15:30Z</TimeStamp>"
        "<IP_Address>not an address</IP_Address></Source></Infringement>\n"
    )
    with pytest.raises(NoticeRefused, match="no address and time.*not an IP address"):
        read_network_notice(mail(body))


def test_an_unknown_charset_is_read_as_utf8():
    message = mail(letter(xml=acns_xml()))
    message.replace_header("Content-Type", 'text/plain; charset="x-no-such-charset"')
    assert [e["ip"] for e in read_network_notice(message).events] == ["192.0.2.10"]


def test_a_hostile_from_header_leaves_no_sender():
    raw = mail(letter(xml=acns_xml())).as_bytes()
    raw = raw.replace(b"From: Notices <notices@rights.example>", b"From: <" + b"(" * 5000)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    reading = read_network_notice(message)
    assert reading.sender_email == "notices@rights.example"  # the XML's complainant e-mail
    assert [e["ip"] for e in reading.events] == ["192.0.2.10"]


def test_a_takedown_with_a_large_archive_of_something_else_is_no_network_notice():
    logs = gzip.compress(b"log line\n" * (network.MAX_UNPACKED_BYTES // 9 + 10))
    body = "Please remove https://www.example.com/copy.jpg, an infringing copy of our photo.\n"
    message = mail(body, attachments=[(logs, "application", "gzip", "logs.gz")])
    assert read_network_notice(message) is None


def test_a_json_attachment_that_is_no_xarf_report_is_left_alone():
    message = mail(
        "Our metadata.", attachments=[(b'{"a": [1, 2]}', "application", "json", "meta.json")]
    )
    assert read_network_notice(message) is None


def test_a_zoned_ipv6_address_is_refused_with_the_reason():
    """fe80::1%eth0 names an interface of the sender's own machine, not an address of ours;
    PostgreSQL would refuse to store it."""
    message = mail(letter(ip="fe80::1%eth0", xml=acns_xml(ip="fe80::1%eth0")))
    with pytest.raises(NoticeRefused, match="no address and time") as refused:
        read_network_notice(message)
    assert "'fe80::1%eth0' is an IPv6 address with a zone (after %)" in str(refused.value)


def test_a_letters_zoned_address_is_not_read_as_the_address_without_its_zone():
    reading = read_network_notice(mail(letter(ip="fe80::1%eth0")))
    assert reading is None  # no address the desk can read: not taken as a network notice
    assert read_network_notice(mail(letter(ip="2001:db8::1"))).events[0]["ip"] == "2001:db8::1"
