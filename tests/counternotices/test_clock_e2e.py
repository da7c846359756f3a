"""The clock end to end: the subscriber's form, the broker, a real worker, a real SMTP server."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from counternotices.models import CounterNotice
from counternotices.services import counter_notices_sweep
from iija_compliance.lib.business_days import restoration_opens_at, start_of_day
from notices.models import Letter
from notices.outbox import letters
from tests.factories import counter_form_data, notified_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMPLAINANT = "m.okafor@lanternrow.example"


def test_counter_notice_forwarded_then_restoration_opened_then_escalated(
    client, celery_worker, inbox
):
    notice, notification = notified_case()
    item = notice.items.get(subscriber=notification.subscriber)
    url = reverse("counter_notice_new", args=[notification.token])
    assert client.post(url, counter_form_data(item.id)).status_code == 302
    counter = CounterNotice.objects.get()

    # The acknowledgement, the takedown report, the copy.
    to_complainant = inbox.wait_for(COMPLAINANT, count=3)
    (copy,) = [m for m in to_complainant if "counter notice" in m["Subject"]]
    assert len(to_complainant) == 3
    body = copy.get_body(("plain",)).get_content()
    assert "Dana Whitfield" in body and "+18025550177" in body
    assert f"{counter.restore_not_before:%B} {counter.restore_not_before.day}" in body

    day_9_end = start_of_day(counter.restore_not_before) - timedelta(minutes=1)
    assert counter_notices_sweep(now=day_9_end)["opened"] == 0
    day_10 = start_of_day(counter.restore_not_before) + timedelta(hours=9)
    assert counter_notices_sweep(now=day_10)["opened"] == 0  # day 10 must end first
    day_10 = restoration_opens_at(counter.restore_not_before)
    assert counter_notices_sweep(now=day_10)["opened"] == 1
    assert counter_notices_sweep(now=day_10)["opened"] == 0  # a second beat tick
    (request,) = inbox.wait_for(settings.OPERATIONS_EMAIL)
    assert item.location in request.get_body(("plain",)).get_content()
    to_subscriber = inbox.wait_for(notification.subscriber.notice_email, count=2)
    assert sorted(m["Subject"].split(": ", 1)[1] for m in to_subscriber) == [
        "we acted on a copyright notice about your service",
        "your material may be restored",
    ]

    day_14 = start_of_day(counter.restore_not_after) + timedelta(minutes=5)
    assert counter_notices_sweep(now=day_14)["escalated"] == 1
    (alarm,) = inbox.wait_for("copyright@iij-america.com")
    assert alarm["Subject"].startswith("OVERDUE:")
    # Every letter of the case arrived once (nothing sent twice), and a sweep as late as
    # its grace period finds none left to send (nothing lost).
    expected = sorted(Letter.objects.values_list("message_id", flat=True))
    assert inbox.wait_for_letters(expected) == expected
    assert letters.letters_sweep(now=timezone.now() + letters.QUEUE_GRACE) == 0
