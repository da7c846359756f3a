"""An e-mail as the reader takes it: headers cut to size, the body as text (HTML made
text), the sender's own words apart from quoted replies and the signature block."""

import email
import email.policy
import email.utils
import re
from email.message import EmailMessage
from email.parser import BytesHeaderParser

from lxml import etree

from .layout import readable

# A header is cut here as it is read (see READ_MAX_CHARS).
MAX_HEADER_CHARS = 8_000


class _HTMLText:
    """lxml's parser target: the text of an HTML body, blocks on lines of their own and
    links written the Markdown way. libxml2 reads in linear time whatever the markup;
    the standard library's HTMLParser takes quadratic time on some (`<a ` repeated)."""

    _BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "hr",
    }

    def __init__(self):
        self.parts: list[str] = []
        self.skip = 0
        self.href: list[str | None] = []
        self.quote = 0

    def start(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag == "blockquote":
            self.quote += 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag in ("td", "th"):
            self.parts.append(" | ")
        if tag == "a":
            self.href.append(attrs.get("href"))
            self.parts.append("[")

    def end(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        if tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.lower().startswith(("http://", "https://")):
                self.parts.append(f"]({href})")
            else:
                self.parts.append("]")
        if tag in self._BLOCK:
            self.parts.append("\n")

    def data(self, data):
        if self.skip:
            return
        if self.quote:
            data = "\n".join("> " + line for line in data.split("\n"))
        self.parts.append(data)

    def close(self) -> str:
        return "".join(self.parts)


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    target = _HTMLText()
    parser = etree.HTMLParser(target=target, no_network=True, remove_comments=True)
    try:
        parser.feed(html)
        text = parser.close()
    except etree.LxmlError:  # nothing a parser could make sense of
        text = target.close()
    text = re.sub(r"\[([^\]\n]*)\]\((https?://[^)\s]+)\)", _collapse_link, text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


def _collapse_link(match: re.Match) -> str:
    label, href = match.group(1).strip(), match.group(2)
    if not label or label.rstrip("/") == href.rstrip("/"):
        return href
    return f"[{label}]({href})"


_QUOTE_INTRO = re.compile(
    r"^\s*(?:On .{4,200}wrote:|-{2,}\s*Original Message\s*-{2,}|_{5,}|"
    r"From:\s.+|Le .{4,200}a écrit\s*:|Am .{4,200}schrieb .{1,100}:)\s*$",
    re.IGNORECASE,
)


def split_body(body: str) -> tuple[str, str]:
    """(the sender's own text, the signature block): quoted replies and the "-- " block
    are cut away."""
    lines = body.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    signature: list[str] = []
    in_signature = False
    for line in lines:
        if in_signature:
            if _QUOTE_INTRO.match(line) or line.startswith(">"):
                break
            signature.append(line)
            continue
        if line.rstrip() == "--" or line == "-- ":
            in_signature = True
            continue
        if _QUOTE_INTRO.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n"), "\n".join(signature).strip("\n")


class _BoundedHeaders(email.policy.EmailPolicy):
    """The standard policy, each header cut at MAX_HEADER_CHARS as it is read: Python's
    header parser takes quadratic time on long ones (a megabyte of Subject: 20 s)."""

    def header_source_parse(self, sourcelines):
        name, value = super().header_source_parse(sourcelines)
        return name, value[:MAX_HEADER_CHARS]


MAIL_POLICY = _BoundedHeaders()


def parse_message(raw: bytes) -> EmailMessage:
    """A message as the reader reads it; the original bytes are kept as they came."""
    return email.message_from_bytes(raw, policy=MAIL_POLICY)


def parse_headers(raw: bytes) -> EmailMessage:
    """The headers alone, for a message whose body will not parse."""
    return BytesHeaderParser(policy=MAIL_POLICY).parsebytes(raw)


def message_body(message) -> tuple[str, list[str]]:
    """The body's text (plain, else HTML made text), and what could not be read of it."""
    for subtype in ("plain", "html"):
        try:
            part = message.get_body(preferencelist=(subtype,))
        except (AttributeError, KeyError):
            part = None
        if part is not None:
            text, not_read = _text_content(part)
            return (html_to_text(text) if subtype == "html" else text), not_read
    if message.is_multipart():
        return "", ["The message has no text part."]
    payload = message.get_payload(decode=True)
    return (payload.decode("utf-8", errors="replace") if payload else ""), []


def _text_content(part) -> tuple[str, list[str]]:
    try:
        return part.get_content(), []
    except LookupError:  # a charset Python does not know
        charset = header(part, "Content-Type").partition("charset=")[2][:60]
        payload = part.get_payload(decode=True) or b""
        note = (
            f"The charset {charset} is unknown: the body was read as UTF-8, and what is not "
            "UTF-8 was not read."
        )
        return payload.decode("utf-8", errors="replace"), [note]


def long_headers(message) -> list[str]:
    names = sorted({name for name, value in message.raw_items() if len(value) >= MAX_HEADER_CHARS})
    if not names:
        return []
    listed = ", ".join(names)[:200]
    return [f"The headers {listed} past their first {MAX_HEADER_CHARS:,} characters were not read."]


def header(message, name: str) -> str:
    """A header's value as text, whatever it holds: parsed, else as written (Python's
    header parser fails on some, such as `From: <` or 5,000 "("); never a NUL or an
    unpaired surrogate, which no database stores."""
    try:
        value = str(message.get(name) or "")
    except Exception:  # the parser's own failures: IndexError, RecursionError
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return readable(str(value))[0]


def sender_address(message) -> tuple[str, str]:
    """(name, address) of the From header; empty where it cannot be read as one."""
    try:
        name, address = email.utils.parseaddr(header(message, "From"))
    except Exception:  # nested comments exhaust parseaddr's recursion
        return "", ""
    return (name, address) if "@" in address else (name, "")
