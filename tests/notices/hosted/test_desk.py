"""Hosted removals on the desk, for each role: only the Designated agent decides whether
an address is disabled; the Auditor follows the requests without personal data."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.core.hosted import hosted_removal_answer, hosted_removals_sweep
from notices.models import HostedRemoval, Letter

from .conftest import report

pytestmark = pytest.mark.django_db

AGENT, LEGAL, AUDITOR, NO_GROUP = "Designated agent", "Legal staff", "Auditor", None
REASON = "Customer unreachable by phone; the notice names a full film."


@pytest.fixture
def overdue(hosting):
    report(("203.0.113.7", 6881, "2026-03-02T10:15:30+00:00"))
    removal = HostedRemoval.objects.get()
    hosted_removals_sweep(now=removal.deadline_at)
    removal.refresh_from_db()
    return removal


def login(client, role):
    user = User.objects.create_user(username=f"u-{role}", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def decide_url(removal):
    return reverse("admin:notices_hostedremoval_decide", args=[removal.id])


@pytest.mark.parametrize(
    "role, lists, decides",
    [(AGENT, 200, 200), (LEGAL, 200, 403), (AUDITOR, 200, 403), (NO_GROUP, 403, 403)],
)
def test_who_opens_the_requests_and_who_decides(client, overdue, role, lists, decides):
    login(client, role)
    assert client.get(reverse("admin:notices_hostedremoval_changelist")).status_code == lists
    change = reverse("admin:notices_hostedremoval_change", args=[overdue.id])
    assert client.get(change).status_code == lists
    assert client.get(decide_url(overdue)).status_code == decides
    response = client.post(decide_url(overdue), {"decision": "disable", "reason": REASON})
    assert response.status_code == decides if decides == 403 else 302
    disabled = HostedRemoval.objects.get().state == "disabled"
    assert disabled == (role == AGENT)


def test_anonymous_is_sent_to_the_login(client, overdue):
    response = client.get(decide_url(overdue))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(decide_url(overdue), {"decision": "disable", "reason": REASON})
    assert HostedRemoval.objects.get().state == "overdue"


def test_the_agents_decision_is_recorded_with_who_when_and_why(client, overdue, settings):
    agent = login(client, AGENT)
    change = reverse("admin:notices_hostedremoval_change", args=[overdue.id])
    assert "Decide: disable the address?" in client.get(change).content.decode()
    page = client.get(decide_url(overdue)).content.decode()
    assert "203.0.113.7" in page and "Decide by Monday, Mar 9, 2026" in page
    page = client.post(decide_url(overdue), {"decision": "disable", "reason": ""}).content.decode()
    assert "Give the reason for the decision." in page
    assert HostedRemoval.objects.get().state == "overdue"
    client.post(decide_url(overdue), {"decision": "disable", "reason": REASON})
    removal = HostedRemoval.objects.get()
    assert (removal.state, removal.decided_by, removal.decision_reason) == (
        "disabled",
        agent.username,
        REASON,
    )
    assert Letter.objects.get(kind="hosted_disable").to_email == settings.OPERATIONS_EMAIL
    page = client.get(change).content.decode()
    assert REASON in page and "Decide: disable the address?" not in page


def test_a_request_answered_meanwhile_cannot_be_decided(client, overdue):
    login(client, AGENT)
    hosted_removal_answer(removal_id=overdue.id, answer="removed")
    page = client.post(decide_url(overdue), {"decision": "disable", "reason": REASON})
    assert "there is nothing to decide" in page.content.decode()
    assert not Letter.objects.filter(kind="hosted_disable").exists()


def test_the_auditor_sees_the_requests_without_personal_data(client, overdue):
    hosted_removal_answer(
        removal_id=overdue.id, answer="not_mine", reason="Call Pat at +1 802 555 0199."
    )
    login(client, AUDITOR)
    for page in (
        client.get(reverse("admin:notices_hostedremoval_changelist")),
        client.get(reverse("admin:notices_hostedremoval_change", args=[overdue.id])),
    ):
        text = page.content.decode()
        assert "Not the customer" in text
        assert "203.0.113.7" not in text and "555 0199" not in text
    search = reverse("admin:notices_hostedremoval_changelist") + "?q=203.0.113.7"
    assert "0 results" in client.get(search).content.decode()  # no search by address


def test_the_desk_index_counts_hosted_removals_overdue(client, overdue):
    from tests.conftest import desk_today

    login(client, AGENT)
    rows = desk_today(client.get(reverse("admin:index")).content.decode())
    assert rows["Hosted removals overdue: disable the address?"] == (1, True)
    assert rows["Hosted removals waiting for the customer"] == (0, False)


def test_the_hosted_counter_notices_list_shows_the_customer_only_to_roles_with_personal_data(
    client, overdue
):
    from counternotices.hosted import hosted_counter_notice_submit
    from tests.factories import counter_submission

    counter = hosted_counter_notice_submit(
        removal_id=overdue.id, event_ids=[overdue.events.get().id], submission=counter_submission()
    )
    change = reverse("admin:counternotices_hostedcounternotice_change", args=[counter.id])
    login(client, AGENT)
    assert "Dana Whitfield" in client.get(change).content.decode()
    client.logout()
    login(client, AUDITOR)
    page = client.get(change).content.decode()
    assert "Restore not before" in page or "restore not before" in page.lower()
    assert "Dana Whitfield" not in page and "+18025550177" not in page
    assert "203.0.113.7" not in page
    client.logout()
    login(client, NO_GROUP)
    assert client.get(change).status_code == 403
