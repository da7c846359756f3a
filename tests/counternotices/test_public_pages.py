import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from counternotices.models import CounterNotice, CourtAction
from notices.models import Notice
from tests.factories import counter_form_data, counter_notice, notified_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    notice, notification = notified_case()
    item = notice.items.get(subscriber=notification.subscriber)
    return notice, notification, item


def test_the_form_shows_the_case_and_the_subscribers_material(client, case):
    notice, notification, item = case
    page = client.get(reverse("counter_notice_new", args=[notification.token])).content.decode()
    assert notice.reference in page
    assert "Lantern Row Records LLC" in page
    assert "https://files.example-host.net/share/night-roads.zip (access disabled)" in page
    assert "198.51.100.23" not in page  # not this subscriber's
    assert "§ 512(g)(3)(D)" in page and "§ 512(f)" in page
    assert "Southern District of New York" in page  # the consent for a foreign address
    assert "m.okafor@lanternrow.example" not in page


def test_a_counter_notice_filed_on_the_form(client, case, settings):
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    # Through the desk's TLS proxy: the subscriber's own address is recorded.
    settings.TRUSTED_PROXIES = ["192.0.2.10"]
    response = client.post(
        url,
        counter_form_data(item.id),
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.44",
    )
    assert response.status_code == 302
    counter = CounterNotice.objects.get()
    assert (counter.phone, counter.signature_ip, counter.channel) == (
        "+18025550177",
        "192.0.2.44",
        "web",
    )
    assert list(counter.items.all()) == [item]
    assert Notice.objects.get(id=notice.id).status == "counter_noticed"
    page = client.get(url).content.decode()
    assert "Counter notice received" in page
    for day, number in [(counter.restore_not_before, 10), (counter.restore_not_after, 14)]:
        suffix = "(business day 10, New York time)" if number == 10 else "(business day 14)"
        assert f"{day:%A, %B} {day.day}, {day.year} {suffix}" in page


def test_a_company_files_a_counter_notice_signed_by_its_officer(client, case):
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    company = {"name": "Whitfield Media LLC", "signature_name": "Dana Whitfield"}
    assert "the name of the person who signs for it" in client.get(url).text
    refused = client.post(url, counter_form_data(item.id, **company)).content.decode()
    assert "unless you sign for a company" in refused
    assert not CounterNotice.objects.exists()
    data = counter_form_data(item.id, **company, signed_for_organization="on")
    assert client.post(url, data).status_code == 302
    counter = CounterNotice.objects.get()
    assert (counter.name, counter.signature_name) == ("Whitfield Media LLC", "Dana Whitfield")


def test_errors_are_grouped_by_requirement_and_nothing_is_stored(client, case):
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    data = counter_form_data(item.id, phone="", mistake_statement=None, items=[])
    page = client.post(url, data).content.decode()
    assert "§ 512(g)(3)(B): The material and where it appeared" in page
    assert "§ 512(g)(3)(C): Statement of mistake or misidentification" in page
    assert "§ 512(g)(3)(D): Your contact details and consent to jurisdiction" in page
    assert "Give a telephone number." in page
    assert 'value="12 Orchard Lane"' in page
    assert not CounterNotice.objects.exists()


def test_a_wrong_token_is_not_found(client, case):
    assert client.get(reverse("counter_notice_new", args=["nope"])).status_code == 404


