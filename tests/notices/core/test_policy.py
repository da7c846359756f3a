"""The § 512(i) repeat-infringer policy: counting, each step, the window, the agent's
decisions, suspensions and terminations, and no clean slate after reinstatement."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from iija_compliance.lib.repeat_policy import parse_policy
from notices.core import cases
from notices.core.cases import NoticeError
from notices.core.policy import (
    mitigation_activate,
    mitigation_appeal,
    mitigation_lift,
    policy_counts,
    policy_step_decide,
    policy_sweep,
    waiting_for_agent,
)
from notices.models import Letter, Mitigation, PolicyStep, Subscriber, SubscriberEvent
from notices.network.intake import network_events_record
from tests.factories import assignment, subscriber, web_notice

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def customer():
    """A transit customer holding 198.51.100.0/24, and the host example-host.net."""
    held = subscriber("C-7", "Lantern Row LLC", [("domain", "example-host.net")])
    assignment(held, "198.51.100.0/24", "2026-01-01T00:00:00+00:00")
    return held


_reports = iter(range(1, 10_000))


def report(at: datetime, *, ip="198.51.100.7", sender="notices@vendor-a.example", case_id=None):
    """One network notice (one event) received at `at`; returns its outcome."""
    event = {
        "ip": ip,
        "port": 6881,
        "timestamp": (at - timedelta(hours=1)).isoformat(),
        "protocol": "BitTorrent",
        "case_id": case_id or f"VA-{next(_reports)}",
        "complainant": "Example Pictures",
        "files": [{"title": "A Film", "file_name": "a.film.mkv", "size": 1, "hash": "ab"}],
    }
    (stored,) = network_events_record([event], format="acns", sender=sender, received_at=at)
    return stored.outcome


def reports_then_sweep(count: int, start: datetime) -> list[PolicyStep]:
    """`count` notices an hour apart, a sweep after each; the steps each sweep took."""
    taken = []
    for n in range(count):
        at = start + timedelta(hours=n)
        report(at)
        before = PolicyStep.objects.count()
        policy_sweep(now=at + timedelta(minutes=5))
        taken.append(list(PolicyStep.objects.order_by("id")[before:]))
    return taken


def steps(customer) -> list[str]:
    return list(customer.policy_steps.order_by("taken_at", "id").values_list("step", flat=True))


def test_each_step_is_taken_at_its_count_and_only_then(customer):
    taken = reports_then_sweep(13, START)
    at_count = {n + 1: [s.step for s in found] for n, found in enumerate(taken) if found}
    assert at_count == {
        1: ["forward"],
        3: ["warning"],
        6: ["final_warning"],
        10: ["suspension_review"],
        13: ["termination_review"],
    }
    forward, warning, final, suspension, termination = customer.policy_steps.order_by("id")
    assert forward.letter is None  # forwarding is the digest's letter, not one of its own
    for step in (warning, final, suspension, termination):
        assert step.letter.kind == "policy_step"
        assert step.letter.subscriber == customer and step.letter.to_email == customer.notice_email
        # Every letter names a contact the customer can reach.
        assert settings.DESIGNATED_AGENT["email"] in step.letter.body_text
    assert "acknowledge" in warning.letter.subject and warning.ack_token in warning.letter.body_text
    assert "final" in final.letter.body_text.lower() and final.ack_token
    assert "under review for suspension" in suspension.letter.subject
    assert suspension.due_at == suspension.taken_at + timedelta(days=settings.POLICY_REVIEW_DAYS)
    assert warning.due_at is None and warning.decided_at is None
    # Each step taken is an audit event on the account.
    events = customer.events.filter(action=SubscriberEvent.Action.STEP_TAKEN)
    assert [e.data["step"] for e in events] == steps(customer)


def test_thresholds_come_from_the_settings(customer, settings):
    settings.REPEAT_POLICY = parse_policy("2:warning,4:termination_review")
    taken = reports_then_sweep(4, START)
    assert [[s.step for s in found] for found in taken] == [
        [],
        ["warning"],
        [],
        ["termination_review"],
    ]


def test_a_count_that_jumps_takes_the_highest_step_reached_once(customer):
    for n in range(7):
        report(START + timedelta(minutes=n))
    policy_sweep(now=START + timedelta(hours=1))
    assert steps(customer) == ["final_warning"]
    report(START + timedelta(hours=2))
    policy_sweep(now=START + timedelta(hours=3))
    assert steps(customer) == ["final_warning"]  # no warning after the final one


def test_url_takedowns_and_network_notices_count_together_from_every_sender(customer):
    notice = web_notice(now=START)
    cases.notice_accept(notice_id=notice.id, actor="agent", now=START)
    item = notice.items.get(subscriber=customer)
    cases.notice_disable_material(
        notice_id=notice.id, actions={item.id: "removed"}, actor="agent", now=START
    )
    report(START + timedelta(hours=1), ip="198.51.100.9", sender="a@vendor-a.example")
    report(START + timedelta(hours=2), ip="198.51.100.200", sender="b@vendor-b.example")
    policy_sweep(now=START + timedelta(hours=3))
    assert policy_counts(START + timedelta(hours=3))[customer.id][0] == 3
    assert steps(customer) == ["warning"]
    out = StringIO()
    call_command("subscriber_ledger", "C-7", stdout=out)
    kinds = [n["kind"] for n in json.loads(out.getvalue())["notices"]]
    assert kinds == ["url", "network", "network"]


def test_duplicates_and_addresses_not_ours_never_count(customer):
    report(START, case_id="VA-SAME")
    assert report(START + timedelta(hours=1), case_id="VA-SAME") == "duplicate"
    assert report(START + timedelta(hours=2), ip="203.0.113.5") == "not_ours"
    assert report(START + timedelta(hours=3), case_id="VA-SAME") == "duplicate"
    assert policy_counts(START + timedelta(hours=4))[customer.id][0] == 1


def test_notices_leave_the_count_when_the_window_has_passed(customer, settings):
    settings.REPEAT_WINDOW_DAYS = 30
    for n in range(2):
        report(START + timedelta(days=n))
    later = START + timedelta(days=40)
    report(later)
    policy_sweep(now=later + timedelta(minutes=5))
    assert policy_counts(later)[customer.id][0] == 1
    assert "warning" not in steps(customer)  # three notices, but not within 30 days


def test_two_sweeps_take_a_step_once(customer):
    for n in range(3):
        report(START + timedelta(minutes=n))
    now = START + timedelta(hours=1)
    first, second = policy_sweep(now=now), policy_sweep(now=now)
    assert first["policy steps taken"] == 1 and second["policy steps taken"] == 0
    assert steps(customer) == ["warning"]
    assert Letter.objects.filter(kind="policy_step").count() == 1
    warning = customer.policy_steps.get()
    with pytest.raises(IntegrityError):  # the database keeps one, whatever the code does
        PolicyStep.objects.create(
            subscriber=customer,
            step="warning",
            occurrence=warning.occurrence,
            threshold=3,
            count=3,
            taken_at=now,
            taken_by="another sweep",
        )


def test_the_run_sweeps_command_runs_the_policy_sweep(customer):
    for n in range(3):
        report(START + timedelta(minutes=n))
    out = StringIO()
    call_command("run_sweeps", stdout=out)
    assert "policy-sweep: policy steps taken: 1" in out.getvalue()


def _to_review(customer, count=10) -> PolicyStep:
    reports_then_sweep(count, START)
    return waiting_for_agent().get(subscriber=customer)


def test_a_review_waits_for_the_agent_and_needs_a_reason(customer):
    review = _to_review(customer)
    assert review.step == "suspension_review"
    with pytest.raises(NoticeError, match="reason"):
        policy_step_decide(step_id=review.id, decision="suspend", reason="  ", actor="agent")
    with pytest.raises(NoticeError):  # a suspension review does not terminate
        policy_step_decide(step_id=review.id, decision="terminate", reason="x", actor="agent")
    # More notices bring the next review; the first still waits: nothing is skipped.
    reports_then_sweep(3, START + timedelta(days=1))
    waiting = list(waiting_for_agent().filter(subscriber=customer).values_list("step", flat=True))
    assert waiting == ["suspension_review", "termination_review"]
    decided = policy_step_decide(
        step_id=review.id, decision="no_action", reason="Customer removed the seedbox.", actor="ag"
    )
    assert decided.decided_by == "ag" and decided.decision_reason == "Customer removed the seedbox."
    event = customer.events.get(action=SubscriberEvent.Action.STEP_DECIDED)
    assert "removed the seedbox" in event.reason and event.actor == "ag"
    with pytest.raises(NoticeError, match="decided"):
        policy_step_decide(step_id=review.id, decision="suspend", reason="again", actor="ag")
    assert not Mitigation.objects.exists()


def test_a_suspension_is_announced_takes_effect_after_the_notice_period_and_is_lifted(customer):
    review = _to_review(customer)
    decided_at = START + timedelta(days=1)
    policy_step_decide(
        step_id=review.id,
        decision="suspend",
        reason="Ten notices in a month.",
        actor="agent",
        scope="address",
        target="198.51.100.7",
        now=decided_at,
    )
    suspension = Mitigation.objects.get()
    assert suspension.state == "pending" and suspension.target == "198.51.100.7"
    assert suspension.effective_at == decided_at + timedelta(hours=settings.SUSPENSION_NOTICE_HOURS)
    assert suspension.data_retrieval_until is None  # transit: no data of theirs on our servers
    announcement = Letter.objects.get(kind="mitigation")
    assert "198.51.100.7" in announcement.body_text and "appeal" in announcement.body_text
    assert settings.DESIGNATED_AGENT["email"] in announcement.body_text

    with pytest.raises(NoticeError, match="promised"):
        mitigation_activate(mitigation_id=suspension.id, actor="agent", now=decided_at)
    assert (
        policy_sweep(now=decided_at + timedelta(hours=1))[
            "suspensions and terminations put into effect"
        ]
        == 0
    )
    policy_sweep(now=suspension.effective_at)
    suspension.refresh_from_db()
    assert suspension.state == "active" and suspension.activated_at == suspension.effective_at
    assert Letter.objects.get(kind="mitigation_operations").to_email == settings.OPERATIONS_EMAIL

    mitigation_appeal(
        mitigation_id=suspension.id,
        reason_code="compromised",
        text="A contractor ran it without our knowledge.",
        actor="agent",
    )
    with pytest.raises(NoticeError, match="already"):
        mitigation_appeal(mitigation_id=suspension.id, reason_code="other", text="x", actor="a")
    with pytest.raises(NoticeError, match="reason"):
        mitigation_lift(mitigation_id=suspension.id, reason="", actor="agent")
    mitigation_lift(mitigation_id=suspension.id, reason="Appeal upheld.", actor="agent")
    suspension.refresh_from_db()
    assert suspension.state == "lifted" and suspension.lift_reason == "Appeal upheld."
    with pytest.raises(NoticeError):
        mitigation_lift(mitigation_id=suspension.id, reason="again", actor="agent")
    actions = list(customer.events.values_list("action", flat=True))
    for action in ["mitigation.announced", "mitigation.active", "mitigation.appealed"]:
        assert action in actions
    assert actions[-1] == "mitigation.lifted"


def test_a_hosting_customer_gets_a_window_to_retrieve_its_data(customer):
    assignment(customer, "2001:db8:42::/48", "2026-01-01T00:00:00+00:00", service="hosting")
    reports_then_sweep(13, START)
    review = waiting_for_agent().get(step="termination_review")
    policy_step_decide(
        step_id=review.id, decision="terminate", reason="Thirteen notices.", actor="agent"
    )
    termination = Mitigation.objects.get()
    assert termination.hosting
    assert termination.data_retrieval_until == termination.effective_at + timedelta(
        days=settings.DATA_RETRIEVAL_DAYS
    )
    assert "retrieve the data" in Letter.objects.get(kind="mitigation").body_text


def test_no_clean_slate_after_reinstatement(customer):
    reports_then_sweep(13, START)
    review = waiting_for_agent().get(step="termination_review")
    decided_at = START + timedelta(days=1)
    policy_step_decide(
        step_id=review.id, decision="terminate", reason="Repeat.", actor="agent", now=decided_at
    )
    termination = Mitigation.objects.get()
    policy_sweep(now=termination.effective_at)
    assert Subscriber.objects.get(id=customer.id).terminated_at is not None
    mitigation_lift(
        mitigation_id=termination.id,
        reason="Reactivated on a new contract.",
        actor="agent",
        now=termination.effective_at + timedelta(days=1),
    )
    customer.refresh_from_db()
    assert customer.terminated_at is None  # reinstated ...
    back = termination.effective_at + timedelta(days=2)
    report(back)
    policy_sweep(now=back + timedelta(minutes=5))
    # ... and its fourteenth notice goes straight back to the agent: the count went on.
    assert policy_counts(back + timedelta(minutes=5))[customer.id][0] == 14
    assert steps(customer)[-1] == "termination_review"
    assert steps(customer).count("termination_review") == 2
    assert len(steps(customer)) == 6  # the earlier steps are all still there
    again = waiting_for_agent().get(subscriber=customer, step="termination_review")
    assert again.occurrence == 2 and again.count == 14


def test_the_ledger_command_prints_the_issue_s_shape(customer):
    reports_then_sweep(10, START)
    out = StringIO()
    call_command("subscriber_ledger", "C-7", stdout=out)
    ledger = json.loads(out.getvalue())
    assert set(ledger) == {"account", "window_days", "counted", "notices", "steps", "pending_step"}
    assert ledger["account"] == "C-7" and ledger["window_days"] == settings.REPEAT_WINDOW_DAYS
    assert ledger["counted"] == 10 == len(ledger["notices"])
    assert set(ledger["notices"][0]) == {"reference", "kind", "counted_at"}
    assert [s["step"] for s in ledger["steps"]] == [
        "forward",
        "warning",
        "final_warning",
        "suspension_review",
    ]
    assert set(ledger["steps"][0]) == {"step", "taken_at", "by", "letter"}
    assert ledger["steps"][0]["letter"] is None and ledger["steps"][1]["letter"]
    assert ledger["steps"][1]["by"] == "system"
    assert ledger["pending_step"]["step"] == "suspension_review"
    with pytest.raises(Exception, match="No subscriber"):
        call_command("subscriber_ledger", "C-404")


def test_the_customer_acknowledges_a_warning_on_its_private_link(client, customer):
    reports_then_sweep(3, START)
    warning = customer.policy_steps.get(step="warning")
    url = reverse("policy_acknowledge", args=[warning.ack_token])
    page = client.get(url)
    assert page.status_code == 200 and "I acknowledge this warning" in page.text
    assert customer.notice_email not in page.text and "88 Pier Road" not in page.text
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    client.post(url)
    client.post(url)  # twice is once
    warning.refresh_from_db()
    assert warning.acknowledged_at is not None
    assert customer.events.filter(action="policy.step_acknowledged").count() == 1
    assert "You acknowledged this warning" in client.get(url).text
    assert client.get(reverse("policy_acknowledge", args=["x" * 43])).status_code == 404


@pytest.mark.parametrize(
    ("policy", "problem"),
    [
        ("3:warning,1:forward,10:termination_review", "larger count"),
        ("1:forward,3:warn,10:termination_review", "is no step"),
        ("1:forward,3:warning", "suspension or termination review"),
        ("forward", "count:action"),
        ("1:forward,3:forward,10:suspension_review", "once"),
    ],
)
def test_a_policy_that_does_not_read_is_refused(policy, problem):
    with pytest.raises(ValueError, match=problem):
        parse_policy(policy)


def test_the_desk_does_not_start_with_a_broken_policy():
    env = {**os.environ, "REPEAT_POLICY": "3:warning,1:forward", "SECRET_KEY": "x" * 50}
    env["DJANGO_SETTINGS_MODULE"] = "iija_compliance.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "REPEAT_POLICY: Each step needs a larger count" in result.stderr


def test_copyright_page_publishes_the_policy_from_the_settings(client, settings):
    page = client.get("/copyright/").text
    assert "Repeat infringers" in page and "Section 512(i)" in page
    assert "<td>13</td>" in page and "decides whether to terminate" in page
    settings.REPEAT_POLICY = parse_policy("1:forward,4:warning,8:termination_review")
    page = client.get("/copyright/").text
    assert "<td>4</td>" in page and "<td>13</td>" not in page


def test_transparency_counts_steps_taken_by_month_without_naming_anyone(client, customer):
    reports_then_sweep(3, START)
    page = client.get("/transparency/").text
    assert "Repeat-infringer policy: steps taken" in page
    assert "Nov 2026" in page
    assert "C-7" not in page and "Lantern Row" not in page
