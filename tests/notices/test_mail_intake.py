"""Notices by e-mail: a real IMAP server, uploads, routing, and the command-line reader."""

import imaplib
import json
import time
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from notices.mail_intake import intake_raw, mailbox_poll
from notices.models import InboundMessage, Notice

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


def test_the_mailbox_is_read_over_imap(imap_server, settings):
    settings.IMAP_HOST, settings.IMAP_PORT = imap_server["host"], imap_server["port"]
    settings.IMAP_SSL, settings.IMAP_FOLDER = False, "INBOX"
    settings.IMAP_USER, settings.IMAP_PASSWORD = imap_server["user"], imap_server["password"]
    with imaplib.IMAP4(imap_server["host"], imap_server["port"]) as client:
        client.login(imap_server["user"], imap_server["password"])
        arrived = imaplib.Time2Internaldate(time.time())
        client.append("INBOX", None, arrived, TAKEDOWN.encode().replace(b"\n", b"\r\n"))
        client.append("INBOX", None, arrived, AUTO_REPLY.encode().replace(b"\n", b"\r\n"))
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
