"""The Designated Agent's desk in the admin: roles, checklist, transitions, scale."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices.core import cases, subscribers
from notices.core.statutory import Item
from notices.models import Notice, PersonalDataView, Subscriber
from notices.outbox import letters
from tests.conftest import desk_today
from tests.factories import subscriber, web_notice

pytestmark = pytest.mark.django_db

ROLES = ["Designated agent", "Legal staff", "Auditor"]


def login(client, role: str | None) -> User:
    user = User.objects.create_user(username=f"user-{role or 'none'}", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


@pytest.fixture
def case():
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    return web_notice()


def urls(case):
    return {
        "index": ("get", reverse("admin:index")),
        "case list": ("get", reverse("admin:notices_notice_changelist")),
        "case page": ("get", reverse("admin:notices_notice_change", args=[case.id])),
        "log page": ("get", reverse("admin:notices_notice_log")),
        "start review": (
            "post",
            reverse("admin:notices_notice_transition", args=[case.id, "start_review"]),
        ),
        "match subscribers": ("get", reverse("admin:notices_notice_subscribers", args=[case.id])),
        "resend letter": (
            "post",
            reverse("admin:notices_notice_resend", args=[case.id, case.letters.get().id]),
        ),
        "subscribers": ("get", reverse("admin:notices_subscriber_changelist")),
        "letters": ("get", reverse("admin:notices_letter_changelist")),
        "audit trail": ("get", reverse("admin:notices_noticeevent_changelist")),
        "add audit event": ("get", reverse("admin:notices_noticeevent_add")),
        "edit audit event": (
            "get",
            reverse("admin:notices_noticeevent_change", args=[case.events.first().id]),
        ),
        "delete audit event": (
            "get",
            reverse("admin:notices_noticeevent_delete", args=[case.events.first().id]),
        ),
        "personal data views": ("get", reverse("admin:notices_personaldataview_changelist")),
    }


OK, DENIED = "ok", "denied"
# What each role may do; anything not listed as OK must be refused.
MATRIX = {
    "Designated agent": {
        "index",
        "case list",
        "case page",
        "log page",
        "start review",
        "match subscribers",
        "resend letter",
        "subscribers",
        "letters",
        "audit trail",
        "edit audit event",  # read-only view
        "personal data views",
    },
    "Legal staff": {
        "index",
        "case list",
        "case page",
        "subscribers",
        "letters",
        "audit trail",
        "edit audit event",
    },
    "Auditor": {  # letters carry the parties' contact details: not for auditors
        "index",
        "case list",
        "case page",
        "subscribers",
        "audit trail",
        "edit audit event",
        "personal data views",
    },
    None: {"index"},
}


@pytest.mark.parametrize("role", [*ROLES, None])
def test_permissions_matrix(client, case, role):
    login(client, role)
    for name, (method, url) in urls(case).items():
        response = getattr(client, method)(url)
        if name in MATRIX[role]:
            assert response.status_code in (200, 302), f"{role} / {name}"
            assert "/login/" not in response.get("Location", ""), f"{role} / {name}"
        else:
            assert response.status_code == 403, f"{role} / {name}: {response.status_code}"
    expected = "in_review" if role == "Designated agent" else "received"
    assert Notice.objects.get(id=case.id).status == expected
    assert case.letters.count() == (2 if role == "Designated agent" else 1)  # the resend


def test_anonymous_users_are_sent_to_the_login_page(client, case):
    for name, (method, url) in urls(case).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name


def test_nobody_can_change_the_audit_trail_not_even_a_superuser(client, case):
    admin_user = User.objects.create_superuser("root", password="x")
    client.force_login(admin_user)
    event = case.events.first()
    assert client.get(reverse("admin:notices_noticeevent_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:notices_noticeevent_delete", args=[event.id]), {"post": "yes"}
        ).status_code
        == 403
    )
    page = client.get(reverse("admin:notices_noticeevent_change", args=[event.id])).content.decode()
    assert 'name="_save"' not in page


def test_the_case_page_shows_the_checklist_items_and_history(client, case):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_notice_change", args=[case.id])).content.decode()
    for text in [
        "§ 512(c)(3)(A)(i)",
        "§ 512(c)(3)(A)(vi)",
        "Album “Night Roads”",  # the evidence for (ii)
        "Harbor Cloud",
        "Not on our network",  # the IP item matches no subscriber
        "Notice received",
        "Acknowledgement to the complainant",
        "Start review",
        "m.okafor@lanternrow.example",
    ]:
        assert text in page, text


def test_viewing_personal_data_is_recorded(client, case):
    user = login(client, "Legal staff")
    client.get(reverse("admin:notices_notice_change", args=[case.id]))
    view = PersonalDataView.objects.get()
    assert (view.user, view.notice) == (user, case)


def test_an_auditor_sees_the_case_without_personal_data(client, case):
    login(client, "Auditor")
    page = client.get(reverse("admin:notices_notice_change", args=[case.id])).content.decode()
    assert case.reference in page
    for personal in ["Maria Okafor", "m.okafor@lanternrow.example", "+17185550143", "410 Harbor"]:
        assert personal not in page
    assert "Start review" not in page
    assert not PersonalDataView.objects.exists()


def test_the_agent_moves_a_case_with_a_confirmation(client, case):
    login(client, "Designated agent")
    url = reverse("admin:notices_notice_transition", args=[case.id, "reject"])
    confirm = client.get(url).content.decode()
    assert "The case moves from <strong>Received</strong> to <strong>Rejected</strong>" in confirm
    assert "Not a copyright claim" in confirm
    response = client.post(url, {"reason": "not_copyright", "note": "Trademark only."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.rejection_reason) == ("rejected", "not_copyright")
    assert case.events.get(action="notice.reject").actor == "user-Designated agent"


def test_a_refused_transition_says_why(client, case):
    login(client, "Designated agent")
    url = reverse("admin:notices_notice_transition", args=[case.id, "close"])
    response = client.get(url, follow=True)
    assert "“Close” is possible only when the case is" in response.content.decode()
    assert Notice.objects.get(id=case.id).status == "received"


def test_takedown_from_the_case_page(client, case):
    login(client, "Designated agent")
    cases.notice_accept(notice_id=case.id, actor="agent")
    url = reverse("admin:notices_notice_transition", args=[case.id, "disable_material"])
    first, second = case.items.all()
    client.post(url, {f"item_{first.id}": "removed", f"item_{second.id}": "not_actioned"})
    case.refresh_from_db()
    assert case.status == "subscriber_notified"
    first.refresh_from_db()
    assert first.action == "removed"
    assert case.notifications.count() == 1


def test_list_actions_report_each_refused_case(client, case):
    login(client, "Designated agent")
    other = web_notice()
    cases.notice_reject(notice_id=other.id, reason="duplicate", actor="agent")
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "start_review_action", "_selected_action": [case.id, other.id]},
        follow=True,
    )
    page = response.content.decode()
    assert "Start review: 1 case(s)." in page
    assert f"{other.reference}: “Start review” is possible only when" in page
    assert Notice.objects.get(id=case.id).status == "in_review"


def test_the_agent_logs_a_notice_that_came_by_post(client):
    login(client, "Designated agent")
    scan = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 scanned letter", "application/pdf")
    response = client.post(
        reverse("admin:notices_notice_log"),
        {
            "channel": "post",
            "received_at": "2026-11-20T09:15",
            "original": scan,
            "complainant_name": "Otto Brandt",
            "complainant_organization": "Brandt Verlag GmbH",
            "works": "Novel “Stille Wasser”",
            "locations": "https://books.example-host.net/stille.epub",
            "good_faith_statement": "on",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.channel == "post"
    assert notice.received_at.isoformat() == "2026-11-20T14:15:00+00:00"  # 09:15 in New York
    attachment = notice.attachments.get()
    assert attachment.name == "letter.pdf"
    assert len(attachment.sha256) == 64
    page = client.get(reverse("admin:notices_notice_change", args=[notice.id])).content.decode()
    # (iv) on a letter: any one way to reach the sender; this one gave none.
    assert "Give a postal address, a telephone number or an e-mail address." in page
    assert "There is no signature" in page
    download = client.get(
        reverse("admin:notices_notice_attachment", args=[notice.id, attachment.id])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 scanned letter"


def test_the_log_page_refuses_files_that_are_not_originals(client):
    login(client, "Designated agent")
    response = client.post(
        reverse("admin:notices_notice_log"),
        {
            "channel": "fax",
            "received_at": "2026-11-20T09:15",
            "original": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert "Attach the original as a PDF, an image or an .eml file." in response.content.decode()
    assert not Notice.objects.exists()


def test_search_finds_cases_by_reference_organization_and_location(client, case):
    login(client, "Designated agent")
    other = web_notice(organization="Other Films Inc", items=[Item("https://other.example.com/x")])
    changelist = reverse("admin:notices_notice_changelist")

    def found(term):
        page = client.get(changelist, {"q": term}).content.decode()
        return {n.reference for n in (case, other) if n.reference in page}

    assert found(case.reference) == {case.reference}
    assert found("Other Films") == {other.reference}
    assert found("https://FILES.example-host.net:443/share/night-roads.zip") == {case.reference}
    assert found("files.example-host.net") == {case.reference}
    assert found("198.51.100.23") == {case.reference}
    assert found("nothing.example.org") == set()


def test_the_index_shows_what_needs_the_agent_today(client, case, inbox):
    cases.notice_start_review(notice_id=web_notice().id, actor="agent")
    inbox.refuse_with = "550 No such mailbox"
    letters.letter_send(letter_id=case.letters.get().id)
    login(client, "Designated agent")
    page = client.get(reverse("admin:index")).content.decode()
    today = desk_today(page)
    assert today["New cases"] == (1, False)
    assert today["In review"] == (1, False)
    assert today["Letters that failed"] == (1, True)
    assert today["Letters the mail server has not taken yet, retrying"] == (0, False)
    assert today["Accepted, material to disable"] == (0, False)


def test_the_case_list_query_count_does_not_grow_with_rows(client):
    login(client, "Designated agent")
    url = reverse("admin:notices_notice_changelist")

    def queries_for_list() -> int:
        client.get(url)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        return len(queries)

    for _ in range(10):
        web_notice()
    with_10 = queries_for_list()
    for _ in range(190):
        web_notice()
    with_200 = queries_for_list()
    assert with_10 == with_200, (with_10, with_200)


def test_the_date_drill_down_lists_only_periods_with_cases_in_new_york_time(client):
    login(client, "Designated agent")
    new_york = ZoneInfo("America/New_York")
    for moment in ["2024-12-31 23:30", "2025-03-02 10:00", "2025-03-20 10:00", "2025-07-04 12:00"]:
        web_notice(now=datetime.fromisoformat(moment).replace(tzinfo=new_york))
    url = reverse("admin:notices_notice_changelist")

    def periods(**params):
        page = client.get(url, params).content.decode()
        toplinks = re.search(r'<nav class="toplinks">(.*?)</nav>', page, re.S).group(1)
        return re.findall(r'<a href="[^"]*"\s*>([^<]+)</a>', toplinks)

    # 23:30 on New Year's Eve in New York is already 2025 in UTC: it belongs to 2024.
    assert periods() == ["2024", "2025"]
    assert periods(received_at__year=2025) == ["March 2025", "July 2025"]
    assert periods(received_at__year=2025, received_at__month=3) == ["March 2", "March 20"]


def test_the_case_list_and_its_drill_down_cope_with_odd_dates(client):
    """Cases dated at the ends of the calendar (a forged header before the arrival was
    bounded, a paper notice from long ago) must not break the list for everyone."""
    login(client, "Designated agent")
    for moment in [datetime(1900, 1, 1, 12, tzinfo=UTC), datetime(9999, 12, 31, 12, tzinfo=UTC)]:
        web_notice(now=moment)
    web_notice()
    url = reverse("admin:notices_notice_changelist")
    for params in [
        {},
        {"received_at__year": 9999},
        {"received_at__year": 9999, "received_at__month": 12},
        {"received_at__year": 9999, "received_at__month": 12, "received_at__day": 31},
        {"received_at__year": 1900},
    ]:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200, params
    page = client.get(url).content.decode()
    toplinks = re.search(r'<nav class="toplinks">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r'<a href="[^"]*"\s*>([^<]+)</a>', toplinks) == [
        "1900",
        str(timezone.localtime().year),
        "9999",
    ]


def test_a_paper_notice_goes_from_logged_to_subscriber_notified_in_the_admin(client):
    harbor = subscriber("C-9", "Harbor Cloud", [("domain", "example-host.net")])
    login(client, "Designated agent")
    client.post(
        reverse("admin:notices_notice_log"),
        {
            "channel": "post",
            "received_at": "2026-11-20T09:15",
            "original": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", "application/pdf"),
            "complainant_name": "Otto Brandt",
            "acting_as": "owner",
            "street": "Hafenstrasse 3",
            "city": "Hamburg",
            "country": "DE",
            "phone": "+49 40 1234567",
            "email": "otto@brandt-verlag.example",
            "works": "Novel “Stille Wasser”",
            "locations": "https://books.example-host.net/stille.epub",
            "good_faith_statement": "on",
            "accuracy_statement": "on",
            "signature_name": "Otto Brandt",
        },
    )
    notice = Notice.objects.get()
    for name in ["start_review", "accept"]:
        response = client.post(
            reverse("admin:notices_notice_transition", args=[notice.id, name]), follow=True
        )
        assert "done." in response.content.decode(), response.content.decode()[-3000:]
    item = notice.items.get()
    client.post(
        reverse("admin:notices_notice_transition", args=[notice.id, "disable_material"]),
        {f"item_{item.id}": "removed"},
    )
    notice.refresh_from_db()
    assert notice.status == "subscriber_notified"
    assert list(notice.letters.values_list("kind", "to_email")) == [
        ("acknowledgement", "otto@brandt-verlag.example"),
        ("subscriber_notification", harbor.notice_email),
        ("material_actioned", "otto@brandt-verlag.example"),
    ]


def test_the_subscriber_link_shows_their_items_only(client, case):
    cases.notice_accept(notice_id=case.id, actor="agent")
    harbor_item = case.items.exclude(subscriber=None).get()
    cases.notice_disable_material(
        notice_id=case.id, actions={harbor_item.id: "access_disabled"}, actor="agent"
    )
    token = case.notifications.get().token
    page = client.get(reverse("counter_notice_new", args=[token])).content.decode()
    assert case.reference in page
    assert "https://files.example-host.net/share/night-roads.zip (access disabled)" in page
    assert "198.51.100.23" not in page
    assert "m.okafor@lanternrow.example" not in page
    assert client.get(reverse("counter_notice_new", args=[token[:-2] + "zz"])).status_code == 404


def test_an_auditor_sees_subscribers_without_their_contact_details(client, case):
    login(client, "Auditor")
    harbor = case.items.exclude(subscriber=None).get().subscriber
    page = client.get(reverse("admin:notices_subscriber_change", args=[harbor.id])).content.decode()
    assert harbor.name in page
    assert harbor.notice_email not in page and "88 Pier Road" not in page
    listing = client.get(reverse("admin:notices_subscriber_changelist")).content.decode()
    assert harbor.notice_email not in listing


def test_opening_a_letter_is_recorded_as_a_view_of_personal_data(client, case):
    user = login(client, "Designated agent")
    letter = case.letters.get()
    client.get(reverse("admin:notices_letter_change", args=[letter.id]))
    assert PersonalDataView.objects.filter(user=user, notice=case).exists()


def terminate_in_admin(client, subscriber_id, reason):
    return client.post(
        reverse("admin:notices_subscriber_changelist"),
        {
            "action": "terminate_action",
            "_selected_action": [subscriber_id],
            "apply": "1",
            "reason": reason,
        },
        follow=True,
    )


def test_a_termination_is_audited_and_the_agent_can_reverse_it_with_a_reason(client, case):
    harbor = case.items.exclude(subscriber=None).get().subscriber
    login(client, "Designated agent")
    changelist = reverse("admin:notices_subscriber_changelist")
    confirm = client.post(
        changelist, {"action": "terminate_action", "_selected_action": [harbor.id]}
    )
    assert "Reason for the decision" in confirm.text
    done = terminate_in_admin(client, harbor.id, "Third actioned notice within a year.")
    assert f"{harbor}: termination recorded." in done.text
    harbor.refresh_from_db()
    assert harbor.terminated_at is not None

    refused = client.post(
        changelist,
        {"action": "reinstate_action", "_selected_action": [harbor.id], "apply": "1", "reason": ""},
        follow=True,
    )
    assert "Give the reason for the reinstatement." in refused.text
    client.post(
        changelist,
        {
            "action": "reinstate_action",
            "_selected_action": [harbor.id],
            "apply": "1",
            "reason": "The second notice was withdrawn: two strikes, not three.",
        },
    )
    harbor.refresh_from_db()
    assert harbor.terminated_at is None

    terminated, reinstated = harbor.events.order_by("at", "id")
    assert (terminated.action, terminated.actor, terminated.reason) == (
        "subscriber.terminated",
        "user-Designated agent",
        "Third actioned notice within a year.",
    )
    assert (reinstated.action, reinstated.actor) == (
        "subscriber.reinstated",
        "user-Designated agent",
    )
    assert reinstated.at >= terminated.at

    page = client.get(reverse("admin:notices_subscriber_change", args=[harbor.id])).text
    assert "Reinstated" in page and "Third actioned notice within a year." in page
    assert "The second notice was withdrawn: two strikes, not three." in page
    listing = client.get(changelist).text
    assert "Reinstated" in listing


def test_the_subscriber_list_and_ledger_show_a_current_termination(client, case):
    harbor = case.items.exclude(subscriber=None).get().subscriber
    decided = datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    subscribers.subscriber_terminate(
        subscriber_id=harbor.id, reason="Three notices.", actor="agent", now=decided
    )
    login(client, "Legal staff")
    listing = client.get(reverse("admin:notices_subscriber_changelist")).text
    assert "Terminated Nov 30, 2026" in listing
    page = client.get(reverse("admin:notices_subscriber_change", args=[harbor.id])).text
    ledger = page[page.index("§ 512(i) ledger") :]
    assert "Terminated Nov 30, 2026" in ledger and "Three notices." in ledger


def test_nobody_can_change_or_delete_a_subscribers_history_not_even_a_superuser(client, case):
    harbor = case.items.exclude(subscriber=None).get().subscriber
    subscribers.subscriber_terminate(
        subscriber_id=harbor.id, reason="Three notices.", actor="agent"
    )
    event = harbor.events.get()
    client.force_login(User.objects.create_superuser("root", password="x"))
    assert client.get(reverse("admin:notices_subscriberevent_add")).status_code == 403
    delete = reverse("admin:notices_subscriberevent_delete", args=[event.id])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    page = client.get(reverse("admin:notices_subscriberevent_change", args=[event.id])).text
    assert 'name="_save"' not in page
    with pytest.raises(ValueError):
        event.delete()
    event.reason = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    assert harbor.events.get().reason == "Three notices."


def test_a_staff_user_in_no_group_sees_none_of_the_desks_counts(client, case):
    login(client, None)
    page = client.get(reverse("admin:index")).text
    for text in ["Today on the desk", "New cases", "Letters that failed", "Log a notice"]:
        assert text not in page, text


def test_an_auditor_sees_the_case_counts_but_not_the_letters_and_mail_it_cannot_open(client, case):
    login(client, "Auditor")
    page = client.get(reverse("admin:index")).text
    assert "Today on the desk" in page and "New cases" in page
    for text in ["Letters that failed", "Counter notices and retractions by mail", "Log a notice"]:
        assert text not in page, text


@pytest.fixture
def taken_down(case):
    """The case taken down: its subscriber matched by hand, then notified."""
    harbor = Subscriber.objects.get(account_id="C-1")
    cases.notice_accept(notice_id=case.id, actor="agent")
    item = case.items.get(subscriber=harbor)
    cases.item_assign_subscriber(item_id=item.id, subscriber_id=harbor.id, actor="agent")
    cases.notice_disable_material(notice_id=case.id, actions={item.id: "removed"}, actor="agent")
    return case


def test_the_history_and_letters_read_as_words_not_codes(client, taken_down):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_notice_change", args=[taken_down.id])).content.decode()
    for words in [
        "Subscriber of an item set by hand",
        "Takedown recorded",
        "Accepted → Material removed or disabled",
        "Notification to the subscriber",
        "Takedown report to the complainant",
    ]:
        assert words in page, words
    for code in [
        "item.subscriber_set",
        "subscriber_notification",
        "material_actioned",
        "→ accepted",
    ]:
        assert code not in page, code
    trail = client.get(reverse("admin:notices_noticeevent_changelist")).content.decode()
    assert "Subscriber of an item set by hand" in trail and ">item.subscriber_set<" not in trail
    index = client.get(reverse("admin:index")).content.decode()
    assert "API senders" in index and "Api senders" not in index


@pytest.mark.parametrize("role", [*ROLES, None])
def test_the_takedown_report_is_in_the_letter_list_for_roles_that_see_letters(
    client, taken_down, role
):
    login(client, role)
    response = client.get(reverse("admin:notices_letter_changelist") + "?kind=material_actioned")
    if role in ("Designated agent", "Legal staff"):
        page = response.content.decode()
        assert "Takedown report to the complainant" in page
        assert "m.okafor@lanternrow.example" in page
        assert page.count("Notification to the subscriber") == 1  # in the filter, not a row
    else:
        assert response.status_code == 403


def test_each_desk_form_has_its_own_words(client):
    login(client, "Designated agent")
    upload = client.get(reverse("admin:notices_inboundmessage_upload")).content.decode()
    assert 'value="Read the messages"' in upload
    assert '<a href="/admin/notices/inboundmessage/">Inbound messages</a> › Upload mail' in upload
    assert "Log the notice" not in upload and "Copy what the original says" not in upload
    log = client.get(reverse("admin:notices_notice_log")).content.decode()
    assert 'value="Log the notice"' in log and "Messages saved from another mailbox" not in log
    counter = client.get(reverse("admin:counternotices_counternotice_log")).content.decode()
    assert 'value="Log the counter notice"' in counter and "Log the notice" not in counter


@pytest.mark.parametrize(
    "page", ["admin:notices_notice_log", "admin:counternotices_counternotice_log"]
)
def test_the_country_is_chosen_from_the_list_on_the_log_pages(client, page):
    login(client, "Designated agent")
    form = client.get(reverse(page)).content.decode()
    assert re.search(r'<select name="country"[^>]*>', form)
    assert '<option value="DE">Germany</option>' in form


def test_a_logged_notice_takes_only_a_country_of_the_list(client):
    login(client, "Designated agent")

    def log(country: str):
        return client.post(
            reverse("admin:notices_notice_log"),
            {
                "channel": "post",
                "received_at": "2026-11-20T09:15",
                "original": SimpleUploadedFile("letter.pdf", b"%PDF-1.4", "application/pdf"),
                "complainant_name": "Otto Brandt",
                "country": country,
            },
        )

    assert "Select a valid choice" in log("Germany").content.decode()
    assert not Notice.objects.exists()
    assert log("DE").status_code == 302
    assert Notice.objects.get().country == "DE"


@pytest.mark.parametrize("role", ROLES)
def test_a_notice_restored_after_a_counter_notice_stays_on_the_ledger_as_disputed(client, role):
    """§ 512(i): a restored notice leaves the count, yet the ledger shows it as disputed."""
    from counternotices.services import counter_notice_confirm_restored, counter_notices_sweep
    from tests.counternotices.test_clock import DAY_10, DAY_13, RECEIVED, file_counter
    from tests.factories import notified_case

    restored_case, notification = notified_case(now=RECEIVED - timedelta(days=3))
    counter = file_counter(restored_case, notification)
    counter_notices_sweep(now=DAY_10)
    counter_notice_confirm_restored(counter_notice_id=counter.id, actor="agent", now=DAY_13)
    counted = web_notice()
    cases.notice_accept(notice_id=counted.id, actor="agent")
    cases.notice_disable_material(
        notice_id=counted.id,
        actions={item.id: "access_disabled" for item in counted.items.all()},
        actor="agent",
    )
    harbor = notification.subscriber
    login(client, role)
    page = client.get(reverse("admin:notices_subscriber_change", args=[harbor.id])).text
    ledger = page[page.index("§ 512(i) ledger") :]
    assert "notices actioned against this subscriber (1)" in ledger
    disputed = ledger[ledger.index("Disputed, not counted (1)") :]
    assert restored_case.reference in disputed and counted.reference not in disputed
    assert "disputed — restored after a counter notice" in disputed
    # The subscriber list counts only the notice still down.
    listing = client.get(reverse("admin:notices_subscriber_changelist")).text
    assert re.search(r'class="field-strike_count">1<', listing)
    if role == "Auditor":
        assert restored_case.email not in page and counter.email not in page


def test_one_row_counts_every_letter_to_post_until_it_is_posted(client):
    """A counter-notice copy for a complainant without e-mail is a letter to post: the
    front page counts it once, in the letters row, and no more once it is posted."""
    from tests.counternotices.test_clock import RECEIVED, file_counter
    from tests.factories import notified_case

    notice, notification = notified_case(now=RECEIVED - timedelta(days=3))
    Notice.objects.filter(id=notice.id).update(email="")
    counter = file_counter(Notice.objects.get(id=notice.id), notification)
    copy = counter.notice.letters.get(kind="counter_notice_copy")
    login(client, "Designated agent")

    def rows_about_post():
        rows = desk_today(client.get(reverse("admin:index")).text)
        return {label: count for label, (count, _) in rows.items() if "post" in label.lower()}

    (label,) = rows_about_post()
    assert label.startswith("Letters to post")
    assert rows_about_post() == {label: 1}
    letters.letter_mark_posted(letter_id=copy.id, actor="agent")
    assert rows_about_post() == {label: 0}


@pytest.mark.parametrize("role", ROLES)
def test_a_case_waiting_for_review_too_long_is_flagged_on_its_page_and_in_the_list(
    client, settings, role
):
    """§ 512(c)(3)(B)(ii): a notice left unreviewed calls for a prompt attempt to contact
    the sender; the desk says so on the case itself, not only in a front-page count."""
    settings.REVIEW_ALERT_DAYS = 3
    old = web_notice(now=timezone.now() - timedelta(days=4))
    fresh = web_notice(now=timezone.now() - timedelta(days=2))
    login(client, role)
    flag = "Received or in review for more than 3 days: § 512(c)(3)(B)(ii) expects"
    assert flag in client.get(reverse("admin:notices_notice_change", args=[old.id])).text
    assert flag not in client.get(reverse("admin:notices_notice_change", args=[fresh.id])).text
    listing = client.get(reverse("admin:notices_notice_changelist")).text
    rows = {
        case.reference: listing[listing.index(case.reference) :].split("</tr>")[0]
        for case in (old, fresh)
    }
    assert "In review over 3 days: contact the sender" in rows[old.reference]
    assert "In review over 3 days" not in rows[fresh.reference]
    if role == "Auditor":
        assert old.email not in listing
