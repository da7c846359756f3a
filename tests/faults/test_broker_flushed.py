"""The broker flushed while restoration windows are pending, and beat down for a day."""

import time
from datetime import datetime, timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from counternotices.models import CounterNotice
from counternotices.services import counter_notice_submit, counter_notices_sweep
from iija_compliance.lib.business_days import (
    AGENT_TIME_ZONE,
    add_business_days,
    is_business_day,
    local_date,
    start_of_day,
)
from notices import letters, services, statutory
from notices.models import Channel, Letter
from tests.conftest import needs
from tests.factories import counter_submission, subscriber, web_notice
from tests.faults.conftest import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_DAY = datetime(2026, 12, 7, 10, tzinfo=AGENT_TIME_ZONE)  # windows cross Christmas
CASES = 6
TICK = timedelta(hours=3)


def _counter_noticed_case(number: int, received_at: datetime) -> CounterNotice:
    host = subscriber(f"C-{number}", f"Host {number}", [("domain", f"host{number}.example")])
    location = f"https://host{number}.example/night-roads.zip"
    notice = web_notice(
        now=received_at - timedelta(days=3),
        email=f"rights-{number}@lanternrow.example",
        items=[statutory.Item(location)],
    )
    services.notice_accept(notice_id=notice.id, actor="agent", now=received_at)
    item = notice.items.get(subscriber=host)
    services.notice_disable_material(
        notice_id=notice.id, actions={item.id: "access_disabled"}, actor="agent", now=received_at
    )
    return counter_notice_submit(
        notice_id=notice.id,
        subscriber_id=host.id,
        item_ids=[item.id],
        submission=counter_submission(locations=[location]),
        channel=Channel.WEB,
        actor="subscriber",
        notification=notice.notifications.get(),
        now=received_at,
    )


def _business_days(start: datetime, count: int) -> list[datetime]:
    days, day = [], start
    while len(days) < count:
        if is_business_day(day.date()):
            days.append(day)
        day += timedelta(days=1)
    return days


def test_restorations_open_between_day_10_and_14_after_a_flush_and_a_day_without_beat(
    celery_worker, inbox
):
    needs("redis")  # the Redis broker, flushed below
    counters = [
        _counter_noticed_case(n, day) for n, day in enumerate(_business_days(FIRST_DAY, CASES))
    ]
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # every queued task is gone

    # Beat ticks every three hours of a simulated clock, except for a whole day without
    # beat that starts on the first window's day 10.
    down_from = start_of_day(counters[0].restore_not_before)
    tick, last = FIRST_DAY, start_of_day(counters[-1].restore_not_after) + timedelta(days=2)
    while tick < last:
        if not down_from <= tick < down_from + timedelta(days=1):
            counter_notices_sweep(now=tick)
        tick += TICK

    for counter in counters:
        counter.refresh_from_db()
        opened_on = local_date(counter.due_at)
        assert counter.restore_not_before <= opened_on <= counter.restore_not_after
        assert counter.restore_not_after == add_business_days(local_date(counter.received_at), 14)
    assert local_date(counters[0].due_at) == counters[0].restore_not_before + timedelta(days=1)

    # The letters the flush took: the sweep queues them again, and each arrives once.
    letters.letters_sweep(now=timezone.now() + letters.QUEUE_GRACE)
    expected = sorted(Letter.objects.values_list("message_id", flat=True))

    def received() -> list[str]:  # not counting a previous test's late letters
        return sorted(m["Message-ID"] for m in inbox.messages if m["Message-ID"] in expected)

    wait_until(lambda: len(received()) >= len(expected), 60, "every letter")
    time.sleep(2)  # a duplicate would arrive now
    assert received() == expected
    restorations = [m for m in inbox.to(settings.OPERATIONS_EMAIL) if m["Message-ID"] in expected]
    assert len(restorations) == CASES
