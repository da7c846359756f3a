"""Notices by e-mail: a real IMAP server, uploads, routing, and the command-line reader."""

import hashlib
import json
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from notices.mailbox import intake as mail_intake
from notices.mailbox.imap import mailbox_poll
from notices.mailbox.intake import intake_raw
from notices.models import InboundMessage, Letter, Notice
from notices.outbox import letters

pytestmark = pytest.mark.django_db

TAKEDOWN = """\
Received: from mx.northwind-aps.example by mail.iij-america.example; Tue, 24 Nov 2026 14:05:09 +0000
From: Sam Okoye <notices@northwind-aps.example>
To: copyright@iij-america.com
Subject: DMCA notice of copyright infringement - Glass Harbor
Date: Tue, 24 Nov 2026 09:04:51 -0500
Message-ID: <nw-20261124-0001@northwind-aps.example>
Content-Type: text/plain; charset=utf-8

Dear Designated Agent,

I write on behalf of Harborline Pictures LLC, the owner of the copyright in the motion
picture "Glass Harbor" (2025). The original work is described at
https://www.harborline.example/films/glass-harbor

The following infringing copies are hosted on your network:

https://files.example-host.net/share/glass-harbor-1080p.mkv
https://files.example-host.net/share/glass-harbor-720p.mkv

I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.

I swear, under penalty of perjury, that the information in this notification is accurate
and that I am authorized to act on behalf of the owner of the exclusive right that is
allegedly infringed.

Sincerely,
/s/ Sam Okoye
Northwind Anti-Piracy Services, 500 Seventh Avenue, New York, NY 10018
Tel. +1 646 555 0102
notices@northwind-aps.example
"""


def counter_mail(reference: str) -> str:
    return f"""\
From: Dana Whitfield <dana@whitfield.example>
To: copyright@iij-america.com
Subject: Counter notice for {reference}
Date: Wed, 25 Nov 2026 10:00:00 -0500
Message-ID: <counter-1@whitfield.example>

To the Designated Agent, regarding case {reference}:

The material at https://files.example-host.net/share/glass-harbor-1080p.mkv was removed.
I swear, under penalty of perjury, that I have a good faith belief that the material was
removed or disabled as a result of mistake or misidentification of the material.
I consent to the jurisdiction of the Federal District Court for the judicial district in
which my address is located, and I will accept service of process from the person who
provided notification.

Dana Whitfield, 12 Orchard Lane, Burlington, VT 05401, +1 802 555 0177
/s/ Dana Whitfield
"""


AUTO_REPLY = """\
From: Out of Office <away@somewhere.example>
Subject: Automatic reply: your message
Message-ID: <auto-1@somewhere.example>

Thank you for your message. I am out of the office until Monday and will reply when I return.
"""


def test_a_mailed_takedown_becomes_a_case_in_triage():
    inbound = intake_raw(TAKEDOWN.encode())
    notice = inbound.notice
    assert inbound.kind == "takedown" and inbound.created_case
    assert (notice.channel, notice.status) == ("email", "received")
    # Received when it reached our server, not when the sender dated it.
    assert notice.received_at == datetime(2026, 11, 24, 14, 5, 9, tzinfo=UTC)
    locations = list(notice.items.values_list("location", flat=True))
    assert "https://files.example-host.net/share/glass-harbor-1080p.mkv" in locations
    assert "https://www.harborline.example/films/glass-harbor" not in locations
    assert "penalty of perjury" in notice.accuracy_statement  # as the sender worded it
    assert notice.attachments.get().name == "original.eml"
    assert inbound.reading["elements"]["good_faith_statement"]["present"] is True


def test_the_same_message_twice_is_taken_in_once():
    assert intake_raw(TAKEDOWN.encode()) is not None
    assert intake_raw(TAKEDOWN.encode()) is None
    assert Notice.objects.count() == InboundMessage.objects.count() == 1


def test_a_mailed_counter_notice_goes_to_its_case():
    notice = intake_raw(TAKEDOWN.encode()).notice
    inbound = intake_raw(counter_mail(notice.reference).encode())
    assert inbound.kind == "counter_notice"
    assert inbound.notice == notice and not inbound.created_case
    assert notice.events.filter(action="mail.counter_notice").exists()
    assert Notice.objects.count() == 1


def test_other_mail_is_kept_but_makes_no_case():
    inbound = intake_raw(AUTO_REPLY.encode())
    assert inbound.kind == "other" and inbound.notice is None
    assert not Notice.objects.exists()


