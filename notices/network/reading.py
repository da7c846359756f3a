"""Read a network notice: an address on our network seen at a moment sharing a work.

Pure: no models, no database, no network. ``read_network_notice`` takes an
``email.message.EmailMessage`` and gives a ``NetworkReading`` (None when the mail carries
no network notice); ``read_network_payload`` takes what the API receives (ACNS XML or XARF
JSON). Both raise ``NoticeRefused`` (a ValueError) with the reason for what will not be
read: a document type declaration in the XML, an archive past its limit with nothing else
readable, a notice whose address and time cannot be read at all.

Every event is ``{"ip", "port", "timestamp" (ISO 8601, UTC), "protocol", "case_id",
"complainant", "files": [{"title", "file_name", "size", "hash"}]}``.
"""

import email.utils
import re
import zlib
from dataclasses import dataclass, field
from email.message import EmailMessage

from lxml import etree, html

from . import mime
from .formats import NoticeRefused, acns, iodef, letter, safexml, vendor, xarf
from .formats import events as event_fields

__all__ = ["NetworkReading", "NoticeRefused", "read_network_notice", "read_network_payload"]

MAX_PARTS = 100  # parts of one mail read; a mail of thousands is read this far
MAX_DEPTH = 10  # multiparts inside multiparts
MAX_FORWARDS = 3  # mails forwarded inside mails
MAX_TEXT_CHARS = 2_000_000  # of the letters' text, all parts together
MAX_UNPACKED_BYTES = 5_000_000  # what a compressed attachment may grow to
MAX_PAYLOAD_BYTES = 5_000_000  # what the API reads
MAX_EVENTS = 10_000

FORMATS = ("iodef", "acns", "vendor_xml", "xarf", "text")  # the first found names the notice
XML_TYPES = ("application/xml", "text/xml")
JSON_TYPES = ("application/json",)
GZIP_TYPES = ("application/gzip", "application/x-gzip")

# A reply quoting a notice is not the notice (a subscriber's answer, a counter notice).
_QUOTED = re.compile(r"^[ \t]*>[^\n]*\n?", re.MULTILINE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]{1,40})["']""")


@dataclass(frozen=True)
class NetworkReading:
    format: str  # acns, xarf, vendor_xml, iodef, text
    kind: str  # takedown (a notice of claimed infringement) or other
    events: tuple[dict, ...]
    # text_xml_mismatch, read_from_text, settlement_demand (the letter asks the customer
    # for money: the agent decides per sender whether its notices go out facts only)
    flags: tuple[str, ...] = ()
    sender_email: str | None = None
    problems: tuple[str, ...] = ()  # what was recovered, left unread or refused, in words

    def as_json(self) -> dict:
        return {
            "format": self.format,
            "kind": self.kind,
            "network_events": [dict(one) for one in self.events],
            "flags": list(self.flags),
            "sender_email": self.sender_email,
            "problems": list(self.problems),
        }


