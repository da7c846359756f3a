"""A notice sent as an attachment: the body only a cover note ("please see the attached
notice") or empty. The mailbox reads the attachments; a case is made from the one that is a
notice, with that file kept on the case, and a cover note none of whose attachments can be
read waits in triage with the reason, never dropped, never made a case."""

import io
import re
import zipfile
import zlib
from email.message import EmailMessage
from html import escape, unescape

import docx
import pytest
import weasyprint
from django.contrib.auth.models import Group, User
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from notices.mailbox.intake import intake_raw
from notices.models import InboundMessage, Notice

pytestmark = pytest.mark.django_db

NOTICE = """\
Dear Designated Agent,

I write on behalf of Harborline Pictures LLC, the owner of the copyright in the motion
picture "Glass Harbor" (2025). The original work is described at
https://www.harborline.example/films/glass-harbor

The following infringing copies are hosted on your network:

https://files.example-host.net/share/glass-harbor-1080p.mkv

I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.

I swear, under penalty of perjury, that the information in this notification is accurate
and that I am authorized to act on behalf of the owner of the exclusive right that is
allegedly infringed.

/s/ Rowan Vale
Vale & Ortiz LLP, 1 Example Plaza, Los Angeles, CA 90067
"""
MATERIAL = "https://files.example-host.net/share/glass-harbor-1080p.mkv"
COVER = """\
Dear Designated Agent,

Please see the attached DMCA notice, sent on behalf of Harborline Pictures LLC.

Regards,
Rowan Vale
"""


def mail(body: str, *attachments, number: int = 1) -> bytes:
    """A message from the law firm; each attachment (data, type, file name)."""
    message = EmailMessage()
    message["From"] = "Rowan Vale <rowan@vale-ortiz.example>"
    message["To"] = "copyright@iij-america.com"
    message["Subject"] = "DMCA notice: Glass Harbor"
    message["Date"] = "Tue, 24 Nov 2026 09:04:51 -0500"
    message["Message-ID"] = f"<cover-{number}@vale-ortiz.example>"
    message.set_content(body)
    for data, content_type, name in attachments:
        if isinstance(data, EmailMessage):
            message.add_attachment(data, filename=name)
            continue
        maintype, subtype = content_type.split("/")
        if isinstance(data, str):
            message.add_attachment(data, subtype=subtype, filename=name)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def pdf_of(text: str, pages: int = 1) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    breaks = '<p style="page-break-before: always">More.</p>' * (pages - 1)
    return weasyprint.HTML(string=f"<body>{paragraphs}{breaks}</body>").write_pdf()


def docx_of(text: str) -> bytes:
    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bomb() -> bytes:
    """A small .docx whose document unpacks to far more than the desk reads."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", " " * 2_000_000)
    return out.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def forwarded(text: str) -> EmailMessage:
    inner = EmailMessage()
    inner["From"] = "Harborline Pictures <legal@harborline.example>"
    inner["Subject"] = "Copyright infringement notice"
    inner.set_content(text)
    return inner


ATTACHED_NOTICES = {
    "text": (NOTICE, "text/plain", "notice.txt"),
    "html": (f"<html><body><pre>{escape(NOTICE)}</pre></body></html>", "text/html", "n.html"),
    "forwarded message": (forwarded(NOTICE), "message/rfc822", "notice.eml"),
    "PDF": (pdf_of(NOTICE), "application/pdf", "Harborline notice.pdf"),
    "Word document": (docx_of(NOTICE), DOCX, "notice.docx"),
}


@pytest.mark.parametrize("attachment", ATTACHED_NOTICES.values(), ids=ATTACHED_NOTICES.keys())
def test_a_notice_attached_to_a_cover_note_becomes_a_case(attachment):
    inbound = intake_raw(mail(COVER, attachment))
    assert inbound.kind == "takedown" and inbound.created_case
    notice = inbound.notice
    assert MATERIAL in notice.items.values_list("location", flat=True)
    assert notice.good_faith_statement and notice.accuracy_statement
    assert notice.signature_name == "Rowan Vale"
    assert notice.email == "rowan@vale-ortiz.example"  # the message's sender
    # The case keeps the message and the file its notice was read from.
    names = set(notice.attachments.values_list("name", flat=True))
    assert names == {"original.eml", attachment[2]}
    assert f"read from the attachment {attachment[2]}" in inbound.reading["not_read"][0]


def test_the_pdf_the_notice_was_read_from_is_kept_on_the_case_as_sent():
    data = pdf_of(NOTICE)
    notice = intake_raw(mail(COVER, (data, "application/pdf", "notice.pdf"))).notice
    kept = notice.attachments.get(name="notice.pdf")
    assert (kept.content_type, kept.file.read()) == ("application/pdf", data)


def test_a_notice_attached_to_an_empty_message_becomes_a_case():
    inbound = intake_raw(mail("", (pdf_of(NOTICE), "application/pdf", "notice.pdf")))
    assert inbound.kind == "takedown" and inbound.created_case
    assert "the message is empty" in inbound.reading["not_read"][0]


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(NOTICE))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_bomb(unpacked: int) -> bytes:
    """A one-page PDF of a few kilobytes whose text stream unpacks to `unpacked` bytes."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (" + b"A" * unpacked + b") Tj ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(b"%PDF-1.4\n"), []
    out.seek(0, io.SEEK_END)
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