def test_the_agent_uploads_an_mbox(client):
    user = User.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(user)
    mbox = (
        f"From sender@example Tue Nov 24 14:05:09 2026\n{TAKEDOWN}\n"
        f"From x@example Tue Nov 24 15:00:00 2026\n{AUTO_REPLY}\n"
    )
    response = client.post(
        reverse("admin:notices_inboundmessage_upload"),
        {"file": SimpleUploadedFile("box.mbox", mbox.encode(), "application/mbox")},
        follow=True,
    )
    assert "2 new message(s) read; 1 became case(s)" in response.content.decode()
    listing = client.get(reverse("admin:notices_inboundmessage_changelist")).content.decode()
    assert "Glass Harbor" in listing


def test_the_mailbox_is_read_over_imap(mailbox):
    mailbox.deliver(TAKEDOWN.encode())
    mailbox.deliver(AUTO_REPLY.encode())
    assert mailbox_poll() == 2
    assert mailbox_poll() == 0  # both are marked seen, and known by Message-ID anyway
    notice = Notice.objects.get()
    assert notice.channel == "email"
    assert abs((notice.received_at - datetime.now(UTC)).total_seconds()) < 120  # INTERNALDATE
    assert InboundMessage.objects.count() == 2


def test_parse_notice_prints_json_for_text_and_eml(tmp_path, capsys):
    eml = tmp_path / "notice.eml"
    eml.write_text(TAKEDOWN)
    call_command("parse_notice", str(eml))
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "takedown"
    assert set(result["elements"]) == {
        "signature",
        "copyrighted_work",
        "infringing_material",
        "contact_information",
        "good_faith_statement",
        "accuracy_statement",
    }
    assert "https://files.example-host.net/share/glass-harbor-720p.mkv" in result["infringing"]
    assert "https://www.harborline.example/films/glass-harbor" in result["urls"]
    text = tmp_path / "counter.md"
    text.write_text(counter_mail("DMCA-2026-000001").split("\n\n", 1)[1])
    call_command("parse_notice", str(text))
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "counter_notice"
    assert set(result["elements"]) == {
        "signature",
        "material_identification",
        "mistake_statement",
        "consent_to_jurisdiction",
    }


# ---------------------------------------------------------------------------------------
# Hostile mail: each of these stopped the mailbox on e15c320.

NOTICE_TEXT = TAKEDOWN.split("\n\n", 1)[1]  # a real takedown, so each is worth reading


def hostile(tag: str, *, sender="Mallory <mallory@hostile.example>", subject="", message_id="",
            headers="", body=NOTICE_TEXT) -> bytes:  # fmt: skip
    return (
        f"From: {sender}\nTo: copyright@iij-america.com\nSubject: {subject or tag}\n"
        "Date: Tue, 24 Nov 2026 10:00:00 -0500\n"
        f"Message-ID: {message_id or f'<{tag}@hostile.example>'}\n{headers}\n{body}"
    ).encode()


def nested_multiparts(depth: int) -> bytes:
    opening = "".join(
        f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n" for i in range(depth)
    )
    closing = "".join(f"--b{i}--\n" for i in reversed(range(depth)))
    text = f"--b{depth}\nContent-Type: text/plain\n\n{NOTICE_TEXT}\n--b{depth}--\n"
    return hostile(
        "nested",
        headers="MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n",
        body=opening + text + closing,
    )


def many_urls(count: int) -> str:
    """About a megabyte for 30,000: a takedown listing `count` locations."""
    urls = "\n".join(f"https://files.example-host.net/s/{i:05d}" for i in range(count))
    return NOTICE_TEXT.replace(
        "The following infringing copies are hosted on your network:\n",
        f"The following infringing copies are hosted on your network:\n{urls}\n",
    )


HOSTILE = {
    "unknown charset": hostile(
        "charset", headers="Content-Type: text/plain; charset=x-no-such-charset\n"
    ),
    "From: <": hostile("from-bracket", sender="<"),
    "From of 5,000 (": hostile("from-parens", sender="(" * 5000),
    "multiparts nested 1,500 deep": nested_multiparts(1500),
    "NUL in Subject": hostile("nul-subject", subject="DMCA notice\x00Glass Harbor"),
    "NUL in From": hostile("nul-from", sender="Mallory <mal\x00lory@hostile.example>"),
    "NUL in Message-ID": hostile("nul-id", message_id="<nul\x00id@hostile.example>"),
    "1 MB body of 30,000 URLs": hostile("urls", body=many_urls(30_000)),
    # Python's header parser is quadratic: a megabyte of Subject took 20 s, of From 80 s.
    "a 600 kB header": hostile("header", sender=", ".join(["a@hostile.example"] * 30_000)),
}
# What the agent finds for each: a case read from it, or the message kept as unreadable.
UNREADABLE = {"multiparts nested 1,500 deep"}