@dataclass
class _Found:
    """What the parts of one mail (or one payload) held, gathered as they are read."""

    formats: set[str] = field(default_factory=set)
    events: dict[tuple, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    letters: list[str] = field(default_factory=list)
    copyright: bool = False
    emails: list[str] = field(default_factory=list)
    text_chars: int = 0
    # Parts the reader would have read and would not: an archive past its limit, nesting
    # past its bound. A mail with nothing else readable is refused for these reasons.
    refused: list[str] = field(default_factory=list)

    def add(
        self,
        format_name: str,
        read: list[dict],
        problems: list[str],
        email_address="",
        *,
        original=False,
    ):
        """`original`: the events come from the notice itself (a forward's attachment),
        whose case id and details win over the forwarder's."""
        self.formats.add(format_name)
        for one in read:
            key = event_fields.key(one)
            known = self.events.get(key)
            if known is None and len(self.events) >= MAX_EVENTS:
                self.problems.append(f"Events after the first {MAX_EVENTS:,} were not read.")
                break
            if known is None:
                self.events[key] = one
            else:
                pair = (one, known) if original else (known, one)
                self.events[key] = event_fields.merged(*pair)
        self.problems += problems
        if email_address:
            self.emails.append(email_address)

    def merge(self, inner: "NetworkReading") -> None:
        self.add(
            inner.format,
            list(inner.events),
            list(inner.problems),
            inner.sender_email,
            original=True,
        )
        self.flags |= set(inner.flags)
        self.copyright |= inner.kind == "takedown"

    def refuse(self, reason: str) -> None:
        self.refused.append(reason)
        self.problems.append(reason)

    def reading(self, sender: str) -> NetworkReading | None:
        if not self.formats and self.refused:
            raise NoticeRefused(" ".join(dict.fromkeys(self.refused))[:1500])
        if not self.formats:
            return None
        name = next(one for one in FORMATS if one in self.formats)
        return NetworkReading(
            format=name,
            kind="takedown" if self.copyright else "other",
            events=tuple(self.events.values()),
            flags=tuple(sorted(self.flags)),
            sender_email=(sender or next(iter(self.emails), "") or None),
            problems=tuple(dict.fromkeys(self.problems)),
        )


def read_network_notice(message: EmailMessage, *, _depth: int = 0) -> NetworkReading | None:
    found = _Found()
    for part in _leaves(message, found):
        _read_part(part, found, _depth)
    _read_letters(found)
    reading = found.reading(mime.sender(message))
    if reading is not None and not reading.events:
        raise NoticeRefused(
            "A network notice with no address and time the desk can read. "
            + " ".join(reading.problems)[:1500]
        )
    return reading


def read_network_payload(data: bytes, content_type: str) -> NetworkReading:
    if len(data) > MAX_PAYLOAD_BYTES:
        raise NoticeRefused(f"The report is larger than {MAX_PAYLOAD_BYTES:,} bytes.")
    media = content_type.partition(";")[0].strip().lower()
    found = _Found()
    if media in XML_TYPES or media.endswith("+xml"):
        _read_xml(_xml_text(data), found)
    elif media in JSON_TYPES or media.endswith("+json"):
        _read_xarf(data, found)
    else:
        raise NoticeRefused(
            f"The content type {media[:80] or '(none)'} is not read: send ACNS XML as "
            "application/xml or a XARF report as application/json."
        )
    reading = found.reading("")
    if reading is None or not reading.events:
        reasons = " ".join(found.problems)[:1500]
        raise NoticeRefused(
            ("The report names no address and time the desk can read. " + reasons).strip()
        )
    return reading


def _leaves(message, found: _Found) -> list:
    """The mail's parts that hold something (no multipart containers), in order, at most
    MAX_PARTS, MAX_DEPTH deep; a forwarded mail is one part, read on its own."""
    leaves, stack = [], [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if not mime.is_container(part):
            leaves.append(part)
            if len(leaves) >= MAX_PARTS:
                found.problems.append(f"Parts after the first {MAX_PARTS} were not read.")
                break
            continue
        if depth >= MAX_DEPTH:
            found.refuse(f"Parts nested more than {MAX_DEPTH} deep were not read.")
            continue
        children = part.get_payload()
        if isinstance(children, list):
            stack += [(child, depth + 1) for child in reversed(children[: MAX_PARTS + 1])]
    return leaves


def _read_part(part, found: _Found, depth: int) -> None:
    media = mime.media_type(part)
    name = mime.filename(part).lower()
    if media == "message/rfc822" or name.endswith(".eml"):
        _read_forwarded(part, found, depth)
    elif media in GZIP_TYPES or name.endswith(".gz"):
        _read_unpacked(_gunzip(_payload(part), name, found), name.removesuffix(".gz"), found)
    elif media in XML_TYPES or name.endswith(".xml"):
        _read_xml(_xml_text(_payload(part)), found)
    elif media in JSON_TYPES or name.endswith(".json"):
        _read_json_attachment(_payload(part), found)
    elif media == "text/plain":
        _read_text(_budget(_text(part), found), found)
    elif media == "text/html" and not found.letters:  # the plain text said it already
        _read_text(_budget(_html_text(_text(part)), found), found)


def _read_text(text: str, found: _Found) -> None:
    """A letter: XARF JSON written into the body, or ACNS in it, and its evidence lines;
    lines quoted with ">" are not read."""
    if xarf.looks_like_xarf(text):
        _read_xarf(text.encode(), found)
        return
    text = acns.unescape_dashes(_QUOTED.sub("", text))
    found.letters.append(text)
    if acns.has_marker(text):
        _read_acns(text, found)


def _read_acns(text: str, found: _Found) -> None:
    safexml.refuse_declarations(text)
    documents, problems = acns.blocks(text)
    found.add("acns", [], problems)
    for document in documents:
        read, trouble, address = acns.read_block(document)
        found.add("acns", read, trouble, address)
    found.copyright = True


def _read_xml(text: str, found: _Found) -> None:
    head = text[:5000]
    if "IODEF-Document" in head:
        read, problems = iodef.read(text)
        found.add("iodef", read, problems)
        found.copyright = True
    elif "<InvestigationInfo" in text:
        read, problems = vendor.read(text)
        found.add("vendor_xml", read, problems)
        found.copyright = True
    elif acns.has_marker(text):
        _read_acns(text, found)
    else:
        found.problems.append("An XML attachment in no format the desk reads was left unread.")


def _read_json_attachment(data: bytes, found: _Found) -> None:
    """A XARF report; any other JSON a mail carries is none of the reader's business."""
    if xarf.looks_like_xarf(data[:20_000].decode("utf-8", errors="replace")):
        _read_xarf(data, found)
    else:
        found.problems.append("A JSON attachment that is no XARF report was left unread.")


def _read_xarf(data: bytes, found: _Found) -> None:
    read, problems, address, about_copyright = xarf.read(data)
    found.add("xarf", read, problems, address)
    found.copyright |= about_copyright


def _read_forwarded(part, found: _Found, depth: int) -> None:
    """A mail inside the mail (an upstream's forward carries the original): read too."""
    if depth >= MAX_FORWARDS:
        found.refuse(f"Mails forwarded more than {MAX_FORWARDS} deep were not read.")
        return
    inner = part.get_payload()
    if isinstance(inner, list) and inner:
        inner = inner[0]
    if not isinstance(inner, EmailMessage):
        inner = email.message_from_bytes(_payload(part), _class=EmailMessage, policy=part.policy)
    try:
        reading = read_network_notice(inner, _depth=depth + 1)
    except NoticeRefused as error:
        found.refuse(f"The forwarded mail was not read: {error}")
        return
    if reading is not None:
        found.merge(reading)


def _read_letters(found: _Found) -> None:
    """The letter's evidence lines: compared with the XML, or the event itself where the
    XML could not be read (or there is none)."""
    if not found.letters:
        return
    if any(_SETTLEMENT.search(text) for text in found.letters):
        found.flags.add("settlement_demand")
    stated = letter.evidence("\n".join(found.letters))
    if found.events:
        if letter.disagrees(stated, list(found.events.values())):
            found.flags.add("text_xml_mismatch")
        return
    read = letter.letter_events(stated)
    if read and (found.formats or _peer_to_peer(stated, found.letters)):
        found.add("acns" if "acns" in found.formats else "text", read, [])
        found.copyright = True
        found.flags.add("read_from_text")
        if "acns" in found.formats:
            found.problems.append(
                "The ACNS XML could not be read; the event is the letter's own evidence lines."
            )


# A settlement offered or money asked of the customer: "settle", "pay", a dollar amount.
_SETTLEMENT = re.compile(
    r"\bsettle(?:ment|d)?\b|\bpay(?:ment|able)?\b|\$\s?\d|\bUSD\s?\d", re.IGNORECASE
)

_P2P = re.compile(r"bittorrent|torrent|edonkey|ed2k|gnutella|ares|p2p|peer", re.IGNORECASE)


def _peer_to_peer(stated: letter.Evidence, letters: list[str]) -> bool:
    """A letter with no machine-readable block is a network notice when it states a
    swarm's evidence (a port or a peer-to-peer protocol) about infringement: a hosting
    takedown that names its server's address is a takedown of URLs."""
    swarm = stated.port is not None or bool(_P2P.search(stated.protocol))
    return swarm and any(re.search(r"infring", text, re.IGNORECASE) for text in letters)


def _gunzip(data: bytes, name: str, found: _Found) -> bytes:
    """At most MAX_UNPACKED_BYTES of a gzip attachment; past that it is not read, and a
    report (XML or JSON) past that refuses the mail unless something else in it is read."""
    unpacker = zlib.decompressobj(wbits=47)  # gzip or zlib header
    try:
        unpacked = unpacker.decompress(data, MAX_UNPACKED_BYTES + 1)
    except zlib.error as error:
        found.problems.append(f"The attachment {name[:80] or '(unnamed)'} is not gzip: {error}.")
        return b""
    if len(unpacked) > MAX_UNPACKED_BYTES:
        reason = (
            f"The attachment {name[:80] or '(unnamed)'} unpacks to more than "
            f"{MAX_UNPACKED_BYTES:,} bytes; it was not read."
        )
        if unpacked.lstrip()[:1] in (b"<", b"{"):
            found.refuse(reason)
        else:
            found.problems.append(reason)
        return b""
    return unpacked


def _read_unpacked(data: bytes, name: str, found: _Found) -> None:
    if not data:
        return
    head = data.lstrip()[:1]
    if name.endswith(".json") or head == b"{":
        _read_xarf(data, found)
    elif name.endswith(".xml") or head == b"<":
        _read_xml(_xml_text(data), found)
    else:
        found.problems.append(f"The unpacked attachment {name[:80]} was left unread.")


def _payload(part) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _text(part) -> str:
    data = _payload(part)
    try:
        return data.decode(mime.charset(part) or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", errors="replace")


def _xml_text(data: bytes) -> str:
    """An XML document as text, in the encoding its declaration names (else UTF-8)."""
    declared = _ENCODING.match(data[:300])
    try:
        return data.decode(declared.group(1).decode() if declared else "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _html_text(markup: str) -> str:
    if not markup.strip():
        return ""
    try:
        return html.fromstring(markup, parser=_HTML).text_content()
    except (etree.LxmlError, ValueError):
        return ""


_HTML = html.HTMLParser(no_network=True, remove_comments=True)


def _budget(text: str, found: _Found) -> str:
    """The letters' text within MAX_TEXT_CHARS, all parts together."""
    room = MAX_TEXT_CHARS - found.text_chars
    if len(text) > room:
        found.problems.append(f"Text after the first {MAX_TEXT_CHARS:,} characters was not read.")
        text = text[: max(room, 0)]
    found.text_chars += len(text)
    return text