UNREADABLE = {
    "a picture": ((b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png", "scan.png"), "image/png"),
    "an encrypted PDF": ((encrypted_pdf(), "application/pdf", "notice.pdf"), "encrypted PDF"),
    "a PDF past the page limit": (
        (pdf_of(NOTICE, pages=4), "application/pdf", "notice.pdf"),
        "4 pages, more than the desk reads (3)",
    ),
    "a PDF past the size limit": (
        (pdf_of(NOTICE) + b"%" * 60_000, "application/pdf", "notice.pdf"),
        "larger",
    ),
    "a broken PDF": ((b"%PDF-1.7\n1 0 obj <<", "application/pdf", "notice.pdf"), "notice.pdf"),
    "a PDF whose text unpacks past the size limit": (
        (pdf_bomb(unpacked=2_000_000), "application/pdf", "notice.pdf"),
        "unpacks to more than the desk reads (50,000 bytes)",
    ),
    "a Word file that unpacks past the limit": ((docx_bomb(), DOCX, "notice.docx"), "unpacks"),
    "an old Word file": ((b"\xd0\xcf\x11\xe0" * 8, "application/msword", "n.doc"), "msword"),
    "a text that is no notice": (
        ("Lunch on Friday at noon?", "text/plain", "note.txt"),
        "read, but it is no notice",
    ),
}


@pytest.mark.parametrize("attachment,reason", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_cover_note_whose_attachment_cannot_be_read_waits_for_the_agent(
    attachment, reason, settings
):
    settings.MAIL_ATTACHMENT_MAX_PAGES = 3
    settings.MAIL_ATTACHMENT_MAX_BYTES = 50_000
    raw = mail(COVER, attachment)
    inbound = intake_raw(raw)
    assert inbound.kind == "cover_note" and inbound.notice is None
    assert inbound.get_kind_display() == "Cover note: notice in an unreadable attachment"
    assert attachment[2] in inbound.problem and reason in inbound.problem
    assert inbound.original.read() == raw  # kept whole, attachment and all
    assert not Notice.objects.exists()


def test_a_cover_note_without_its_attachment_waits_for_the_agent():
    inbound = intake_raw(mail(COVER))
    assert inbound.kind == "cover_note" and "carries no attachment" in inbound.problem
    assert not Notice.objects.exists()


def test_the_first_attachment_that_is_a_notice_makes_the_case():
    picture = (b"\x89PNG\r\n\x1a\n", "image/png", "logo.png")
    inbound = intake_raw(mail(COVER, picture, (NOTICE, "text/plain", "notice.txt")))
    assert inbound.kind == "takedown"
    assert "notice.txt" in inbound.notice.attachments.values_list("name", flat=True)


def test_a_notice_in_the_body_is_read_from_the_body_whatever_it_attaches():
    inbound = intake_raw(mail(NOTICE, (b"\x89PNG\r\n\x1a\n", "image/png", "proof.png")))
    assert inbound.kind == "takedown"
    assert inbound.reading["not_read"] == []
    assert list(inbound.notice.attachments.values_list("name", flat=True)) == ["original.eml"]


@pytest.fixture
def agent(client):
    user = User.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(user)
    return client


def test_the_agent_finds_cover_notes_on_the_desk_with_the_reason(agent):
    intake_raw(mail(COVER, (b"\x89PNG\r\n\x1a\n", "image/png", "scan.png")))
    inbound = InboundMessage.objects.get()
    index = agent.get(reverse("admin:index")).content.decode()
    row = r'<a href="([^"]+)">Cover notes whose notice is in an attachment the desk could not read'
    link = re.search(row + r"</a></th><td>1<", index)
    listing = agent.get(unescape(link.group(1))).content.decode()
    assert "Cover note: notice in an unreadable attachment" in listing
    assert escape("scan.png: the desk reads no text in a file of type image/png") in listing
    page = agent.get(reverse("admin:notices_inboundmessage_change", args=[inbound.id]))
    assert escape(inbound.problem) in page.content.decode()
