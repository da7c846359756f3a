"""The agent's triage services: deficiency, rejection, acceptance, takedown, revision."""

from datetime import UTC, datetime

import pytest

from notices.core import cases, intake
from notices.core.statutory import Item
from notices.models import Channel, Letter, Notice, NoticeEvent, SubscriberNotification
from notices.outbox.letters import letter_mark_posted
from tests.factories import submission, subscriber, web_notice

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


def logged_notice(**changes) -> Notice:
    """A notice that came by post, logged as it was, possibly incomplete."""
    return intake.notice_submit(
        submission=submission(**changes), channel=Channel.POST, actor="agent", now=NOW
    )


def last_letter(notice: Notice) -> Letter:
    return notice.letters.order_by("-id").first()


def test_start_review_is_recorded_with_who_and_when():
    notice = web_notice()
    cases.notice_start_review(notice_id=notice.id, actor="agent", now=NOW)
    event = notice.events.get(action="notice.start_review")
    assert (event.actor, event.at, event.from_status, event.to_status) == (
        "agent",
        NOW,
        "received",
        "in_review",
    )


def test_a_deficiency_letter_names_each_missing_element_and_its_subsection():
    notice = logged_notice(signature_name="", accuracy_statement=False)
    cases.notice_mark_deficient(notice_id=notice.id, actor="agent", note="Please sign it.", now=NOW)
    notice.refresh_from_db()
    assert notice.status == "deficient"
    letter = last_letter(notice)
    assert letter.kind == "deficiency"
    assert letter.to_email == "m.okafor@lanternrow.example"
    for text in [
        "§ 512(c)(3)(A)(i), Signature of a person authorized to act",
        "§ 512(c)(3)(A)(vi), Statement of accuracy and authority",
        "§ 512(c)(3)(B)(ii)",
        "Please sign it.",
        f"/notices/status/{notice.status_token}/",
    ]:
        assert text in letter.body_text
    assert "(ii), The copyrighted work" not in letter.body_text
    event = notice.events.get(action="notice.mark_deficient")
    assert event.data["missing"] == ["signature", "accuracy_statement"]


def test_no_deficiency_letter_for_a_complete_notice_or_one_that_does_not_substantially_comply():
    complete = web_notice()
    with pytest.raises(cases.NoticeError, match="accept it instead"):
        cases.notice_mark_deficient(notice_id=complete.id, actor="agent")
    hopeless = logged_notice(items=[])
    with pytest.raises(cases.NoticeError, match="reject it"):
        cases.notice_mark_deficient(notice_id=hopeless.id, actor="agent")
    assert Notice.objects.get(id=hopeless.id).status == "received"


def test_a_rejection_gives_the_reason_and_tells_the_complainant():
    notice = web_notice()
    cases.notice_reject(
        notice_id=notice.id, reason="not_on_network", note="That host is not ours.", actor="agent"
    )
    notice.refresh_from_db()
    assert (notice.status, notice.rejection_reason) == ("rejected", "not_on_network")
    letter = last_letter(notice)
    assert letter.kind == "rejection"
    assert "The material is not on our network" in letter.body_text
    assert "That host is not ours." in letter.body_text


def test_an_incomplete_notice_cannot_be_accepted():
    notice = logged_notice(good_faith_statement=False)
    with pytest.raises(cases.NoticeError, match=r"§ 512\(c\)\(3\)\(A\)\(v\)"):
        cases.notice_accept(notice_id=notice.id, actor="agent")


def test_takedown_records_each_item_and_notifies_each_subscriber():
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    quay = subscriber("C-2", "Quay Servers", [("network", "198.51.100.0/24")])
    notice = web_notice()
    first, second = notice.items.all()
    assert (first.subscriber, second.subscriber) == (harbor, quay)
    cases.notice_accept(notice_id=notice.id, actor="agent")

    cases.notice_disable_material(
        notice_id=notice.id,
        actions={first.id: "access_disabled", second.id: "removed"},
        actor="agent",
        now=NOW,
    )
    notice.refresh_from_db()
    assert notice.status == "subscriber_notified"
    first.refresh_from_db()
    assert (first.action, first.actioned_at) == ("access_disabled", NOW)
    notifications = SubscriberNotification.objects.filter(notice=notice)
    assert {n.subscriber for n in notifications} == {harbor, quay}
    letter = notifications.get(subscriber=harbor).letter
    assert letter.to_email == harbor.notice_email
    body = letter.body_text
    assert "sent by Maria Okafor of Lantern Row Records LLC, who states" in " ".join(body.split())
    assert "https://files.example-host.net/share/night-roads.zip: Access disabled" in body
    assert "198.51.100.23" not in body  # the other subscriber's item
    assert f"/counter-notices/new/{notifications.get(subscriber=harbor).token}/" in body
    for personal in ["m.okafor@lanternrow.example", "+17185550143", "410 Harbor Avenue"]:
        assert personal not in body and personal not in letter.body_html
    actions = list(notice.events.values_list("action", flat=True))
    assert actions[-2:] == ["notice.disable_material", "notice.notify_subscribers"]


