"""Legal records as PDF, read back with pypdf: complete, numbered, hashed, redacted."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from counternotices.services import counter_notice_submit, counter_notices_sweep
from notices.core.intake import notice_submit
from notices.core.statutory import Item, Work
from notices.models import Channel, NoticeEvent
from notices.records.documents import document_generate
from tests.conftest import pdf_reader, pdf_text
from tests.factories import counter_submission, submission, subscriber

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")

# Real-looking personal data in every field, including free text that hides more of it.
PERSONAL = {
    "email": "priya.natarajan@brightline-media.example",
    "phone": "+12125550187",
    "street": "742 Evergreen Terrace, Apt 5B",
    "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
    "ip": "203.0.113.77",
    "free_phone": "(646) 555-0134",
    "free_email": "p.natarajan.legal@gmail.example",
    "free_ip": "192.0.2.201",
    "counter_street": "12 Orchard Lane",
    "counter_phone": "+18025550177",
    "counter_email": "dana@whitfield.example",
}


@pytest.fixture
def case():
    from iija_compliance.lib.signing import Signing
    from notices.core.cases import notice_accept, notice_disable_material

    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = notice_submit(
        submission=submission(
            name="Priya Natarajan",
            organization="Brightline Media Group",
            email=PERSONAL["email"],
            phone=PERSONAL["phone"],
            street=PERSONAL["street"],
            signature_name="Priya Natarajan",
            works=[
                Work(
                    f"Documentary “Tidewater”. Questions: call {PERSONAL['free_phone']} or "
                    f"write to {PERSONAL['free_email']}."
                )
            ],
            items=[
                Item(
                    "https://files.example-host.net/share/tidewater.mp4",
                    f"uploaded from {PERSONAL['free_ip']}",
                ),
                Item("198.51.100.23"),
            ],
        ),
        channel=Channel.WEB,
        actor="public form",
        signing=Signing(ip=PERSONAL["ip"], user_agent=PERSONAL["user_agent"]),
        received_at=datetime(2026, 11, 2, 9, 30, tzinfo=NY),
    )
    notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.get(subscriber=harbor)
    notice_disable_material(
        notice_id=notice.id, actions={item.id: "access_disabled"}, actor="agent"
    )
    counter_notice_submit(
        notice_id=notice.id,
        subscriber_id=harbor.id,
        item_ids=[item.id],
        submission=counter_submission(
            street=PERSONAL["counter_street"],
            phone=PERSONAL["counter_phone"],
            email=PERSONAL["counter_email"],
        ),
        channel=Channel.EMAIL,
        actor="agent",
        original=SimpleUploadedFile("counter.eml", b"From: dana\r\n\r\ncounter", "message/rfc822"),
        received_at=datetime(2026, 11, 5, 10, 0, tzinfo=NY),
    )
    counter_notices_sweep(now=datetime(2026, 11, 21, 9, 0, tzinfo=NY))  # day 10 has ended
    return notice


def test_the_notice_record_has_every_part(case):
    document = document_generate(notice=case, kind="notice", version="internal", actor="legal")
    text = pdf_text(document)
    for part in [
        case.reference,
        "Notice of claimed infringement",
        "Web form",
        "November 2, 2026, 9:30 AM EST",
        "Brightline Media Group",
        PERSONAL["email"],
        PERSONAL["phone"],
        PERSONAL["ip"],
        "§ 512(c)(3)(A)(i)",
        "§ 512(c)(3)(A)(vi)",
        "good faith belief",
        "Documentary “Tidewater”",
        "https://files.example-host.net/share/tidewater.mp4",
        "198.51.100.23",
        "Access disabled",
        case.attachments.get().sha256,
        "Page 1 of",
        "IIJ America Inc. · Designated Agent",
    ]:
        assert part in text, part


def test_the_stored_hash_is_the_hash_of_the_file_and_the_generation_is_logged(case):
    document = document_generate(notice=case, kind="case_file", version="internal", actor="legal")
    with document.file.open("rb") as pdf:
        assert hashlib.sha256(pdf.read()).hexdigest() == document.sha256
    event = NoticeEvent.objects.get(action="document.generated", data__document=document.id)
    assert (event.actor, event.data["sha256"]) == ("legal", document.sha256)


def test_pdf_metadata_and_page_numbers_on_every_page(case):
    document = document_generate(notice=case, kind="case_file", version="internal", actor="legal")
    pdf = pdf_reader(document)
    assert pdf.metadata.title == f"Case file: {case.reference}"
    assert pdf.metadata.author == "IIJ America Inc., Designated Agent"
    assert pdf.metadata.creation_date is not None
    pages = len(pdf.pages)
    assert pages >= 4
    for number, page in enumerate(pdf.pages, start=1):
        assert (page.mediabox.width, page.mediabox.height) == (612, 792)  # US Letter
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert case.reference in text  # the running header


def test_the_case_file_has_cover_timeline_counter_notice_letters_and_attachments(case):
    document = document_generate(notice=case, kind="case_file", version="internal", actor="legal")
    text = pdf_text(document)
    for part in [
        "Key dates and deadlines",
        "Counter notice from C-1",
        "November 20, 2026",
        "1. Timeline",
        "Counter notice recorded",
        "Restoration window",
        "Counter notices",
        "Restore not after (day 14)",
        "Counter-notice copy to the complainant",
        "Restoration request to operations",
        "counter.eml",
        case.counter_notices.get().original.sha256,
    ]:
        assert part in text, part


@pytest.mark.parametrize("kind", ["notice", "case_file"])
def test_the_shareable_version_has_none_of_the_personal_values(case, kind):
    internal = pdf_text(
        document_generate(notice=case, kind=kind, version="internal", actor="legal")
    )
    shareable = pdf_text(
        document_generate(notice=case, kind=kind, version="shareable", actor="legal")
    )
    present = [value for value in PERSONAL.values() if value in internal]
    assert len(present) >= 5  # the internal record really carries them
    for value in PERSONAL.values():
        assert value not in shareable, value
    assert "[removed]" in shareable
    # What is not personal stays: names, the material's locations, the statute.
    for kept in ["Priya Natarajan", "198.51.100.23", "tidewater.mp4", "§ 512(c)(3)(A)(iv)"]:
        assert kept in shareable, kept


def test_each_letter_and_counter_notice_as_a_record(case):
    letter = case.letters.get(kind="counter_notice_copy")
    text = pdf_text(
        document_generate(
            notice=case, kind="letter", version="internal", actor="legal", subject_id=letter.id
        )
    )
    assert letter.message_id in text and PERSONAL["counter_phone"] in text
    counter = case.counter_notices.get()
    text = pdf_text(
        document_generate(
            notice=case,
            kind="counter_notice",
            version="shareable",
            actor="legal",
            subject_id=counter.id,
        )
    )
    words = " ".join(text.split())
    assert "Restore once this day has ended (day 10)" in words and "November 20, 2026" in words
    assert PERSONAL["counter_street"] not in text and PERSONAL["counter_phone"] not in text


def test_rendering_fetches_nothing_outside_the_project():
    from iija_compliance.lib.pdf import LocalAssetFetcher

    fetcher = LocalAssetFetcher(allowed_protocols={"file"})
    for url in ["https://example.com/x.css", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
