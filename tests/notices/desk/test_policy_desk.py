"""The repeat-infringer policy on the desk, role by role: reviews to decide, suspensions
and terminations to lift or appeal, the ledger on the subscriber's page and as PDF."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from notices.core.policy import mitigation_appeal, policy_step_decide, waiting_for_agent
from notices.models import Document, Mitigation, PersonalDataView, PolicyStep
from tests.conftest import desk_today
from tests.notices.core.test_policy import START, customer, reports_then_sweep  # noqa: F401
from tests.notices.desk.test_admin import login

pytestmark = pytest.mark.django_db

ROLES = ["Designated agent", "Legal staff", "Auditor", None]
SECRET_REASON = "Spoke to jane.roe@lantern-row.example on +1 212 555 0199."


@pytest.fixture
def review(customer):  # noqa: F811
    """A suspension review waiting for the agent."""
    reports_then_sweep(10, START)
    return waiting_for_agent().get(subscriber=customer)


@pytest.fixture
def suspension(review):
    policy_step_decide(
        step_id=review.id,
        decision="suspend",
        reason=SECRET_REASON,
        actor="ag",
        scope="address",
        target="198.51.100.7",
    )
    mitigation = Mitigation.objects.get()
    mitigation_appeal(
        mitigation_id=mitigation.id, reason_code="other", text=SECRET_REASON, actor="ag"
    )
    return mitigation


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_policy_steps_and_mitigations(client, role, suspension):
    login(client, role)
    for url in [
        reverse("admin:notices_policystep_changelist"),
        reverse("admin:notices_policystep_change", args=[suspension.step_id]),
        reverse("admin:notices_mitigation_changelist"),
        reverse("admin:notices_mitigation_change", args=[suspension.id]),
    ]:
        response = client.get(url)
        assert response.status_code == (403 if role is None else 200), (role, url)
        if role == "Auditor":
            customer = suspension.subscriber.notice_email  # the step's letter is addressed so
            for personal in ["jane.roe", "555 0199", "198.51.100.7", customer]:
                assert personal not in response.text, (url, personal)
        if role == "Designated agent" and "/change/" in url:
            assert "jane.roe@lantern-row.example" in response.text, url


def test_a_stranger_sees_nothing(client, suspension):
    for url in [
        reverse("admin:notices_policystep_changelist"),
        reverse("admin:notices_policystep_decide", args=[suspension.step_id]),
        reverse("admin:notices_mitigation_lift", args=[suspension.id]),
        reverse("admin:notices_subscriber_ledger", args=[suspension.subscriber_id, "internal"]),
    ]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.parametrize("role", ROLES)
def test_only_the_agent_decides_a_review(client, role, review):
    login(client, role)
    url = reverse("admin:notices_policystep_decide", args=[review.id])
    decision = {"decision": "suspend", "scope": "account", "reason": "Ten notices."}
    assert client.get(url).status_code == (200 if role == "Designated agent" else 403)
    response = client.post(url, decision)
    review.refresh_from_db()
    if role == "Designated agent":
        assert response.status_code == 302
        assert review.decision == "suspend" and review.decided_by == "user-Designated agent"
        assert Mitigation.objects.get().state == "pending"
    else:
        assert response.status_code == 403 and review.decided_at is None


def test_the_decision_form_asks_for_the_reason_and_the_target(client, review):
    login(client, "Designated agent")
    url = reverse("admin:notices_policystep_decide", args=[review.id])
    page = client.post(url, {"decision": "suspend", "scope": "address", "reason": ""}).text
    assert "Give the reason: it is kept on the ledger." in page
    assert "Name the address or server it covers." in page
    assert "Terminate" not in page  # a suspension review offers suspension or nothing
    review.refresh_from_db()
    assert review.decided_at is None


@pytest.mark.parametrize("role", ROLES)
def test_only_the_agent_lifts_or_records_an_appeal(client, role, review):
    policy_step_decide(step_id=review.id, decision="suspend", reason="Ten.", actor="ag")
    mitigation = Mitigation.objects.get()
    login(client, role)
    appeal = reverse("admin:notices_mitigation_appeal", args=[mitigation.id])
    lift = reverse("admin:notices_mitigation_lift", args=[mitigation.id])
    allowed = role == "Designated agent"
    assert client.get(appeal).status_code == (200 if allowed else 403)
    client.post(appeal, {"reason_code": "resolved", "text": "Seedbox removed."})
    client.post(lift, {"reason": "Appeal upheld."})
    mitigation.refresh_from_db()
    if allowed:
        assert mitigation.appeal_reason == "resolved" and mitigation.state == "lifted"
    else:
        assert not mitigation.appealed_at and mitigation.state == "pending"


def test_the_desk_counts_steps_waiting_for_the_agent(client, review):
    login(client, "Designated agent")
    rows = desk_today(client.get(reverse("admin:index")).text)
    label = "Repeat-infringer steps waiting for the agent (suspension, termination)"
    assert rows[label] == (1, True)
    assert rows["Repeat-infringer steps waiting past their deadline"][0] == 1  # START is long past
    policy_step_decide(step_id=review.id, decision="no_action", reason="Spoke.", actor="ag")
    rows = desk_today(client.get(reverse("admin:index")).text)
    assert rows[label] == (0, False)


def test_the_subscriber_page_shows_the_ledger_and_the_steps(client, suspension):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_subscriber_change", args=[suspension.subscriber_id]))
    text = page.text
    assert "notices counted in the last 365 days (10)" in text
    assert text.count("Network notice") == 10
    for step in ["Warning, to be acknowledged", "Suspension review by the Designated Agent"]:
        assert step in text
    assert "Ledger as PDF: internal (complete)" in text
    login(client, "Auditor")
    text = client.get(
        reverse("admin:notices_subscriber_change", args=[suspension.subscriber_id])
    ).text
    assert "jane.roe" not in text and "Ledger as PDF" not in text


def _ledger_pdf(client, subscriber_id, version):
    url = reverse("admin:notices_subscriber_ledger", args=[subscriber_id, version])
    return client.post(url)


@pytest.mark.parametrize("role", ROLES)
def test_legal_staff_and_the_agent_export_the_ledger_the_auditor_does_not(client, role, suspension):
    user = login(client, role)
    response = _ledger_pdf(client, suspension.subscriber_id, "internal")
    if role in ("Designated agent", "Legal staff"):
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        view = PersonalDataView.objects.get(user=user)
        assert view.subscriber_id == suspension.subscriber_id and view.notice is None
    else:
        assert response.status_code == 403
        assert not Document.objects.exists()
    assert client.get(
        reverse("admin:notices_subscriber_ledger", args=[suspension.subscriber_id, "internal"])
    ).status_code in (403, 404)


def _ledger_text(client, subscriber_id, version) -> str:
    response = _ledger_pdf(client, subscriber_id, version)
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return "".join(page.extract_text() for page in pdf.pages)


def test_the_ledger_pdf_internal_and_shareable(client, suspension):
    login(client, "Legal staff")
    internal = _ledger_text(client, suspension.subscriber_id, "internal")
    shareable = _ledger_text(client, suspension.subscriber_id, "shareable")
    for text in (internal, shareable):
        assert "Repeat-infringer ledger: account C-7" in text
        assert "Notices counted (10)" in text and "Suspension review" in text
        assert "Suspension" in text and "Waiting" not in text
    held = suspension.subscriber
    assert held.notice_email in internal and "jane.roe@lantern-row.example" in internal
    assert held.notice_email not in shareable and "88 Pier Road" not in shareable
    assert "jane.roe" not in shareable and "555 0199" not in shareable
    documents = Document.objects.filter(subscriber=held, kind="ledger")
    assert sorted(documents.values_list("version", flat=True)) == ["internal", "shareable"]
    assert all(len(d.sha256) == 64 for d in documents)


def test_a_review_past_its_deadline_is_flagged_in_the_list(client, review):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_policystep_changelist") + "?waiting=yes").text
    assert "To decide by" in page and "desk-flag" in page
    PolicyStep.objects.filter(id=review.id).update(due_at=review.taken_at + timedelta(days=9999))
    page = client.get(reverse("admin:notices_policystep_changelist") + "?waiting=yes").text
    assert 'class="desk-flag"' not in page.split("result_list")[1]


def test_nobody_changes_or_deletes_a_step(client, review):
    client.force_login(User.objects.create_superuser("root", password="x"))
    url = reverse("admin:notices_policystep_delete", args=[review.id])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert PolicyStep.objects.filter(id=review.id).exists()


def test_the_account_state_is_the_last_termination_or_reinstatement_not_a_policy_event(
    client, suspension
):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_subscriber_change", args=[suspension.subscriber_id]))
    assert "Account: <strong>Active</strong>" in page.text
    listing = client.get(reverse("admin:notices_subscriber_changelist")).text
    assert "Appeal by the customer recorded" not in listing


def test_opening_a_letter_about_an_account_is_recorded_as_an_access(client, review):
    login(client, "Designated agent")
    letter = review.letter
    response = client.get(reverse("admin:notices_letter_change", args=[letter.id]))
    assert response.status_code == 200
    access = PersonalDataView.objects.get(what=f"Letter {letter.id}")
    assert access.subscriber == review.subscriber and access.notice is None