def test_the_complainant_reports_a_court_action_from_the_status_link(client, case):
    notice, notification, item = case
    counter_notice(notice, notification, item)
    status = client.get(reverse("notices:status", args=[notice.status_token])).content.decode()
    assert "Report a court action" in status
    assert "Restore after the end of (day 10)" in status
    response = client.post(
        reverse("court_action_new", args=[notice.status_token]),
        {
            "court": "U.S. District Court for the Southern District of New York",
            "case_number": "1:26-cv-04242",
            "filed_on": "2026-11-25",
            "complaint": SimpleUploadedFile("complaint.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    assert response.status_code == 302
    action = CourtAction.objects.get()
    assert (action.reported_by, action.stopped_restoration) == ("complainant", True)
    assert Notice.objects.get(id=notice.id).status == "court_action_filed"


def test_a_court_action_with_a_future_date_is_refused(client, case):
    notice, notification, item = case
    counter_notice(notice, notification, item)
    page = client.post(
        reverse("court_action_new", args=[notice.status_token]),
        {"court": "S.D.N.Y.", "case_number": "1", "filed_on": "2099-01-01"},
    ).content.decode()
    assert "cannot be in the future" in page
    assert not CourtAction.objects.exists()


def test_the_complainant_withdraws_from_the_status_link(client, case):
    notice, _, _ = case
    url = reverse("notices:withdraw", args=[notice.status_token])
    assert "This cannot be undone" in client.get(url).content.decode()
    client.post(url, {"reason": "We settled."})
    notice.refresh_from_db()
    assert notice.status == "withdrawn"
    assert notice.events.get(action="notice.withdraw").note == "We settled."


def test_restoration_window_command_prints_json(capsys):
    call_command("restoration_window", "2026-12-18T15:30")
    result = json.loads(capsys.readouterr().out)
    assert result["restore_not_before"] == "2027-01-05"
    assert result["restore_not_after"] == "2027-01-11"
    # 02:00 UTC on Saturday is still Friday in New York.
    call_command("restoration_window", "2026-12-19T02:00+00:00")
    assert json.loads(capsys.readouterr().out)["received_on"] == "2026-12-18"


def test_the_agent_logs_a_counter_notice_that_came_by_post(client, case, django_user_model):
    from django.contrib.auth.models import Group

    notice, notification, item = case
    user = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(user)
    response = client.post(
        reverse("admin:counternotices_counternotice_log"),
        {
            "reference": notice.reference,
            "account_id": notification.subscriber.account_id,
            "channel": "post",
            "received_at": "2026-11-20T15:30",
            "original": SimpleUploadedFile("counter.pdf", b"%PDF-1.4 signed", "application/pdf"),
            "locations": item.location,
            "name": "Dana Whitfield",
            "street": "12 Orchard Lane",
            "city": "Burlington",
            "country": "US",
            "phone": "+1 802 555 0177",
            "mistake_statement": "on",
            "consent_to_jurisdiction": "on",
            "signature_name": "Dana Whitfield",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    counter = CounterNotice.objects.get()
    assert counter.channel == "post"
    assert counter.restore_not_before == date(2026, 12, 7)  # Thanksgiving skipped
    assert counter.original.name == "counter.pdf"


def _second_notified_case():
    """Another case of the same subscriber, taken down: its own counter-notice link."""
    from notices.core import cases
    from tests.factories import web_notice

    notice = web_notice()
    cases.notice_accept(notice_id=notice.id, actor="agent")
    item = notice.items.get(subscriber__account_id="C-1")
    cases.notice_disable_material(notice_id=notice.id, actions={item.id: "removed"}, actor="agent")
    return notice.notifications.get(), item


def test_refused_counter_notices_do_not_count_against_the_limit(client, case, settings):
    """Only counter notices filed count; corrections of a refused form do not."""
    settings.COUNTER_NOTICE_FORM_RATE = "1/h"
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    for _ in range(3):
        refused = client.post(url, counter_form_data(item.id, signature_name=""))
        assert refused.status_code == 200
    assert client.post(url, counter_form_data(item.id)).status_code == 302
    other, other_item = _second_notified_case()
    limited = client.post(
        reverse("counter_notice_new", args=[other.token]), counter_form_data(other_item.id)
    )
    assert limited.status_code == 429
    assert "Too many counter notices from your network" in limited.content.decode()
    assert CounterNotice.objects.count() == 1


def test_a_flood_of_counter_notice_attempts_is_refused(client, case, settings):
    settings.COUNTER_NOTICE_FORM_ATTEMPT_RATE = "3/h"
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    statuses = [
        client.post(url, counter_form_data(item.id, signature_name="")).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert CounterNotice.objects.count() == 0
