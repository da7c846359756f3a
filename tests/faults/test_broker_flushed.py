"""The broker flushed while restoration windows are pending, and beat down for a day."""

from datetime import date, datetime, time, timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from counternotices.models import CounterNotice
from counternotices.services import counter_notice_submit, counter_notices_sweep
from iija_compliance.lib.business_days import (
    AGENT_TIME_ZONE,
    local_date,
    restoration_opens_at,
    start_of_day,
)
from notices.core import cases, statutory
from notices.models import Channel, Letter
from notices.outbox import letters
from tests.conftest import needs
from tests.factories import counter_submission, subscriber, web_notice

pytestmark = [pytest.mark.faults, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Six counter notices received on consecutive business days at 10:00, and their windows
# (day 10, day 14) counted by hand across Christmas (Friday 12-25) and New Year (Friday 01-01).
WINDOWS = [
    (date(2026, 12, 7), date(2026, 12, 21), date(2026, 12, 28)),
    (date(2026, 12, 8), date(2026, 12, 22), date(2026, 12, 29)),
    (date(2026, 12, 9), date(2026, 12, 23), date(2026, 12, 30)),
    (date(2026, 12, 10), date(2026, 12, 24), date(2026, 12, 31)),
    (date(2026, 12, 11), date(2026, 12, 28), date(2027, 1, 4)),
    (date(2026, 12, 14), date(2026, 12, 29), date(2027, 1, 5)),
]
TICK = timedelta(hours=3)


def _counter_noticed_case(number: int, received_at: datetime) -> CounterNotice:
    host = subscriber(f"C-{number}", f"Host {number}", [("domain", f"host{number}.example")])
    location = f"https://host{number}.example/night-roads.zip"
    notice = web_notice(
        now=received_at - timedelta(days=3),
        email=f"rights-{number}@lanternrow.example",
        items=[statutory.Item(location)],
    )
    cases.notice_accept(notice_id=notice.id, actor="agent", now=received_at)
    item = notice.items.get(subscriber=host)
    cases.notice_disable_material(
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


def test_restorations_open_between_day_10_and_14_after_a_flush_and_a_day_without_beat(
    celery_worker, inbox
):
    needs("redis")  # the Redis broker, flushed below
    counters = [
        _counter_noticed_case(n, datetime.combine(received, time(10), AGENT_TIME_ZONE))
        for n, (received, _, _) in enumerate(WINDOWS)
    ]
    assert [(c.restore_not_before, c.restore_not_after) for c in counters] == [
        (not_before, not_after) for _, not_before, not_after in WINDOWS
    ]
    # Every task this test process queued is gone (its own keys: other processes share
    # the broker's database).
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for key in broker.scan_iter(match=f"{settings.TEST_NAMESPACE}:*"):
        broker.delete(key)

    # Beat ticks every three hours of a simulated clock, except for a whole day without
    # beat that starts when the first window opens (day 10 has ended).
    down_from = restoration_opens_at(counters[0].restore_not_before)
    tick = start_of_day(WINDOWS[0][0]) + timedelta(hours=10)
    last = start_of_day(WINDOWS[-1][2]) + timedelta(days=2)
    while tick < last:
        if not down_from <= tick < down_from + timedelta(days=1):
            counter_notices_sweep(now=tick)
        tick += TICK

    for counter in counters:
        counter.refresh_from_db()
    # Beat was down the whole day after the first window's day 10 (Monday 12-21): it opened
    # on Wednesday 12-23; the others once their day 10 had ended, at the first tick after
    # midnight.
    assert [local_date(counter.due_at) for counter in counters] == [
        date(2026, 12, 23),
        *(not_before + timedelta(days=1) for _, not_before, _ in WINDOWS[1:]),
    ]

    # The letters the flush took: the sweep queues them again, and each arrives once.
    letters.letters_sweep(now=timezone.now() + letters.QUEUE_GRACE)
    expected = sorted(Letter.objects.values_list("message_id", flat=True))
    assert inbox.wait_for_letters(expected, timeout=60) == expected
    assert len(inbox.to(settings.OPERATIONS_EMAIL)) == len(WINDOWS)  # one restoration each
