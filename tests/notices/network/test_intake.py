"""Network notices into the desk: each event on the open network case of the subscriber
who held the address then, or kept as a duplicate, not ours or too old."""

import json
import mailbox
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from notices.mailbox.intake import intake_report
from notices.models import InboundMessage, NetworkCase, NetworkEvent
from tests.factories import assignment, subscriber

from .samples import acns_xml, letter, mail

pytestmark = pytest.mark.django_db

ARRIVED = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # three days after the samples' event


@pytest.fixture
def plan():
    """192.0.2.0/24 held by C-1 until March 1st 2026, by C-2 since; 2001:db8:1::/48 by C-6."""
    one, two, six = (subscriber(f"C-{n}", f"Customer {n}") for n in (1, 2, 6))
    assignment(one, "192.0.2.0/24", "2025-01-01T00:00:00Z", "2026-03-01T00:00:00Z")
    assignment(two, "192.0.2.0/24", "2026-03-01T00:00:00Z")
    assignment(six, "2001:db8:1::/48", "2025-01-01T00:00:00Z", service="hosting")
    return {"one": one, "two": two, "six": six}


def notice(message_id="<n-1@rights.example>", **xml):
    message = mail(letter(**{k: xml[k] for k in ("ip",) if k in xml}, xml=acns_xml(**xml)))
    message.replace_header("Message-ID", message_id)
    return message.as_bytes()


def report(raw, arrived=ARRIVED):
    return intake_report(raw, received_at=arrived)


def test_a_notice_becomes_an_event_on_the_holders_network_case(plan):
    line = report(notice())
    case = NetworkCase.objects.get()
    assert line == {
        "message_id": "<n-1@rights.example>",
        "kind": "takedown",
        "format": "acns",
        "reference": case.reference,
        "subscriber": "C-2",
        "outcome": "case",
    }
    event = case.events.get()
    assert (event.ip, event.port, event.vendor_case_id) == ("192.0.2.10", 51413, "NW-1001")
    assert event.occurred_at == datetime(2026, 3, 2, 10, 15, 30, tzinfo=UTC)
    assert event.files[0]["title"] == "An Example Film"
    inbound = InboundMessage.objects.get()
    assert inbound.kind == "network" and inbound.created_case and inbound.notice is None


def test_the_same_subscriber_keeps_one_open_case(plan):
    report(notice())
    line = report(notice("<n-2@rights.example>", case_id="NW-1002", ip="192.0.2.99"))
    assert line["outcome"] == "case"
    case = NetworkCase.objects.get()
    assert case.events.count() == 2 and line["reference"] == case.reference


def test_the_holder_is_the_one_at_the_events_moment_not_at_arrival(plan):
    line = report(notice(source_time="2026-02-28T23:59:59Z", item_times=("2026-02-28T23:59:59Z",)))
    assert line["subscriber"] == "C-1"
    line = report(notice("<n-2@rights.example>", case_id="NW-2", ip="2001:db8:1::5"))
    assert line["subscriber"] == "C-6"
    assert NetworkCase.objects.count() == 2


def test_the_same_vendor_case_id_from_the_same_sender_is_a_duplicate(plan):
    first = report(notice())
    again = report(notice("<n-1-resent@rights.example>"))
    assert again["outcome"] == "duplicate" and again["reference"] is None
    assert NetworkCase.objects.get().events.count() == 1
    duplicate = NetworkEvent.objects.get(outcome="duplicate")
    assert duplicate.duplicate_of.case.reference == first["reference"]
    # The same message again is known by its Message-ID.
    assert report(notice())["outcome"] == "duplicate"
    # Another sender's case of the same number is its own.
    other = mail(letter(xml=acns_xml()), sender="Desk <desk@other-rights.example>")
    other.replace_header("Message-ID", "<o-1@other-rights.example>")
    assert report(other.as_bytes())["outcome"] == "case"


def test_an_address_nobody_held_then_is_not_ours_and_kept(plan):
    line = report(notice(ip="203.0.113.50"))
    assert line["outcome"] == "not_ours" and line["subscriber"] is None
    moment = "2024-12-31T23:00:00Z"
    earlier = notice("<n-2@rights.example>", case_id="NW-2", source_time=moment,
                     item_times=(moment,))  # fmt: skip
    line = report(earlier, arrived=datetime(2025, 1, 2, tzinfo=UTC))
    assert line["outcome"] == "not_ours"  # 192.0.2.0/24 was not yet assigned
    assert NetworkEvent.objects.filter(outcome="not_ours").count() == 2
    assert not NetworkCase.objects.exists()


def test_an_event_older_than_the_limit_is_too_old_and_kept(plan, settings):
    settings.NETWORK_NOTICE_MAX_AGE_DAYS = 2
    line = report(notice())  # three days before it arrived
    assert line["outcome"] == "too_old" and line["reference"] is None
    settings.NETWORK_NOTICE_MAX_AGE_DAYS = 3
    assert report(notice("<n-2@rights.example>", case_id="NW-2"))["outcome"] == "case"
    assert NetworkEvent.objects.filter(outcome="too_old").count() == 1


def test_a_report_about_something_else_is_other(plan):
    raw = (
        b"From: reports@abuse.example\r\nTo: abuse@isp.example\r\nSubject: login attack\r\n"
        b"Message-ID: <x-1@abuse.example>\r\nContent-Type: application/json\r\n\r\n"
        + json.dumps({
            "Version": "3", "ReporterInfo": {"ReporterOrg": "Abuse Desk",
            "ReporterOrgEmail": "reports@abuse.example"}, "Report": {"ReportClass": "Activity",
            "ReportType": "LoginAttack", "Date": "2026-03-02T10:00:00Z",
            "SourceIp": "192.0.2.10"}}).encode()
    )  # fmt: skip
    line = report(raw)
    assert line["outcome"] == "other" and line["kind"] == "other"
    assert not NetworkEvent.objects.exists()


