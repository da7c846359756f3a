"""Triage letters through the real broker, Celery worker and SMTP server, each once."""

import pytest

from notices.core import cases, intake
from notices.models import Channel
from tests.factories import submission, subscriber, web_notice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_deficiency_letter_reaches_the_complainant_once(celery_worker, inbox):
    address = "e2e-deficient@lanternrow.example"
    notice = intake.notice_submit(
        submission=submission(email=address, signature_name=""),
        channel=Channel.EMAIL,
        actor="agent",
    )
    cases.notice_mark_deficient(notice_id=notice.id, actor="agent")
    messages = inbox.wait_for(address, count=2)
    subjects = sorted(m["Subject"] for m in messages)
    assert subjects == [
        f"{notice.reference}: we received your copyright notice",
        f"{notice.reference}: your copyright notice is missing required information",
    ]
    body = next(m for m in messages if "missing" in m["Subject"]).get_body(("plain",))
    assert "§ 512(c)(3)(A)(i), Signature" in body.get_content()


def test_the_rejection_letter_reaches_the_complainant_once(celery_worker, inbox):
    address = "e2e-rejected@lanternrow.example"
    notice = web_notice(email=address)
    cases.notice_reject(notice_id=notice.id, reason="not_copyright", actor="agent")
    messages = inbox.wait_for(address, count=2)
    assert len(messages) == 2
    rejection = next(m for m in messages if "cannot act" in m["Subject"])
    assert "Not a copyright claim" in rejection.get_body(("plain",)).get_content()


def test_the_subscriber_is_notified_after_the_takedown(celery_worker, inbox):
    harbor = subscriber("C-77", "Harbor Cloud", [("domain", "example-host.net")])
    notice = web_notice(email="e2e-takedown@lanternrow.example")
    cases.notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.get(subscriber=harbor)
    cases.notice_disable_material(
        notice_id=notice.id, actions={item.id: "access_disabled"}, actor="agent"
    )
    (message,) = inbox.wait_for(harbor.notice_email)
    body = message.get_body(("plain",)).get_content()
    assert "https://files.example-host.net/share/night-roads.zip: Access disabled" in body
    token = notice.notifications.get().token
    assert f"/counter-notices/new/{token}/" in body
    assert "m.okafor@lanternrow.example" not in body
    # The acknowledgement and the takedown report; nothing of the subscriber's.
    to_complainant = inbox.wait_for("e2e-takedown@lanternrow.example", count=2)
    assert len(to_complainant) == 2
    assert f"/counter-notices/new/{token}/" not in str(to_complainant)
