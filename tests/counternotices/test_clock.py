"""The statutory clock: receipt, day 9, day 10, day 14, court actions, withdrawal.

Services take the time as a parameter: these tests move the clock instead of waiting.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from counternotices.models import CounterNotice
from counternotices.services import (
    counter_notice_confirm_restored,
    counter_notice_submit,
    counter_notices_sweep,
    court_action_report,
)
from notices.core.cases import NoticeError, notice_withdraw
from notices.models import Channel, Notice
from notices.outbox.letters import letter_send
from tests.factories import counter_submission, notified_case

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
# The worked example of the statute digest: received Friday 2026-12-18.
RECEIVED = datetime(2026, 12, 18, 15, 30, tzinfo=NY)
DAY_9 = datetime(2027, 1, 4, 23, 59, tzinfo=NY)
DAY_10_LAST_MINUTE = datetime(2027, 1, 5, 23, 59, tzinfo=NY)
# § 512(g)(2)(C): "not less than 10 business days following receipt": day 10 has ended.
DAY_10 = datetime(2027, 1, 6, 0, 1, tzinfo=NY)
DAY_13 = datetime(2027, 1, 8, 17, 0, tzinfo=NY)
DAY_14 = datetime(2027, 1, 11, 0, 1, tzinfo=NY)


def file_counter(notice, notification, **changes) -> CounterNotice:
    item = notice.items.get(subscriber=notification.subscriber)
    return counter_notice_submit(
        notice_id=notice.id,
        subscriber_id=notification.subscriber_id,
        item_ids=[item.id],
        submission=counter_submission(**changes),
        channel=Channel.WEB,
        actor="subscriber",
        notification=notification,
        now=RECEIVED,
    )


@pytest.fixture
def counter():
    notice, notification = notified_case(now=RECEIVED - timedelta(days=3))
    return file_counter(notice, notification)


def kinds(notice) -> list[str]:
    return list(notice.letters.order_by("id").values_list("kind", flat=True))


def test_receipt_stores_the_window_and_forwards_a_copy(counter):
    notice = counter.notice
    assert (counter.restore_not_before, counter.restore_not_after) == (
        date(2027, 1, 5),
        date(2027, 1, 11),
    )
    assert notice.status == "counter_noticed"
    assert counter.consent_statement.startswith("I consent to the jurisdiction of the Federal")
    assert "penalty of perjury" in counter.mistake_statement
    copy = notice.letters.get(kind="counter_notice_copy")
    assert copy.to_email == "m.okafor@lanternrow.example"
    for text in [
        "Dana Whitfield",  # § 512(g)(2)(B): the complaining party gets the contact details
        "12 Orchard Lane, Burlington, VT 05401, United States of America",
        "+18025550177",
        "once Tuesday, January 5, 2027 has ended (the 10th business day after we received",
        "unless our Designated Agent first receives notice from you that you have filed an action",
        "https://files.example-host.net/share/night-roads.zip",
    ]:
        assert text in copy.body_text, text
    receipt = notice.letters.get(kind="counter_notice_receipt")
    assert receipt.to_email == "dana@whitfield.example"
    assert (
        "once Tuesday, January 5, 2027 has ended (the 10th business day after receipt, New York "
        "time) and no later than Monday, January 11, 2027" in receipt.body_text
    )
    event = notice.events.get(action="notice.counter_notice")
    assert event.data["restore_not_before"] == "2027-01-05"


def test_the_complainants_copy_gives_name_address_and_telephone_only(counter, inbox):
    """§ 512(g)(3)(D), and the form's own words: not the subscriber's e-mail address."""
    letter_send(letter_id=counter.notice.letters.get(kind="counter_notice_copy").id)
    (message,) = inbox.to("m.okafor@lanternrow.example")
    for part in ("plain", "html"):
        text = message.get_body((part,)).get_content()
        for value in ["Dana Whitfield", "12 Orchard Lane", "Burlington", "+18025550177"]:
            assert value in text, (part, value)
        assert "dana@whitfield.example" not in text, part
        assert "whitfield.example" not in text, part


def test_a_foreign_subscriber_consents_to_the_providers_district():
    notice, notification = notified_case()
    counter = file_counter(notice, notification, country="DE", region="", postal_code="20095")
    assert (
        "any judicial district in which IIJ America Inc. may be found" in counter.consent_statement
    )


def test_an_incomplete_web_counter_notice_is_refused_and_nothing_is_stored():
    notice, notification = notified_case()
    with pytest.raises(NoticeError):
        file_counter(notice, notification, mistake_statement=False)
    assert CounterNotice.objects.count() == 0
    assert Notice.objects.get(id=notice.id).status == "subscriber_notified"


def test_only_the_subscribers_own_acted_on_material_can_be_countered():
    notice, notification = notified_case()
    other = notice.items.exclude(subscriber=notification.subscriber).get()
    with pytest.raises(NoticeError, match="Choose material of yours"):
        counter_notice_submit(
            notice_id=notice.id,
            subscriber_id=notification.subscriber_id,
            item_ids=[other.id],
            submission=counter_submission(),
            channel=Channel.WEB,
            actor="subscriber",
        )


@pytest.mark.parametrize("moment", [DAY_9, DAY_10_LAST_MINUTE])
def test_nothing_happens_until_day_10_has_ended(counter, moment):
    letters = kinds(counter.notice)
    assert counter_notices_sweep(now=moment) == {"opened": 0, "escalated": 0}
    counter.refresh_from_db()
    assert counter.state == "pending"
    assert kinds(counter.notice) == letters


def test_the_end_of_day_10_opens_restoration_once(counter):
    assert counter_notices_sweep(now=DAY_10) == {"opened": 1, "escalated": 0}
    assert counter_notices_sweep(now=DAY_10 + timedelta(minutes=1)) == {"opened": 0, "escalated": 0}
    counter.refresh_from_db()
    notice = Notice.objects.get(id=counter.notice_id)
    assert (counter.state, counter.due_at) == ("due", DAY_10)
    assert notice.status == "restoration_scheduled"
    request, told = notice.letters.filter(kind__startswith="restoration_").order_by("id")
    assert (request.kind, request.to_email) == ("restoration_request", "noc@iij-america.com")
    assert "https://files.example-host.net/share/night-roads.zip" in request.body_text
    assert (told.kind, told.to_email) == ("restoration_subscriber", counter.subscriber.notice_email)


def test_a_sweep_after_beat_was_down_for_days_catches_up(counter):
    assert counter_notices_sweep(now=DAY_13) == {"opened": 1, "escalated": 0}


def test_day_14_escalates_an_unconfirmed_restoration_once(counter):
    counter_notices_sweep(now=DAY_10)
    assert counter_notices_sweep(now=DAY_13) == {"opened": 0, "escalated": 0}
    assert counter_notices_sweep(now=DAY_14) == {"opened": 0, "escalated": 1}
    assert counter_notices_sweep(now=DAY_14 + timedelta(hours=1)) == {"opened": 0, "escalated": 0}
    overdue = counter.notice.letters.get(kind="restoration_overdue")
    assert overdue.to_email == "copyright@iij-america.com"
    assert "must be restored no later than today, Monday, January 11, 2027" in overdue.body_text


def test_confirming_the_restoration_ends_the_clock_and_tells_both_parties(counter):
    counter_notices_sweep(now=DAY_10)
    counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent", now=DAY_13)
    counter.refresh_from_db()
    notice = Notice.objects.get(id=counter.notice_id)
    assert (counter.state, notice.status) == ("restored", "restored")
    assert notice.items.get(id__in=counter.items.all()).restored_at == DAY_13
    assert {"restored_complainant", "restored_subscriber"} <= set(kinds(notice))
    assert counter_notices_sweep(now=DAY_14) == {"opened": 0, "escalated": 0}


def test_restoration_cannot_be_confirmed_before_it_is_due(counter):
    with pytest.raises(NoticeError, match="only once it is due"):
        counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent")


def test_a_court_action_on_day_5_stops_the_restoration(counter):
    day_5 = datetime(2026, 12, 29, 11, 0, tzinfo=NY)
    complaint = SimpleUploadedFile("complaint.pdf", b"%PDF-1.4 complaint", "application/pdf")
    action = court_action_report(
        notice_id=counter.notice_id,
        court="U.S. District Court for the Southern District of New York",
        case_number="1:26-cv-09876",
        filed_on=date(2026, 12, 28),
        complaint=complaint,
        reported_by="complainant",
        now=day_5,
    )
    assert action.stopped_restoration
    assert len(action.complaint.sha256) == 64
    notice = Notice.objects.get(id=counter.notice_id)
    assert notice.status == "court_action_filed"
    counter.refresh_from_db()
    assert counter.state == "cancelled"
    assert counter_notices_sweep(now=DAY_10) == {"opened": 0, "escalated": 0}
    assert "restoration_request" not in kinds(notice)
    told = notice.letters.get(kind="court_action_subscriber")
    assert told.to_email == "dana@whitfield.example"
    assert "1:26-cv-09876" in told.body_text
    assert notice.letters.filter(kind="court_action_received").exists()


def test_a_court_action_after_restoration_is_recorded_without_stopping_anything(counter):
    counter_notices_sweep(now=DAY_10)
    counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent", now=DAY_13)
    action = court_action_report(
        notice_id=counter.notice_id,
        court="S.D.N.Y.",
        case_number="1:27-cv-00001",
        filed_on=date(2027, 1, 12),
        complaint=None,
        reported_by="legal",
    )
    assert not action.stopped_restoration
    assert Notice.objects.get(id=counter.notice_id).status == "restored"


def test_a_court_action_before_any_counter_notice_is_refused():
    notice, _ = notified_case()
    with pytest.raises(NoticeError, match="only after a counter notice"):
        court_action_report(
            notice_id=notice.id,
            court="S.D.N.Y.",
            case_number="1",
            filed_on=date(2026, 11, 1),
            complaint=None,
            reported_by="complainant",
        )


def test_a_withdrawal_after_takedown_restores_the_material_and_tells_the_subscriber(counter):
    notice_withdraw(notice_id=counter.notice_id, actor="complainant", note="Licensed after all")
    notice = Notice.objects.get(id=counter.notice_id)
    assert notice.status == "withdrawn"
    request = notice.letters.get(kind="restoration_request")
    assert "withdrew its notice" in request.body_text
    assert (
        notice.letters.get(kind="restoration_subscriber").to_email
        == counter.subscriber.notice_email
    )
    assert not notice.items.exclude(action="").filter(restoration_requested_at=None).exists()
    # The pending counter notice has nothing left to wait for.
    counter.refresh_from_db()
    assert counter.state == "cancelled"
    counter_notices_sweep(now=DAY_10)
    counter_notices_sweep(now=DAY_14)
    assert notice.letters.filter(kind="restoration_request").count() == 1
    assert not notice.letters.filter(kind="restoration_overdue").exists()


def test_a_withdrawal_after_day_10_asks_operations_only_once(counter):
    counter_notices_sweep(now=DAY_10)
    notice_withdraw(notice_id=counter.notice_id, actor="complainant", now=DAY_13)
    notice = Notice.objects.get(id=counter.notice_id)
    assert notice.letters.filter(kind="restoration_request").count() == 1
    counter.refresh_from_db()
    assert counter.state == "cancelled"
    assert counter_notices_sweep(now=DAY_14) == {"opened": 0, "escalated": 0}


def test_a_court_action_after_the_restoration_request_tells_operations_to_stop(counter):
    counter_notices_sweep(now=DAY_10)
    court_action_report(
        notice_id=counter.notice_id,
        court="S.D.N.Y.",
        case_number="1:27-cv-00002",
        filed_on=date(2027, 1, 4),
        complaint=None,
        reported_by="complainant",
        now=DAY_10 + timedelta(hours=3),
    )
    notice = Notice.objects.get(id=counter.notice_id)
    stop = notice.letters.get(kind="restoration_cancel")
    assert stop.to_email == "noc@iij-america.com"
    assert "must stay removed or disabled" in stop.body_text
    assert notice.items.get(id__in=counter.items.all()).restoration_requested_at is None


def test_an_incomplete_logged_counter_notice_does_not_start_the_clock():
    notice, notification = notified_case()
    item = notice.items.get(subscriber=notification.subscriber)
    with pytest.raises(NoticeError, match=r"lacks § 512\(g\)\(3\)\(D\)"):
        counter_notice_submit(
            notice_id=notice.id,
            subscriber_id=notification.subscriber_id,
            item_ids=[item.id],
            submission=counter_submission(phone="", consent_to_jurisdiction=False),
            channel=Channel.POST,
            actor="agent",
        )
    assert not CounterNotice.objects.exists()


def test_one_counter_notice_per_link():
    notice, notification = notified_case()
    file_counter(notice, notification)
    with pytest.raises(NoticeError, match="already received through this link"):
        file_counter(notice, notification)


def test_two_subscribers_one_restored_the_other_still_down():
    """One subscriber's counter notice succeeds; the other's material stays down and counts."""
    from notices.core.cases import notice_accept, notice_disable_material
    from notices.core.subscribers import disputed_notices, ledger
    from tests.factories import subscriber, web_notice

    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    quay = subscriber("C-2", "Quay Servers", [("network", "198.51.100.0/24")])
    notice = web_notice(now=RECEIVED - timedelta(days=3))
    notice_accept(notice_id=notice.id, actor="agent")
    notice_disable_material(
        notice_id=notice.id,
        actions={item.id: "access_disabled" for item in notice.items.all()},
        actor="agent",
    )
    harbor_link = notice.notifications.get(subscriber=harbor)
    counter = file_counter(notice, harbor_link)
    counter_notices_sweep(now=DAY_10)
    counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent", now=DAY_13)
    notice.refresh_from_db()
    assert notice.status == "subscriber_notified"  # Quay's material is still down
    assert list(ledger(quay)) == [notice]
    assert list(ledger(harbor)) == []
    # Harbor's notice left the count but stays on its ledger, as disputed.
    assert list(disputed_notices(harbor)) == [notice]
    assert list(disputed_notices(quay)) == []


def two_counter_notices():
    from notices.core.cases import notice_accept, notice_disable_material
    from tests.factories import subscriber, web_notice

    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    quay = subscriber("C-2", "Quay Servers", [("network", "198.51.100.0/24")])
    notice = web_notice(now=RECEIVED - timedelta(days=3))
    notice_accept(notice_id=notice.id, actor="agent")
    notice_disable_material(
        notice_id=notice.id,
        actions={item.id: "access_disabled" for item in notice.items.all()},
        actor="agent",
    )
    return [file_counter(notice, notice.notifications.get(subscriber=s)) for s in (harbor, quay)]


def report(counter, *, received_at=None, counter_notice_id=None, now=None):
    return court_action_report(
        notice_id=counter.notice_id,
        court="S.D.N.Y.",
        case_number="1:27-cv-00003",
        filed_on=date(2026, 12, 28),
        complaint=None,
        reported_by="legal",
        counter_notice_id=counter_notice_id,
        received_at=received_at,
        now=now,
    )


def test_a_court_action_stops_only_the_restoration_of_the_subscriber_it_answers(inbox):
    """§ 512(g)(2)(C): an action "to restrain the subscriber": the other subscriber's
    counter notice keeps its clock."""
    harbor, quay = two_counter_notices()
    with pytest.raises(NoticeError, match="name the one whose counter notice"):
        report(harbor)
    action = report(harbor, counter_notice_id=quay.id, now=DAY_9)
    assert action.stopped_restoration and action.counter_notice == quay
    harbor.refresh_from_db(), quay.refresh_from_db()
    assert (harbor.state, quay.state) == ("pending", "cancelled")
    notice = Notice.objects.get(id=harbor.notice_id)
    assert notice.status == "counter_noticed"
    (told,) = notice.letters.filter(kind="court_action_subscriber")
    assert told.to_email == quay.email
    received = notice.letters.get(kind="court_action_received")
    letter_send(letter_id=received.id)
    (message,) = inbox.to("m.okafor@lanternrow.example")
    body = message.get_body(("plain",)).get_content()
    assert "to restrain Dana Whitfield, the subscriber whose counter notice" in body
    assert "reached our Designated Agent before the material was replaced" in body
    assert counter_notices_sweep(now=DAY_10)["opened"] == 1  # Harbor's material comes back
    counter_notice_confirm_restored(counter_notice_id=harbor.id, actor="agent", now=DAY_13)
    # Quay's material stays down because of the action.
    assert Notice.objects.get(id=notice.id).status == "court_action_filed"


def test_a_court_action_received_before_the_replacement_is_flagged_even_if_too_late(counter):
    """Replacement is stopped only if the agent receives the notice "first": the time the
    material was actually replaced, and the time the notice was received, decide."""
    counter_notices_sweep(now=DAY_10)
    replaced = DAY_10 + timedelta(hours=10)
    counter_notice_confirm_restored(
        counter_notice_id=counter.id, actor="agent", replaced_at=replaced, now=DAY_13
    )
    counter.refresh_from_db()
    assert counter.restored_at == replaced
    action = report(counter, received_at=replaced - timedelta(hours=1), now=DAY_13)
    assert not action.stopped_restoration
    notice = Notice.objects.get(id=counter.notice_id)
    assert notice.events.filter(action="courtaction.received_before_replacement").exists()
    # The letters do not say "we will not restore": the material is back.
    assert not notice.letters.filter(kind__startswith="court_action").exists()


def test_the_replacement_time_cannot_precede_the_restoration_request(counter):
    counter_notices_sweep(now=DAY_10)
    with pytest.raises(NoticeError, match="between the restoration request"):
        counter_notice_confirm_restored(
            counter_notice_id=counter.id,
            actor="agent",
            replaced_at=DAY_10 - timedelta(hours=1),
            now=DAY_13,
        )


def test_a_complainant_without_e_mail_gets_the_copy_by_post():
    """§ 512(g)(2)(B): "a copy of the counter notification", by post when there is no e-mail."""
    notice, notification = notified_case(now=RECEIVED - timedelta(days=3))
    Notice.objects.filter(id=notice.id).update(email="")
    counter = file_counter(Notice.objects.get(id=notice.id), notification)
    copy = counter.notice.letters.get(kind="counter_notice_copy")
    assert (copy.to_email, copy.state) == ("", "to_post")
    assert "Dana Whitfield" in copy.body_text