def test_a_notice_that_cannot_be_read_is_refused_and_kept(plan):
    broken = mail(letter(ip="", moment="", xml="<Infringement><Source></Source></Infringement>\n"))
    broken.replace_header("Message-ID", "<b-1@rights.example>")
    line = report(broken.as_bytes())
    assert line["outcome"] == "refused"
    assert InboundMessage.objects.get().kind == "unreadable"


def test_intake_mail_prints_one_line_per_message_in_order(plan, tmp_path):
    """Files have no arrival time of the server's: the events are of yesterday."""
    moment = f"{timezone.now() - timedelta(days=1):%Y-%m-%dT%H:%M:%SZ}"
    when = {"source_time": moment, "item_times": (moment,)}
    box = mailbox.mbox(tmp_path / "box.mbox")
    box.add(notice("<a@rights.example>", **when))
    box.add(notice("<b@rights.example>", case_id="NW-2", ip="203.0.113.9", **when))
    box.add(notice("<c@rights.example>", **when))
    box.flush()
    single = tmp_path / "single.eml"
    single.write_bytes(notice("<d@rights.example>", case_id="NW-3", ip="192.0.2.11", **when))
    out = StringIO()
    call_command("intake_mail", str(tmp_path / "box.mbox"), str(single), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["message_id"], line["outcome"]) for line in lines] == [
        ("<a@rights.example>", "case"),
        ("<b@rights.example>", "not_ours"),
        ("<c@rights.example>", "duplicate"),
        ("<d@rights.example>", "case"),
    ]
    assert set(lines[0]) == {"message_id", "kind", "format", "reference", "subscriber", "outcome"}


def test_one_report_of_several_moments_under_one_case_id_is_an_event_each(plan):
    moments = ("2026-03-02T10:15:30Z", "2026-03-02T11:40:00Z")
    line = report(notice(item_times=moments))
    assert line["outcome"] == "case"
    assert NetworkCase.objects.get().events.count() == 2
    # Sent again, both are duplicates.
    report(notice("<n-1-again@rights.example>", item_times=moments))
    assert NetworkEvent.objects.filter(outcome="duplicate").count() == 2


def test_a_batch_goes_on_past_a_message_that_cannot_be_stored(plan, tmp_path):
    """A zoned IPv6 address (fe80::1%eth0) is an address to Python but not to PostgreSQL:
    the batch cannot be stored together, so its messages are taken in one by one."""
    moment = f"{timezone.now() - timedelta(days=1):%Y-%m-%dT%H:%M:%SZ}"
    when = {"source_time": moment, "item_times": (moment,)}
    box = mailbox.mbox(tmp_path / "box.mbox")
    box.add(notice("<a@rights.example>", **when))
    box.add(notice("<z@rights.example>", case_id="NW-Z", ip="fe80::1%eth0", **when))
    box.add(notice("<b@rights.example>", case_id="NW-2", ip="192.0.2.11", **when))
    box.flush()
    out = StringIO()
    call_command("intake_mail", str(tmp_path / "box.mbox"), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["message_id"], line["outcome"]) for line in lines] == [
        ("<a@rights.example>", "case"),
        ("<z@rights.example>", "refused"),
        ("<b@rights.example>", "case"),
    ]
    assert lines[0]["reference"] == lines[2]["reference"] == NetworkCase.objects.get().reference
    refused = InboundMessage.objects.get(message_id="<z@rights.example>")
    assert refused.kind == "unreadable" and refused.original.read()
    assert NetworkEvent.objects.count() == 2


def test_a_batch_gives_each_message_the_outcome_it_would_have_alone(plan, tmp_path):
    """Within one batch: a repeat of a case id earlier in the batch is a duplicate of it,
    a subscriber's first events open one case, an event at a server we host joins a
    removal request, and each line names its own outcome."""
    moment = f"{timezone.now() - timedelta(days=1):%Y-%m-%dT%H:%M:%SZ}"
    when = {"source_time": moment, "item_times": (moment,)}
    box = mailbox.mbox(tmp_path / "box.mbox")
    box.add(notice("<a@rights.example>", **when))
    box.add(notice("<b@rights.example>", case_id="NW-6", ip="2001:db8:1::9", **when))
    box.add(notice("<a@rights.example>", **when))  # the same message twice in one file
    box.add(notice("<c@rights.example>", **when))  # the same case id again
    box.add(notice("<d@rights.example>", case_id="NW-4", ip="192.0.2.12", **when))
    box.flush()
    out = StringIO()
    call_command("intake_mail", str(tmp_path / "box.mbox"), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["outcome"], line["subscriber"]) for line in lines] == [
        ("case", "C-2"),
        ("case", "C-6"),
        ("duplicate", None),
        ("duplicate", None),
        ("case", "C-2"),
    ]
    assert lines[0]["reference"] == lines[4]["reference"] != lines[1]["reference"]
    assert NetworkCase.objects.count() == 2
    repeat = NetworkEvent.objects.get(outcome="duplicate")
    assert repeat.duplicate_of == NetworkEvent.objects.get(inbound__message_id="<a@rights.example>")
    assert InboundMessage.objects.count() == 4
    # The address C-6 holds is one of our servers: the customer is asked to remove it.
    hosted = NetworkEvent.objects.get(subscriber__account_id="C-6")
    assert hosted.hosted_removal.subscriber.account_id == "C-6"
    assert hosted.hosted_removal.ip == "2001:db8:1::9"