def assert_taken_in(inbound: InboundMessage, name: str) -> None:
    assert inbound.original.open("rb").read()  # the original is kept for the agent
    if name in UNREADABLE:
        assert inbound.kind == "unreadable" and inbound.problem, name
        assert inbound.notice is None
    else:
        assert inbound.kind == "takedown" and inbound.created_case, name
        assert inbound.notice.items.exists(), name


def test_hostile_mail_does_not_stop_the_mailbox(mailbox):
    for raw in [*HOSTILE.values(), TAKEDOWN.encode()]:
        mailbox.deliver(raw)
    delivered = mailbox.messages()  # as the server hands them over (a NUL comes as 0x80)

    assert mailbox_poll() == len(HOSTILE) + 1
    stored = {inbound.sha256: inbound for inbound in InboundMessage.objects.all()}
    assert set(stored) == {hashlib.sha256(raw).hexdigest() for raw in delivered}
    for name, raw in zip(HOSTILE, delivered, strict=False):
        assert_taken_in(stored[hashlib.sha256(raw).hexdigest()], name)
    good = stored[hashlib.sha256(delivered[-1]).hexdigest()]
    assert good.notice.complainant_name == "Sam Okoye" and good.notice.channel == "email"

    assert mailbox.unseen() == 0
    assert mailbox_poll() == 0  # nothing is taken twice, nothing is left behind
    assert InboundMessage.objects.count() == len(HOSTILE) + 1


@pytest.fixture
def agent(client):
    user = User.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(user)
    return client


def upload(client, name: str, data: bytes):
    return client.post(
        reverse("admin:notices_inboundmessage_upload"),
        {"file": SimpleUploadedFile(name, data, "application/octet-stream")},
        follow=True,
    )


def test_hostile_mail_uploaded_one_eml_at_a_time_is_each_taken_in(agent):
    for name, raw in HOSTILE.items():
        response = upload(agent, "message.eml", raw)
        assert response.status_code == 200
        assert "1 new message(s) read" in response.content.decode(), name
        assert_taken_in(InboundMessage.objects.get(sha256=hashlib.sha256(raw).hexdigest()), name)


def test_hostile_mail_uploaded_in_one_mbox_is_each_taken_in(agent):
    messages = [*HOSTILE.values(), TAKEDOWN.encode()]
    separator = b"From sender@example Tue Nov 24 14:05:09 2026\n"
    response = upload(agent, "box.mbox", b"".join(separator + raw + b"\n" for raw in messages))
    assert response.status_code == 200
    assert f"{len(messages)} new message(s) read" in response.content.decode()
    originals = {inbound.original.read(): inbound for inbound in InboundMessage.objects.all()}
    assert len(originals) == len(messages)
    for name, raw in HOSTILE.items():
        (inbound,) = [inbound for kept, inbound in originals.items() if raw.strip() in kept]
        assert_taken_in(inbound, name)


def test_the_agent_sees_an_unreadable_message_with_its_reason_and_original(agent):
    raw = HOSTILE["multiparts nested 1,500 deep"]
    upload(agent, "message.eml", raw)
    inbound = InboundMessage.objects.get()
    assert inbound.kind == "unreadable"

    index = agent.get(reverse("admin:index")).content.decode()
    link = re.search(r'<a href="([^"]+)">Messages the desk could not read</a></th><td>1<', index)
    listing = agent.get(unescape(link.group(1))).content.decode()
    assert escape(inbound.problem) in listing
    page = agent.get(reverse("admin:notices_inboundmessage_change", args=[inbound.id]))
    assert escape(inbound.problem) in page.content.decode()
    original = agent.get(reverse("admin:notices_inboundmessage_original", args=[inbound.id]))
    assert b"".join(original.streaming_content) == raw


def test_a_message_whose_case_cannot_be_stored_is_kept_as_unreadable(monkeypatch):
    def broken_notice_submit(**kwargs):
        raise ValueError("a fault met while storing the case")  # any bug not met yet

    monkeypatch.setattr(mail_intake, "notice_submit", broken_notice_submit)
    inbound = intake_raw(TAKEDOWN.encode())
    assert inbound.kind == "unreadable" and "a fault met while storing" in inbound.problem
    assert inbound.reading["kind"] == "takedown"  # what the reader found is kept
    assert inbound.original.read() == TAKEDOWN.encode()
    assert not Notice.objects.exists()
    assert intake_raw(TAKEDOWN.encode()) is None  # the mailbox does not take it again


