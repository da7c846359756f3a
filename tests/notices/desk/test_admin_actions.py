"""Every admin action of every registered model, for every role: offered or not, and, when
posted, carried out or refused, judged by what changed in the database.

The actions come from the admin site's registry, so an action added to any ModelAdmin
(ours, Django's or a library's) appears here and fails until the table says who may run it.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from counternotices.models import CounterNotice
from counternotices.services import counter_notices_sweep, court_action_report
from notices.core import subscribers
from notices.core.intake import notice_submit
from notices.models import (
    ApiSender,
    ApiToken,
    Channel,
    ExportJob,
    InboundMessage,
    Letter,
    Notice,
    PersonalDataView,
    Subscriber,
)
from notices.outbox.letters import letter_to_complainant
from tests.factories import (
    assignment,
    counter_notice,
    notified_case,
    submission,
    subscriber,
    web_notice,
)

pytestmark = pytest.mark.django_db

AGENT, LEGAL, AUDITOR, NO_GROUP, SUPERUSER = (
    "Designated agent",
    "Legal staff",
    "Auditor",
    "staff in no group",
    "superuser",
)
ROLES = [AGENT, LEGAL, AUDITOR, NO_GROUP, SUPERUSER]
NOBODY: set[str] = set()
NEW_YORK = ZoneInfo("America/New_York")

# Who may run each action. Anyone not named must neither be offered it nor get it done.
EXPECTED = {
    ("notices.notice", "start_review_action"): {AGENT, SUPERUSER},
    ("notices.notice", "mark_deficient_action"): {AGENT, SUPERUSER},
    ("notices.notice", "reject_action"): {AGENT, SUPERUSER},
    ("notices.notice", "accept_action"): {AGENT, SUPERUSER},
    ("notices.notice", "close_action"): {AGENT, SUPERUSER},
    ("notices.notice", "rematch_action"): {AGENT, SUPERUSER},
    ("notices.notice", "export_internal_action"): {AGENT, LEGAL, SUPERUSER},
    ("notices.notice", "export_shareable_action"): {AGENT, LEGAL, SUPERUSER},
    ("notices.notice", "delete_selected"): NOBODY,  # a case is never deleted
    ("notices.subscriber", "terminate_action"): {AGENT, SUPERUSER},
    ("notices.subscriber", "reinstate_action"): {AGENT, SUPERUSER},
    ("notices.subscriber", "delete_selected"): {SUPERUSER},
    ("notices.letter", "delete_selected"): NOBODY,
    ("notices.noticeevent", "delete_selected"): NOBODY,
    ("notices.personaldataview", "delete_selected"): NOBODY,
    ("notices.subscriberevent", "delete_selected"): NOBODY,
    ("notices.apisender", "issue_token_action"): {AGENT, SUPERUSER},
    ("notices.apisender", "revoke_tokens_action"): {AGENT, SUPERUSER},
    ("notices.apisender", "delete_selected"): {SUPERUSER},
    ("notices.inboundmessage", "mark_handled_action"): {AGENT, SUPERUSER},
    ("notices.inboundmessage", "delete_selected"): NOBODY,
    # The address plan changes by import only; network cases and events are records.
    ("notices.addressassignment", "delete_selected"): NOBODY,
    ("notices.networkcase", "delete_selected"): NOBODY,
    ("notices.networkevent", "delete_selected"): NOBODY,
    # A sender is never struck off; its decisions are the registry's history.
    ("notices.networksender", "delete_selected"): NOBODY,
    ("notices.networksenderdecision", "delete_selected"): NOBODY,
    # The policy's steps and mitigations change through their services only.
    ("notices.policystep", "delete_selected"): NOBODY,
    ("notices.mitigation", "delete_selected"): NOBODY,
    # Decided on its own page (the agent only: tests/notices/hosted/test_desk.py).
    ("notices.hostedremoval", "delete_selected"): NOBODY,
    ("counternotices.hostedcounternotice", "stop_action"): {AGENT, SUPERUSER},
    ("counternotices.hostedcounternotice", "delete_selected"): NOBODY,
    ("counternotices.counternotice", "confirm_restored_action"): {AGENT, SUPERUSER},
    ("counternotices.counternotice", "delete_selected"): NOBODY,
    ("notices.letter", "mark_posted_action"): {AGENT, SUPERUSER},
    ("counternotices.courtaction", "delete_selected"): NOBODY,
    ("auth.user", "delete_selected"): {SUPERUSER},
    ("auth.user", "deactivate_action"): {AGENT, SUPERUSER},
    ("auth.group", "delete_selected"): {SUPERUSER},
}


def registered_actions() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.label_lower, name)
        for model, model_admin in admin.site._registry.items()
        for _, name, _ in model_admin._get_base_actions()
    )


def gone(model, pk):
    return lambda: not model.objects.filter(pk=pk).exists()


def deletion(make):
    """A row that nothing protects, and the check that it was deleted."""

    def scenario():
        row = make()
        return type(row), [row.pk], {"post": "yes"}, gone(type(row), row.pk)

    return scenario


def case_moved(status_before_action, wanted):
    def scenario():
        if status_before_action == "subscriber_notified":
            notice, _ = notified_case()
            notice.refresh_from_db()
        else:
            notice = web_notice()
        assert notice.status == status_before_action
        return Notice, [notice.pk], {}, lambda: Notice.objects.get(pk=notice.pk).status == wanted

    return scenario


def moved_with_a_reason(wanted, **asked):
    """A list action that asks one reason for every case, on a page sent with `apply`."""

    def scenario():
        notice = notice_submit(
            submission=submission(good_faith_statement=False), channel=Channel.EMAIL, actor="a"
        )
        moved = lambda: Notice.objects.get(pk=notice.pk).status == wanted  # noqa: E731
        return Notice, [notice.pk], {"apply": "1", "index": "0", **asked}, moved

    return scenario


def deactivation():
    leaving = User.objects.create_user("leaving", is_staff=True)
    leaving.groups.add(Group.objects.get(name="Legal staff"))
    return User, [leaving.pk], {}, lambda: not User.objects.get(pk=leaving.pk).is_active


def rematched():
    """A case filed before the subscriber covering its host was on record."""
    notice = web_notice()
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    return Notice, [notice.pk], {}, notice.items.filter(subscriber=harbor).exists


def export(version):
    def scenario():
        notice = web_notice()
        return Notice, [notice.pk], {}, ExportJob.objects.filter(version=version).exists

    return scenario


def terminate():
    harbor = subscriber()
    return (
        Subscriber,
        [harbor.pk],
        {"apply": "1", "reason": "Third actioned notice in a year; § 512(i) policy."},
        lambda: Subscriber.objects.get(pk=harbor.pk).terminated_at is not None,
    )


def reinstate():
    harbor = subscriber()
    subscribers.subscriber_terminate(
        subscriber_id=harbor.pk, reason="Three notices.", actor="agent"
    )
    return (
        Subscriber,
        [harbor.pk],
        {"apply": "1", "reason": "The second notice was withdrawn: two strikes, not three."},
        lambda: Subscriber.objects.get(pk=harbor.pk).terminated_at is None,
    )


def subscriber_event():
    harbor = subscriber()
    subscribers.subscriber_terminate(
        subscriber_id=harbor.pk, reason="Three notices.", actor="agent"
    )
    return harbor.events.get()


def issue_token():
    sender = ApiSender.objects.create(name="Northwind", email="ops@northwind.example")
    return ApiSender, [sender.pk], {}, ApiToken.objects.filter(sender=sender).exists


def revoke_tokens():
    sender = ApiSender.objects.create(name="Northwind", email="ops@northwind.example")
    token, _ = ApiToken.issue(sender)
    return (
        ApiSender,
        [sender.pk],
        {},
        lambda: ApiToken.objects.get(pk=token.pk).revoked_at is not None,
    )


def inbound_message():
    return InboundMessage.objects.create(
        message_id="<m1@rights.example>",
        received_at=timezone.now(),
        kind=InboundMessage.Kind.RETRACTION,
        original="mail/m1.eml",
        sha256="0" * 64,
    )


def mark_handled():
    message = inbound_message()
    return (
        InboundMessage,
        [message.pk],
        {},
        lambda: InboundMessage.objects.get(pk=message.pk).handled_at is not None,
    )


def mark_posted():
    """A letter to a sender who gave no e-mail address waits to be printed and posted."""
    notice = web_notice()
    Notice.objects.filter(pk=notice.pk).update(email="", channel="post")
    letter = letter_to_complainant(
        notice=Notice.objects.get(pk=notice.pk), kind="rejection", context={}, now=timezone.now()
    )
    assert letter.state == "to_post"
    return (Letter, [letter.pk], {}, lambda: Letter.objects.get(pk=letter.pk).state == "posted")


def filed_counter_notice():
    notice, notification = notified_case(now=timezone.now() - timedelta(days=30))
    item = notice.items.get(subscriber=notification.subscriber)
    return counter_notice(notice, notification, item)


def confirm_restored():
    notice, notification = notified_case(now=timezone.now() - timedelta(days=30))
    item = notice.items.get(subscriber=notification.subscriber)
    counter = counter_notice(notice, notification, item, now=timezone.now() - timedelta(days=20))
    day_10_ended = datetime.combine(
        counter.restore_not_before + timedelta(days=1), time(0, 1), tzinfo=NEW_YORK
    )
    counter_notices_sweep(now=day_10_ended)
    assert CounterNotice.objects.get(pk=counter.pk).state == "due"
    # The agent enters when operations replaced the material; the record keeps that time.
    replaced = timezone.localtime().replace(second=0, microsecond=0) - timedelta(minutes=5)
    return (
        CounterNotice,
        [counter.pk],
        {"apply": "1", "replaced_at": f"{replaced:%Y-%m-%dT%H:%M}"},
        lambda: CounterNotice.objects.get(pk=counter.pk).restored_at == replaced,
    )


def court_action():
    counter = filed_counter_notice()
    return court_action_report(
        notice_id=counter.notice_id,
        court="S.D.N.Y.",
        case_number="1:26-cv-01234",
        filed_on=timezone.localdate(),
        complaint=None,
        reported_by="agent",
    )


def held_block():
    return assignment(subscriber(), "192.0.2.0/24", "2026-01-01T00:00:00Z")


def hosted_removal():
    from notices.models import HostedRemoval
    from tests.notices.hosted.conftest import report

    cloud = subscriber("C-7", "Blue Lantern Apps LLC")
    assignment(cloud, "203.0.113.0/24", "2025-01-01T00:00:00Z", service="hosting")
    report(("203.0.113.7", 6881, "2026-03-02T10:15:30+00:00"))
    return HostedRemoval.objects.get()


def hosted_counter():
    from counternotices.hosted import hosted_counter_notice_submit
    from tests.factories import counter_submission

    removal = hosted_removal()
    return hosted_counter_notice_submit(
        removal_id=removal.id, event_ids=[removal.events.get().id], submission=counter_submission()
    )


def hosted_counter_stopped():
    from counternotices.models import HostedCounterNotice

    counter = hosted_counter()
    return (
        HostedCounterNotice,
        [counter.pk],
        {"apply": "1", "reason": "Complaint filed in S.D.N.Y., No. 1:26-cv-0101."},
        lambda: HostedCounterNotice.objects.get(pk=counter.pk).state == "stopped",
    )


def network_event():
    from notices.network.intake import network_events_record

    held_block()
    (event,) = network_events_record(
        [{"ip": "192.0.2.10", "timestamp": "2026-03-02T10:15:30Z", "case_id": "NW-1"}],
        format="acns",
        sender="notices@rights.example",
        received_at=datetime(2026, 3, 3, tzinfo=UTC),
    )
    return event


def sender_decision():
    from notices.network.senders import sender_decide

    return sender_decide(
        sender_id=network_event().reporter_id,
        actor="agent",
        reason="Its notices demand settlements.",
        now=timezone.now(),
        facts_only=True,
    )


def policy_step():
    """A warning taken for a customer with three network notices."""
    from notices.core.policy import policy_sweep
    from notices.network.intake import network_events_record

    held = held_block()
    now = timezone.now()
    for n in range(3):
        event = {"ip": "192.0.2.7", "timestamp": (now - timedelta(hours=n + 1)).isoformat()}
        network_events_record(
            [{**event, "case_id": f"P-{n}"}],
            format="acns",
            sender="notices@vendor.example",
            received_at=now - timedelta(hours=n),
        )
    policy_sweep(now=now)
    return held.subscriber.policy_steps.get()


def mitigation():
    from notices.core.policy import mitigation_announce

    harbor = subscriber()
    return mitigation_announce(
        subscriber=harbor,
        step=None,
        kind="suspension",
        scope="account",
        target="",
        reason="Ten notices.",
        actor="agent",
        now=timezone.now(),
    )


SCENARIOS = {
    ("notices.notice", "start_review_action"): case_moved("received", "in_review"),
    ("notices.notice", "mark_deficient_action"): moved_with_a_reason(
        "deficient", note="The statement of good faith is missing."
    ),
    ("notices.notice", "reject_action"): moved_with_a_reason("rejected", reason="duplicate"),
    ("notices.notice", "accept_action"): case_moved("received", "accepted"),
    ("notices.notice", "close_action"): case_moved("subscriber_notified", "closed"),
    ("notices.notice", "rematch_action"): rematched,
    ("notices.notice", "export_internal_action"): export("internal"),
    ("notices.notice", "export_shareable_action"): export("shareable"),
    ("notices.notice", "delete_selected"): deletion(web_notice),
    ("notices.subscriber", "terminate_action"): terminate,
    ("notices.subscriber", "reinstate_action"): reinstate,
    ("notices.subscriber", "delete_selected"): deletion(subscriber),
    ("notices.letter", "delete_selected"): deletion(lambda: web_notice().letters.get()),
    ("notices.noticeevent", "delete_selected"): deletion(lambda: web_notice().events.first()),
    ("notices.personaldataview", "delete_selected"): deletion(
        lambda: PersonalDataView.objects.create(
            notice=web_notice(),
            user=User.objects.create_user("earlier-reader"),
            at=timezone.now(),
        )
    ),
    ("notices.subscriberevent", "delete_selected"): deletion(subscriber_event),
    ("notices.apisender", "issue_token_action"): issue_token,
    ("notices.apisender", "revoke_tokens_action"): revoke_tokens,
    ("notices.apisender", "delete_selected"): deletion(
        lambda: ApiSender.objects.create(name="Old sender", email="old@sender.example")
    ),
    ("notices.inboundmessage", "mark_handled_action"): mark_handled,
    ("notices.inboundmessage", "delete_selected"): deletion(inbound_message),
    ("notices.addressassignment", "delete_selected"): deletion(held_block),
    ("notices.networkcase", "delete_selected"): deletion(lambda: network_event().case),
    ("notices.networkevent", "delete_selected"): deletion(network_event),
    ("notices.networksender", "delete_selected"): deletion(lambda: network_event().reporter),
    ("notices.networksenderdecision", "delete_selected"): deletion(sender_decision),
    ("notices.policystep", "delete_selected"): deletion(policy_step),
    ("notices.mitigation", "delete_selected"): deletion(mitigation),
    ("notices.hostedremoval", "delete_selected"): deletion(hosted_removal),
    ("counternotices.hostedcounternotice", "stop_action"): lambda: hosted_counter_stopped(),
    ("counternotices.hostedcounternotice", "delete_selected"): deletion(lambda: hosted_counter()),
    ("counternotices.counternotice", "confirm_restored_action"): confirm_restored,
    ("notices.letter", "mark_posted_action"): mark_posted,
    ("counternotices.counternotice", "delete_selected"): deletion(filed_counter_notice),
    ("counternotices.courtaction", "delete_selected"): deletion(court_action),
    ("auth.user", "delete_selected"): deletion(lambda: User.objects.create_user("departed")),
    ("auth.user", "deactivate_action"): deactivation,
    ("auth.group", "delete_selected"): deletion(lambda: Group.objects.create(name="Interns")),
}


def staff(client, role: str) -> User:
    if role == SUPERUSER:
        user = User.objects.create_superuser("root", password="x")
    else:
        user = User.objects.create_user(username="staff", password="x", is_staff=True)
        if role != NO_GROUP:
            user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def test_the_table_names_every_action_of_every_registered_model_and_no_other():
    assert set(registered_actions()) == set(EXPECTED)
    assert set(SCENARIOS) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model_action", registered_actions(), ids="/".join)
def test_each_action_is_offered_and_carried_out_only_for_the_roles_allowed_it(
    client, model_action, role
):
    label, action = model_action
    assert model_action in EXPECTED, f"{label}: who may run {action}? Add it to EXPECTED."
    model, selected, extra, done = SCENARIOS[model_action]()
    allowed = role in EXPECTED[model_action]
    staff(client, role)
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    listing = client.get(changelist)
    offered = listing.status_code == 200 and f'<option value="{action}"' in listing.text
    response = client.post(
        changelist, {"action": action, "_selected_action": selected, **extra}, follow=True
    )
    assert response.status_code in (200, 403)
    outcome = {"offered": offered, "carried out": done()}
    assert outcome == {"offered": allowed, "carried out": allowed}, role
