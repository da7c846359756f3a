"""Removal requests for hosted material: one letter per customer and address, the
customer's answers, the sweep that hands unanswered ones to the agent, and the decision."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command

from counternotices.hosted import hosted_counters_sweep
from counternotices.models import HostedCounterNotice
from iija_compliance.lib.business_days import restoration_opens_at
from notices.core.hosted import (
    HostedRemovalError,
    hosted_address_decide,
    hosted_removal_answer,
    hosted_removals_sweep,
)
from notices.models import HostedRemoval, Letter

from .conftest import RECEIVED, report

pytestmark = pytest.mark.django_db

AT = "2026-03-02T10:15:30+00:00"


def test_a_report_of_several_sightings_at_one_server_brings_one_letter(hosting):
    report(("203.0.113.7", 6881, AT), ("203.0.113.7", 6882, "2026-03-02T11:00:00+00:00"))
    removal = HostedRemoval.objects.get()
    assert removal.events.count() == 2
    assert removal.remove_by == date(2026, 3, 4)  # Monday + 2 business days
    (letter,) = Letter.objects.filter(kind="hosted_removal")
    assert letter.to_email == hosting.notice_email and letter.subscriber == hosting
    assert letter.subject == (
        f"{removal.network_case.reference}: remove the reported material from 203.0.113.7 "
        "by March 4, 2026"
    )
    text = letter.body_text
    assert (
        "Remove it by the end of Wednesday, March 4, 2026, New York time (2026-03-05 05:00 UTC)"
        in text
    )
    assert "Address 203.0.113.7, port 6881 (BitTorrent)" in text
    assert "Seen 2026-03-02 10:15:30 UTC (March 2, 2026, 5:15:30 AM EST in New York)" in text
    assert "Reported by antipiracy@rights-watch.example, their case RW-501-0" in text
    assert 'File: Night.Roads.2026.1080p.mkv ("Night Roads"), hash SHA1:4f2d' in text
    assert f"/removal-requests/{removal.token}/" in text


def test_a_second_report_for_the_same_server_joins_the_waiting_request(hosting):
    report(("203.0.113.7", 6881, AT))
    report(("203.0.113.7", 6881, "2026-03-02T14:00:00+00:00"), case_id="RW-502")
    report(("203.0.113.9", 443, AT), case_id="RW-503")  # another server: its own letter
    assert HostedRemoval.objects.count() == 2
    assert Letter.objects.filter(kind="hosted_removal").count() == 2
    assert HostedRemoval.objects.get(ip="203.0.113.7").events.count() == 2


def test_transit_events_get_no_removal_request(hosting):
    report(("198.51.100.20", 6881, AT))
    assert not HostedRemoval.objects.exists()
    assert not Letter.objects.filter(kind="hosted_removal").exists()


def test_answers_removed_and_not_mine_are_recorded_once(hosting):
    report(("203.0.113.7", 6881, AT))
    removal = HostedRemoval.objects.get()
    with pytest.raises(HostedRemovalError, match="Say why"):
        hosted_removal_answer(removal_id=removal.id, answer="not_mine", reason="  ")
    hosted_removal_answer(removal_id=removal.id, answer="removed")
    with pytest.raises(HostedRemovalError, match="answered or decided already"):
        hosted_removal_answer(removal_id=removal.id, answer="not_mine", reason="x")
    assert HostedRemoval.objects.get().state == "removed"
    # Answered: the next report for that server is a new request, with its own letter.
    report(("203.0.113.7", 6881, "2026-03-03T10:00:00+00:00"), case_id="RW-600")
    assert HostedRemoval.objects.filter(state="waiting").count() == 1


def test_deadline_passes_then_the_agent_disables_the_address(hosting, settings):
    report(("203.0.113.7", 6881, AT))
    removal = HostedRemoval.objects.get()
    last_minute = removal.deadline_at - timedelta(minutes=1)
    assert hosted_removals_sweep(now=last_minute) == {"hosted removals overdue, to the agent": 0}
    assert (
        hosted_removals_sweep(now=removal.deadline_at)["hosted removals overdue, to the agent"] == 1
    )
    assert (
        hosted_removals_sweep(now=removal.deadline_at)["hosted removals overdue, to the agent"] == 0
    )
    removal.refresh_from_db()
    assert removal.state == "overdue" and removal.act_by == date(2026, 3, 9)  # Thu + 2
    with pytest.raises(HostedRemovalError, match="reason"):
        hosted_address_decide(removal_id=removal.id, disable=True, actor="agent", reason=" ")
    hosted_address_decide(
        removal_id=removal.id, disable=True, actor="agent", reason="No answer by phone either."
    )
    removal.refresh_from_db()
    assert (removal.state, removal.decided_by, removal.decision_reason) == (
        "disabled",
        "agent",
        "No answer by phone either.",
    )
    assert removal.disabled_at and removal.act_by is None
    ops = Letter.objects.get(kind="hosted_disable")
    assert ops.to_email == settings.OPERATIONS_EMAIL
    assert "disable access to address 203.0.113.7" in ops.body_text
    assert "The agent's reason: No answer by phone either." in ops.body_text
    told = Letter.objects.get(kind="hosted_disabled")
    assert told.to_email == hosting.notice_email and removal.token in told.body_text
    with pytest.raises(HostedRemovalError, match="nothing to decide"):
        hosted_address_decide(removal_id=removal.id, disable=True, actor="agent", reason="again")


def test_the_agent_may_leave_the_address_enabled_with_a_reason(hosting):
    report(("203.0.113.7", 6881, AT))
    removal = HostedRemoval.objects.get()
    hosted_removals_sweep(now=removal.deadline_at)
    hosted_address_decide(
        removal_id=removal.id, disable=False, actor="agent", reason="Customer phoned: removed."
    )
    removal.refresh_from_db()
    assert removal.state == "kept" and removal.disabled_at is None
    assert not Letter.objects.filter(kind__in=["hosted_disable", "hosted_disabled"]).exists()


def test_the_disable_action_is_pluggable(hosting, settings):
    settings.DISABLE_ACTION = "tests.notices.hosted.test_requests.record_disable"
    DISABLED.clear()
    report(("203.0.113.7", 6881, AT))
    removal = HostedRemoval.objects.get()
    hosted_removals_sweep(now=removal.deadline_at)
    hosted_address_decide(removal_id=removal.id, disable=True, actor="agent", reason="Overdue.")
    assert DISABLED == [("203.0.113.7", "Overdue.")]
    assert not Letter.objects.filter(kind="hosted_disable").exists()


DISABLED = []


def record_disable(*, removal, reason, now):
    DISABLED.append((removal.ip, reason))


def test_run_sweeps_runs_the_hosted_sweep(hosting):
    report(("203.0.113.7", 6881, AT))
    HostedRemoval.objects.update(remove_by=date(2020, 1, 1))
    out = io.StringIO()
    call_command("run_sweeps", stdout=out)
    assert "hosted-removals-sweep: hosted removals overdue, to the agent: 1" in out.getvalue()
    assert HostedRemoval.objects.get().state == "overdue"


def test_a_counter_notice_after_disabling_runs_the_512g_clock_and_enables_the_address(
    hosting, settings
):
    from counternotices.hosted import hosted_counter_notice_submit
    from tests.factories import counter_submission

    report(("203.0.113.7", 6881, AT))
    removal = HostedRemoval.objects.get()
    hosted_removals_sweep(now=removal.deadline_at)
    hosted_address_decide(removal_id=removal.id, disable=True, actor="agent", reason="Overdue.")
    received = datetime(2026, 12, 18, 15, 0, tzinfo=UTC)  # the statute digest's example
    counter = hosted_counter_notice_submit(
        removal_id=removal.id,
        event_ids=[removal.events.get().id],
        submission=counter_submission(),
        now=received,
    )
    assert (counter.restore_not_before, counter.restore_not_after) == (
        date(2027, 1, 5),
        date(2027, 1, 11),
    )
    assert HostedRemoval.objects.get().state == "disputed"
    copy = Letter.objects.get(kind="hosted_counter_copy")
    assert copy.to_email == "antipiracy@rights-watch.example"
    assert "Dana Whitfield" in copy.body_text and "Tuesday, January 5, 2027" in copy.body_text
    assert Letter.objects.get(kind="hosted_counter_receipt").to_email == "dana@whitfield.example"
    opens = restoration_opens_at(counter.restore_not_before)
    assert hosted_counters_sweep(now=opens - timedelta(minutes=1)) == 0
    assert hosted_counters_sweep(now=opens) == 1
    assert hosted_counters_sweep(now=opens) == 0
    assert HostedCounterNotice.objects.get().state == "restored"
    enable = Letter.objects.get(kind="hosted_enable")
    assert enable.to_email == settings.OPERATIONS_EMAIL and "203.0.113.7" in enable.body_text
    assert "Monday, January 11, 2027" in enable.body_text
    assert Letter.objects.filter(kind="hosted_restore").count() == 1


def test_a_court_action_recorded_first_stops_the_restoration(hosting):
    from counternotices.hosted import hosted_counter_notice_submit, hosted_counter_stop
    from tests.factories import counter_submission

    report(("203.0.113.7", 6881, AT))
    removal = HostedRemoval.objects.get()
    counter = hosted_counter_notice_submit(
        removal_id=removal.id, event_ids=[removal.events.get().id], submission=counter_submission()
    )
    hosted_counter_stop(counter_id=counter.id, actor="agent", reason="S.D.N.Y. 1:26-cv-0101")
    assert hosted_counters_sweep(now=restoration_opens_at(counter.restore_not_before)) == 0
    assert not Letter.objects.filter(kind__in=["hosted_restore", "hosted_enable"]).exists()


def test_the_days_to_remove_count_from_the_request_not_from_the_notice(hosting):
    from notices.network.intake import network_events_record

    asked = datetime(2026, 3, 20, 14, 0, tzinfo=UTC)  # a Friday; the notice came in on the 2nd
    event = {"ip": "203.0.113.7", "port": 6881, "timestamp": AT, "case_id": "RW-900"}
    network_events_record(
        [event], format="acns", sender="a@rights.example", received_at=RECEIVED, now=asked
    )
    removal = HostedRemoval.objects.get()
    assert (removal.requested_at, removal.remove_by) == (asked, date(2026, 3, 24))
