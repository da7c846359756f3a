"""The case's state machine as a table: every transition from every state."""

import pytest
from django_fsm import TransitionNotAllowed

from notices.core import cases
from notices.models import Notice
from notices.models.workflow import TRANSITIONS, Status, allowed, refusal
from tests.factories import web_notice

EXPECTED = {
    "start_review": {"received"},
    "mark_deficient": {"received", "in_review"},
    "reject": {"received", "in_review", "deficient"},
    "accept": {"received", "in_review"},
    "disable_material": {"accepted"},
    "notify_subscribers": {"material_disabled"},
    "counter_notice": {"subscriber_notified", "counter_noticed", "closed"},
    "restoration_due": {"counter_noticed"},
    "restore": {"restoration_scheduled"},
    "await_window": {"restoration_scheduled"},
    "partly_restored": {"restoration_scheduled"},
    "court_action": {"counter_noticed", "restoration_scheduled"},
    "withdraw": {
        "received",
        "in_review",
        "deficient",
        "accepted",
        "material_disabled",
        "subscriber_notified",
        "counter_noticed",
        "restoration_scheduled",
    },
    "close": {"deficient", "subscriber_notified", "restored", "court_action_filed"},
}


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("status", [s.value for s in Status])
def test_each_transition_is_allowed_from_exactly_its_states(name, status):
    assert allowed(name, status) is (status in EXPECTED[name])


def test_a_refusal_says_what_is_needed_and_what_the_case_is():
    message = refusal("accept", "rejected")
    assert "“Accept” is possible only when the case is “Received” or “In review”" in message
    assert "this case is “Rejected”" in message


@pytest.mark.django_db
def test_the_status_cannot_be_set_directly():
    notice = web_notice()
    with pytest.raises(AttributeError):
        notice.status = Status.ACCEPTED


@pytest.mark.django_db
def test_the_model_refuses_a_move_the_table_does_not_allow():
    notice = web_notice()
    with pytest.raises(TransitionNotAllowed):
        notice.close()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "service, kwargs",
    [
        ("notice_start_review", {}),
        ("notice_accept", {}),
        ("notice_close", {}),
        ("notice_withdraw", {}),
        ("notice_reject", {"reason": "duplicate"}),
    ],
)
def test_services_refuse_moves_from_a_final_state_and_change_nothing(service, kwargs):
    notice = web_notice()
    cases.notice_reject(notice_id=notice.id, reason="abusive", actor="agent")
    events = notice.events.count()
    with pytest.raises(cases.NoticeError, match="this case is “Rejected”"):
        getattr(cases, service)(notice_id=notice.id, actor="agent", **kwargs)
    assert Notice.objects.get(id=notice.id).status == "rejected"
    assert notice.events.count() == events
