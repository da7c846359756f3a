"""The text of a message's attachments, for a notice sent as one ("please see the attached
notice"): plain text, HTML, a forwarded message (.eml), the text layer of a PDF (pypdf), a
Word document (.docx, python-docx).

Attachments are hostile input like the rest of the mail: each is read within limits
(MAIL_ATTACHMENT_MAX_BYTES, MAIL_ATTACHMENT_MAX_PAGES, MAIL_ATTACHMENTS_READ), and one
that cannot be read gives the reason in words, never an exception.
"""

import io
import logging
import zipfile
from dataclasses import dataclass

import docx
from django.conf import settings
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError

from .reader.layout import READ_MAX_CHARS
from .reader.message import html_to_text, message_body, parse_message

logger = logging.getLogger(__name__)


@dataclass
class Attached:
    """One attachment: its file name and type as the mail gives them, its bytes, and its
    text (empty when it has none the desk can read, and then `problem` says why)."""

    name: str
    content_type: str
    data: bytes
    text: str = ""
    problem: str = ""


def attachments(message) -> list[Attached]:
    """The message's attachments, at most MAIL_ATTACHMENTS_READ, each with its text."""
    found = []
    for part in _parts(message):
        if len(found) == settings.MAIL_ATTACHMENTS_READ:
            break
        found.append(_read(part))
    return found


def _parts(message):
    try:
        yield from message.iter_attachments()
    except (AttributeError, KeyError, TypeError):  # not multipart, or a body of no known kind
        return


def _read(part) -> Attached:
    name = _file_name(part)
    content_type = part.get_content_type()
    data = _payload(part)
    attached = Attached(name, content_type, data)
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES
    if len(data) > limit:
        attached.problem = f"it is larger ({len(data):,} bytes) than the desk reads ({limit:,})"
        return attached
    kind = _kind(name, content_type)
    reader = _READERS.get(kind)
    if reader is None:
        attached.problem = f"the desk reads no text in a file of type {content_type}"
        return attached
    try:
        attached.text, attached.problem = reader(part, data)
    except Exception as error:  # whatever a hostile file does to its parser
        logger.warning("Attachment of type %s not read: %s", kind, type(error).__name__)
        attached.problem = f"it could not be read as {kind.upper()} ({type(error).__name__})"
    if not attached.problem and not attached.text.strip():
        attached.problem = "it holds no text (a scan or a picture?)"
    return attached


def _file_name(part) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a hostile Content-Disposition the header parser fails on
        name = ""
    return (name.strip() or "attachment")[:200]


def _payload(part) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return inner.as_bytes() if hasattr(inner, "as_bytes") else b""
    return part.get_payload(decode=True) or b""


def _kind(name: str, content_type: str) -> str:
    extension = name.lower().rpartition(".")[2] if "." in name else ""
    if content_type == "application/pdf" or extension == "pdf":
        return "pdf"
    if content_type == "message/rfc822" or extension == "eml":
        return "eml"
    if content_type == _DOCX or extension == "docx":
        return "docx"
    if content_type == "text/html" or extension in ("html", "htm"):
        return "html"
    if content_type == "text/plain" or extension == "txt":
        return "text"
    return ""


def _text(part, data: bytes) -> tuple[str, str]:
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace"), ""
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", errors="replace"), ""


def _html(part, data: bytes) -> tuple[str, str]:
    return html_to_text(_text(part, data)[0]), ""


def _eml(part, data: bytes) -> tuple[str, str]:
    inner = parse_message(data)
    body, _ = message_body(inner)
    return body, ""


def _pdf(part, data: bytes) -> tuple[str, str]:
    """The PDF's text layer, page by page, within MAIL_ATTACHMENT_MAX_PAGES; no stream
    unpacked past MAIL_ATTACHMENT_MAX_BYTES (pypdf's own limits are 75 MB a stream, so a
    small file could cost gigabytes), and no outside program called (jbig2dec)."""
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES
    unpacked = {
        f"{name}_maximum_output_length": limit
        for name in ("zlib", "lzw", "run_length", "brotli", "jbig2", "array_based_stream")
    }
    try:
        with apply_configuration(**unpacked, jbig2dec_binary=None):
            return _pdf_text(data)
    except LimitReachedError:
        return "", f"a part of it unpacks to more than the desk reads ({limit:,} bytes)"


def _pdf_text(data: bytes) -> tuple[str, str]:
    try:
        pdf = PdfReader(io.BytesIO(data), strict=False)
        if pdf.is_encrypted:
            return "", "it is an encrypted PDF: the desk does not open protected files"
        pages = len(pdf.pages)
    except PyPdfError as error:
        return "", f"it is not a PDF the desk can read ({type(error).__name__})"
    limit = settings.MAIL_ATTACHMENT_MAX_PAGES
    if pages > limit:
        return "", f"it has {pages:,} pages, more than the desk reads ({limit})"
    texts, length = [], 0
    for page in pdf.pages:  # the reader reads no further than READ_MAX_CHARS anyway
        texts.append(page.extract_text() or "")
        length += len(texts[-1])
        if length > READ_MAX_CHARS:
            break
    return "\n\n".join(texts), ""


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A .docx is a zip of XML: what it may unpack to, as a multiple of what it may weigh.
_DOCX_UNPACKED = 10


def _docx(part, data: bytes) -> tuple[str, str]:
    """The paragraphs and table rows of a Word document. The sizes its zip declares are
    checked before it is opened (a zip bomb is refused unread); zipfile unpacks no member
    past its declared size, and python-docx parses without entities."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES * _DOCX_UNPACKED
    if unpacked > limit:
        return "", f"it unpacks to {unpacked:,} bytes, more than the desk reads ({limit:,})"
    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines), ""


_READERS = {"text": _text, "html": _html, "eml": _eml, "pdf": _pdf, "docx": _docx}