def test_material_is_taken_down_before_its_subscriber_is_known_and_notified_once_matched():
    """§ 512(c)(1)(C) "expeditiously": the takedown does not wait for the match."""
    notice = web_notice()
    cases.notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.first()
    cases.notice_disable_material(notice_id=notice.id, actions={item.id: "removed"}, actor="agent")
    notice.refresh_from_db()
    item.refresh_from_db()
    assert (notice.status, item.action, item.subscriber) == ("material_disabled", "removed", None)
    assert "no subscriber known yet" in notice.events.get(action="notice.unmatched_material").note
    assert not notice.letters.filter(kind="subscriber_notification").exists()
    harbor = subscriber("C-1", "Harbor Cloud", [])
    cases.item_assign_subscriber(item_id=item.id, subscriber_id=harbor.id, actor="agent")
    notice.refresh_from_db()
    assert notice.status == "subscriber_notified"
    letter = notice.letters.get(kind="subscriber_notification")
    assert letter.to_email == harbor.notice_email
    assert notice.notifications.get().subscriber == harbor
    # Matched and notified, the item's subscriber is settled.
    with pytest.raises(cases.NoticeError, match="already acted on"):
        cases.item_assign_subscriber(item_id=item.id, subscriber_id=None, actor="agent")


def test_takedown_needs_at_least_one_item_acted_on():
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = web_notice()
    cases.notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.first()
    with pytest.raises(cases.NoticeError, match="no item was acted on"):
        cases.notice_disable_material(
            notice_id=notice.id, actions={item.id: "not_actioned"}, actor="agent"
        )


def test_a_corrected_notice_is_a_new_case_linked_to_the_deficient_one():
    original = logged_notice(signature_name="")
    cases.notice_mark_deficient(notice_id=original.id, actor="agent")
    revision = intake.notice_revise(
        original=original, submission=submission(), signing=intake.Signing(ip="203.0.113.9")
    )
    original.refresh_from_db()
    assert revision.revises == original
    assert revision.status == "received"
    assert original.status == "closed"
    closing = original.events.get(action="notice.close")
    assert closing.note == f"Corrected by {revision.reference}"
    with pytest.raises(cases.NoticeError, match="not waiting for a corrected notice"):
        intake.notice_revise(original=original, submission=submission(), signing=intake.Signing())


def test_a_logged_notice_keeps_what_the_original_says_even_if_incomplete():
    notice = logged_notice(phone="", items=[Item("see attached spreadsheet")])
    assert notice.channel == "post"
    item = notice.items.get()
    assert (item.location, item.kind, item.host) == ("see attached spreadsheet", "", "")
    assert NoticeEvent.objects.filter(notice=notice, action="notice.received").exists()


def test_a_stored_letter_can_be_resent_word_for_word():
    from notices.outbox.letters import letter_resend

    notice = web_notice()
    original = notice.letters.get()
    copy = letter_resend(letter_id=original.id, actor="agent")
    assert copy.id != original.id
    assert (copy.subject, copy.body_text, copy.to_email) == (
        original.subject,
        original.body_text,
        original.to_email,
    )
    assert copy.message_id != original.message_id
    assert notice.events.filter(action="letter.resent").count() == 1


def test_a_paper_notice_without_e_mail_gets_its_deficiency_letter_by_post():
    """§ 512(c)(3)(A)(iv): an e-mail address only "if available". A street address and a
    telephone satisfy (iv); the letter is written and waits to be posted, never skipped."""
    notice = logged_notice(email="", signature_name="")
    checks = {
        c.element.id: c for c in cases.statutory.check_notice(cases.statutory.submission_of(notice))
    }
    assert checks["contact_information"].satisfied
    cases.notice_mark_deficient(notice_id=notice.id, actor="agent", now=NOW)
    letter = last_letter(notice)
    assert (letter.kind, letter.to_email, letter.state) == ("deficiency", "", "to_post")
    assert notice.letters.get(kind="acknowledgement").state == "to_post"
    posted = letter_mark_posted(letter_id=letter.id, actor="agent", now=NOW)
    assert posted.state == "posted" and posted.sent_at is not None
    assert notice.events.filter(action="letter.posted").exists()


def test_a_paper_notice_without_e_mail_gets_its_takedown_report_by_post():
    """The complainant is told what was done to each location even with no e-mail address:
    the report waits among the letters to post, written, with each location's outcome."""
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = logged_notice(email="")
    cases.notice_accept(notice_id=notice.id, actor="agent")
    first, second = notice.items.all()
    cases.notice_disable_material(
        notice_id=notice.id,
        actions={first.id: "removed", second.id: "not_actioned"},
        actor="agent",
        now=NOW,
    )
    report = notice.letters.get(kind="material_actioned")
    assert (report.to_email, report.state) == ("", "to_post")
    assert f"- {first.location} Material removed" in " ".join(report.body_text.split())


def test_the_deficiency_refusal_names_the_elements_the_checklist_shows_missing():
    notice = logged_notice(items=[Item("the usual place")], signature_name="")
    with pytest.raises(cases.NoticeError) as refused:
        cases.notice_mark_deficient(notice_id=notice.id, actor="agent", now=NOW)
    message = str(refused.value)
    assert "it lacks § 512(c)(3)(A)(iii)" in message
    assert "(ii)" not in message.split("so it does not")[0]  # (ii) is present: not named


def test_a_notice_that_substantially_complies_cannot_be_rejected_as_not_compliant():
    """§ 512(c)(3)(B)(ii): (ii), (iii) and (iv) present call for an attempt to contact."""
    notice = logged_notice(signature_name="", good_faith_statement=False)
    with pytest.raises(cases.NoticeError, match="calls for a deficiency letter"):
        cases.notice_reject(notice_id=notice.id, reason="not_compliant", actor="agent", now=NOW)
    cases.notice_reject(notice_id=notice.id, reason="duplicate", actor="agent", now=NOW)
    assert Notice.objects.get(id=notice.id).status == "rejected"


def test_a_notice_without_ii_iii_or_iv_can_be_rejected_as_not_compliant():
    notice = logged_notice(works=[], street="", phone="", email="")
    cases.notice_reject(notice_id=notice.id, reason="not_compliant", actor="agent", now=NOW)
    assert last_letter(notice).state == "to_post"
