"""The case list as the agent decides by it, the queue, next and previous case, moves on
one click and list actions that ask one reason."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from counternotices.models import CounterNotice
from iija_compliance.lib.business_days import business_days_between, local_date
from notices.core import cases
from notices.core.deadlines import review_target
from notices.core.intake import notice_submit
from notices.models import Channel, Letter, Notice
from tests.factories import counter_notice, notified_case, submission, subscriber, web_notice
from tests.notices.desk.test_admin import login

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notices_notice_changelist"


def row_of(page: str, notice: Notice) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{notice.reference}.*?</tr>", page, re.S).group(0)


def cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def test_the_list_shows_age_next_date_subscriber_and_items(client):
    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    received = timezone.now() - timedelta(days=9)
    notice = web_notice(now=received)
    closed = web_notice(now=received)
    cases.notice_reject(notice_id=closed.id, reason="duplicate", actor="agent")
    login(client, "Designated agent")
    page = client.get(reverse(CHANGELIST)).text
    for heading in ["Age \\(business days\\)", "Next date", "Subscriber", "Items", "Received"]:
        assert re.search(rf">\s*{heading}\s*<", page), heading
    row = cells(row_of(page, notice))
    age = business_days_between(local_date(received), local_date(timezone.now()))
    assert str(age) in row and age >= 4
    target = review_target(received)
    next_date = row[4]
    assert next_date.startswith((f"Review by {target:%b %-d} ", f"Review by {target:%b %-d, %Y} "))
    assert next_date.endswith("In review over 3 days: contact the sender")  # 9 days waiting
    assert 'class="desk-late"' in row_of(page, notice)  # past its date: in red
    assert "Harbor Cloud" in row and "2" in row
    assert cells(row_of(page, closed))[3:5] == ["—", "—"]  # over: no age, nothing due


def test_the_age_counts_business_days_without_federal_holidays():
    # Wednesday before Thanksgiving to the Monday after: Friday and Monday.
    assert business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 2
    assert business_days_between(date(2026, 11, 30), date(2026, 11, 25)) == 0


def test_the_next_date_follows_the_case(client):
    notice, notification = notified_case()
    assert Notice.objects.get(pk=notice.pk).act_by is None  # notified: nothing due
    item = notice.items.get(subscriber=notification.subscriber)
    counter = counter_notice(notice, notification, item)
    notice.refresh_from_db()
    assert notice.act_by == counter.restore_not_before
    login(client, "Designated agent")
    row = cells(row_of(client.get(reverse(CHANGELIST)).text, notice))
    assert any(cell.startswith("Restore from") for cell in row), row


def test_the_queue_lists_what_needs_the_agent_nearest_date_first(client):
    newest = web_notice(now=datetime(2026, 11, 20, 15, tzinfo=UTC))
    oldest = web_notice(now=datetime(2026, 11, 10, 15, tzinfo=UTC))
    middle = web_notice(now=datetime(2026, 11, 16, 15, tzinfo=UTC))
    cases.notice_accept(notice_id=middle.id, actor="agent")
    waiting = web_notice(now=datetime(2026, 11, 1, 15, tzinfo=UTC))
    cases.notice_reject(notice_id=waiting.id, reason="duplicate", actor="agent")
    login(client, "Designated agent")
    page = client.get(reverse(CHANGELIST), {"queue": "all"}).text
    assert "<h1>What needs me today</h1>" in page
    shown = re.findall(r"DMCA-\d{4}-\d{6}", page)
    order = [n.reference for n in (oldest, middle, newest)]
    assert [r for r in dict.fromkeys(shown) if r in order] == order
    assert waiting.reference not in page  # rejected: nothing to do


@pytest.mark.parametrize(
    "role, status", [("Designated agent", 200), ("Legal staff", 200), ("Auditor", 200), (None, 403)]
)
def test_who_opens_the_queue(client, role, status):
    notice = web_notice()
    login(client, role)
    response = client.get(reverse(CHANGELIST), {"queue": "all"})
    assert response.status_code == status
    if status == 200:
        assert notice.reference in response.text
        assert ("Maria Okafor" in response.text) is False  # the list names no person


def test_anonymous_visitors_are_sent_to_the_login_from_the_queue(client):
    response = client.get(reverse(CHANGELIST), {"queue": "all"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_next_and_previous_case_follow_the_list_the_agent_came_from(client):
    first = web_notice(now=datetime(2026, 11, 10, 15, tzinfo=UTC))
    second = web_notice(now=datetime(2026, 11, 12, 15, tzinfo=UTC))
    third = web_notice(now=datetime(2026, 11, 16, 15, tzinfo=UTC))
    login(client, "Designated agent")
    queue = client.get(reverse(CHANGELIST), {"queue": "all"}).text
    link = re.search(rf'href="([^"]*/{second.id}/change/[^"]*)"', queue).group(1)
    page = client.get(link.replace("&amp;", "&")).text
    previous = re.search(r'href="([^"]+)" rel="prev"', page).group(1)
    following = re.search(r'href="([^"]+)" rel="next"', page).group(1)
    assert f"/{first.id}/change/" in previous and f"/{third.id}/change/" in following
    assert "queue" in following  # still in the queue
    # The plain list runs newest first: there, the next case is the older one.
    page = client.get(reverse("admin:notices_notice_change", args=[second.id])).text
    following = re.search(r'href="([^"]+)" rel="next"', page).group(1)
    assert f"/{first.id}/change/" in following


def test_start_review_is_one_click_and_moves_that_send_letters_still_ask(client):
    notice = web_notice()
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_notice_change", args=[notice.id])).text
    start = reverse("admin:notices_notice_transition", args=[notice.id, "start_review"])
    assert f'<form method="post" action="{start}">' in page
    deficient = reverse("admin:notices_notice_transition", args=[notice.id, "mark_deficient"])
    assert f'<a href="{deficient}">' in page  # to its confirmation page
    client.post(start)
    assert Notice.objects.get(pk=notice.pk).status == "in_review"


def test_list_actions_send_deficiency_letters_and_rejections_with_one_reason(client):
    lacking = [
        notice_submit(
            submission=submission(good_faith_statement=False), channel=Channel.EMAIL, actor="a"
        )
        for _ in range(2)
    ]
    login(client, "Designated agent")
    url = reverse(CHANGELIST)
    ids = [n.id for n in lacking]
    asked = client.post(url, {"action": "mark_deficient_action", "_selected_action": ids})
    assert asked.status_code == 200 and "What to tell each complainant" in asked.text
    assert {n.status for n in Notice.objects.filter(id__in=ids)} == {"received"}  # asked only
    empty = client.post(
        url, {"action": "mark_deficient_action", "_selected_action": ids, "index": 0, "apply": 1}
    )
    assert "Write the reason each deficiency letter gives." in empty.text
    client.post(
        url,
        {
            "action": "mark_deficient_action",
            "_selected_action": ids,
            "index": 0,
            "apply": 1,
            "note": "Please add the statement of good faith.",
        },
    )
    assert {n.status for n in Notice.objects.filter(id__in=ids)} == {"deficient"}
    letters = Letter.objects.filter(notice__in=ids, kind="deficiency")
    assert letters.count() == 2
    assert all("Please add the statement of good faith." in letter.body_text for letter in letters)
    other = web_notice()
    client.post(
        url,
        {
            "action": "reject_action",
            "_selected_action": [other.id],
            "index": 0,
            "apply": 1,
            "reason": "not_copyright",
        },
    )
    other.refresh_from_db()
    assert other.status == "rejected" and other.rejection_reason == "not_copyright"


def test_counter_notice_windows_keep_the_date_to_act_by(client):
    notice, notification = notified_case()
    item = notice.items.get(subscriber=notification.subscriber)
    counter = counter_notice(notice, notification, item)
    assert CounterNotice.objects.get(pk=counter.pk).state == "pending"
    notice.refresh_from_db()
    assert notice.act_by == counter.restore_not_before