# ---------------------------------------------------------------------------------------
# Acknowledgements of mailed notices: to the address the message came from, within a limit.


def takedown_mail(number=1, sender="notices@northwind-aps.example",
                  body_email="victim@lanternrow.example") -> bytes:  # fmt: skip
    """The takedown, sent from `sender`, whose text names another address to write to."""
    head, body = TAKEDOWN.replace("<nw-20261124-0001@", f"<nw-{number}@").split("\n\n", 1)
    head = head.replace("<notices@northwind-aps.example>", f"<{sender}>")
    body = body.replace("notices@northwind-aps.example", f"Email: {body_email}")
    return f"{head}\n\n{body}".encode()


def send_letters() -> None:
    for letter in Letter.objects.filter(state="queued"):
        letters.letter_send(letter_id=letter.id)


def test_a_mailed_takedown_is_acknowledged_to_the_address_it_came_from(agent, inbox):
    notice = intake_raw(takedown_mail()).notice
    send_letters()
    (letter,) = inbox.to("notices@northwind-aps.example")
    assert notice.reference in letter["Subject"]
    assert inbox.to("victim@lanternrow.example") == []
    # The address the text gives stays on the case for the agent to see and confirm.
    page = agent.get(reverse("admin:notices_notice_change", args=[notice.id])).content.decode()
    assert "victim@lanternrow.example" in page


def test_past_the_daily_limit_a_mailed_takedown_is_a_case_without_acknowledgement(
    agent, inbox, settings
):
    settings.MAIL_ACKNOWLEDGEMENTS_PER_DAY = 2
    for number in range(3):
        intake_raw(takedown_mail(number))
    intake_raw(takedown_mail(9, sender="desk@harborline.example"))  # another sender's own
    send_letters()
    assert Notice.objects.count() == 4
    assert len(inbox.to("notices@northwind-aps.example")) == 2
    assert len(inbox.to("desk@harborline.example")) == 1
    third = InboundMessage.objects.get(message_id="<nw-2@northwind-aps.example>").notice
    assert not third.letters.exists()
    page = agent.get(reverse("admin:notices_notice_change", args=[third.id])).content.decode()
    assert "No acknowledgement was sent" in page
    assert "2 acknowledgements" in page


def test_the_agent_confirms_another_address_and_the_acknowledgement_goes_there(agent, inbox):
    notice = intake_raw(takedown_mail(sender="<")).notice  # no address to write back to
    assert not notice.letters.exists()
    url = reverse("admin:notices_notice_acknowledge", args=[notice.id])
    form = agent.get(url).content.decode()
    assert 'value="victim@lanternrow.example"' in form  # the text's address, offered
    response = agent.post(url, {"email": "victim@lanternrow.example"})
    assert response.status_code == 302
    send_letters()
    (letter,) = inbox.to("victim@lanternrow.example")
    assert notice.reference in letter["Subject"]
    event = notice.events.get(action="notice.acknowledgement_address")
    assert event.actor == "agent" and event.data["email"] == "victim@lanternrow.example"


# ---------------------------------------------------------------------------------------
# The arrival of an uploaded message: bounded, and a header out of bounds is shown.


def received_on(date: str) -> bytes:
    return TAKEDOWN.replace("Tue, 24 Nov 2026 14:05:09 +0000", date).encode()


def test_a_forged_arrival_date_is_shown_to_the_agent_and_not_trusted(agent, client):
    before = timezone.now()
    upload(agent, "message.eml", received_on("01 Jan 9999 00:00:00 +0000"))
    notice = Notice.objects.get()
    assert notice.reference.startswith(f"DMCA-{timezone.localtime().year}-")
    assert before <= notice.received_at <= timezone.now()  # the upload time
    assert agent.get(reverse("admin:notices_notice_changelist")).status_code == 200
    for url in [
        reverse("admin:notices_notice_change", args=[notice.id]),
        reverse("admin:notices_inboundmessage_change", args=[notice.inbound_messages.get().id]),
    ]:
        assert "01 Jan 9999" in agent.get(url).content.decode()
    client.logout()
    report = client.get(reverse("transparency")).content.decode()
    assert "9998" not in report and "9999" not in report


def test_an_arrival_older_than_the_mailbox_could_have_received_it_is_not_trusted(agent):
    before = timezone.now()
    upload(agent, "message.eml", received_on("Mon, 01 Jan 2001 00:00:00 +0000"))
    notice = Notice.objects.get()
    assert before <= notice.received_at <= timezone.now()
    page = agent.get(reverse("admin:notices_notice_change", args=[notice.id])).content.decode()
    assert "01 Jan 2001" in page
