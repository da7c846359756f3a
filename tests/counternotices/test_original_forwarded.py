"""§ 512(g)(2)(B): the complaining party gets "a copy of the counter notification". A
counter notice that came by post, e-mail or fax goes with the original document itself."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from counternotices.services import counter_notice_submit
from notices.models import Letter, Notice
from notices.outbox.letters import letter_send
from tests.factories import counter_submission, notified_case

pytestmark = pytest.mark.django_db

COMPLAINANT = "m.okafor@lanternrow.example"
ORIGINAL = b"%PDF-1.4 counter notice signed by Dana Whitfield"


def logged_by_post(notice, notification):
    item = notice.items.get(subscriber=notification.subscriber)
    return counter_notice_submit(
        notice_id=notice.id,
        subscriber_id=notification.subscriber_id,
        item_ids=[item.id],
        submission=counter_submission(),
        channel="post",
        actor="agent",
        received_at=timezone.now() - timedelta(hours=2),
        original=SimpleUploadedFile("counter-notice.pdf", ORIGINAL, "application/pdf"),
    )


def copy_letter(notice) -> Letter:
    return notice.letters.get(kind="counter_notice_copy")


def test_the_complainants_copy_by_e_mail_carries_the_original(inbox):
    notice, notification = notified_case()
    logged_by_post(notice, notification)
    letter = copy_letter(notice)
    letter_send(letter_id=letter.id)

    (copy,) = [m for m in inbox.wait_for(COMPLAINANT) if m["Message-ID"] == letter.message_id]
    (attached,) = list(copy.iter_attachments())
    assert attached.get_filename() == "counter-notice.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == ORIGINAL
    assert "goes with this letter: counter-notice.pdf" in copy.get_body(("plain",)).get_content()


def test_a_counter_notice_filed_on_the_web_has_no_original_to_attach(inbox):
    from tests.factories import counter_notice

    notice, notification = notified_case()
    counter_notice(notice, notification, notice.items.get(subscriber=notification.subscriber))
    letter = copy_letter(notice)
    letter_send(letter_id=letter.id)
    (copy,) = [m for m in inbox.wait_for(COMPLAINANT) if m["Message-ID"] == letter.message_id]
    assert list(copy.iter_attachments()) == []


def test_a_copy_to_post_lists_the_original_to_print_with_it(client):
    notice, notification = notified_case()
    Notice.objects.filter(id=notice.id).update(email="")
    notice.refresh_from_db()
    counter = logged_by_post(notice, notification)
    letter = copy_letter(notice)
    assert letter.state == "to_post"
    assert list(letter.attachments.all()) == [counter.original]
    assert "goes with this letter: counter-notice.pdf" in letter.body_text

    agent = User.objects.create_user("agent", password="x", is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(agent)
    page = client.get(reverse("admin:notices_notice_change", args=[notice.id])).text
    link = reverse("admin:notices_notice_attachment", args=[notice.id, counter.original.id])
    assert "Print and post with it" in page
    assert f'href="{link}">counter-notice.pdf</a>' in page
    assert client.get(link).getvalue() == ORIGINAL


def test_a_resent_copy_carries_the_original_again(inbox):
    from notices.outbox.letters import letter_resend

    notice, notification = notified_case()
    logged_by_post(notice, notification)
    again = letter_resend(letter_id=copy_letter(notice).id, actor="agent")
    letter_send(letter_id=again.id)
    (copy,) = [m for m in inbox.wait_for(COMPLAINANT) if m["Message-ID"] == again.message_id]
    assert [a.get_content() for a in copy.iter_attachments()] == [ORIGINAL]
