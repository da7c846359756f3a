"""Case numbers under concurrent submissions, on real PostgreSQL: unique per year, never
reused, increasing with receipt (a notice received after another was stored has a higher
number), possibly with gaps."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from notices.core.intake import notice_submit
from notices.models import Channel, Notice
from tests.conftest import needs
from tests.factories import submission

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, EACH = 6, 8


def _number(notice: Notice) -> int:
    return int(notice.reference.rsplit("-", 1)[1])


def _submit(now: datetime | None = None) -> Notice:
    return notice_submit(submission=submission(), channel=Channel.API, actor="api:test", now=now)


def test_concurrent_submissions_get_unique_numbers_increasing_with_receipt():
    needs("postgresql")
    _submit()  # the year's sequence exists, as on any day but the year's first
    by_thread: dict[int, list[Notice]] = {}
    start = threading.Barrier(THREADS)

    def submit_several(thread: int) -> None:
        try:
            start.wait()
            by_thread[thread] = [_submit() for _ in range(EACH)]
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_several, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    stored = [notice for notices in by_thread.values() for notice in notices]
    assert len(stored) == THREADS * EACH
    assert len({notice.reference for notice in stored}) == len(stored)  # unique
    for notices in by_thread.values():
        # Each sender's notices, received one after the other, are numbered in that order.
        numbers = [_number(notice) for notice in notices]
        assert numbers == sorted(numbers)
    later = _submit()
    assert _number(later) > max(_number(notice) for notice in stored)
    # What the database holds is what the senders were told.
    assert set(Notice.objects.values_list("reference", flat=True)) >= {
        notice.reference for notice in stored
    }


def test_each_year_has_its_own_numbers():
    needs("postgresql")
    this_year = _submit(now=datetime(2031, 6, 1, tzinfo=UTC))
    next_year = _submit(now=datetime(2032, 6, 1, tzinfo=UTC))
    again = _submit(now=datetime(2031, 6, 2, tzinfo=UTC))
    assert this_year.reference.startswith("DMCA-2031-")
    assert next_year.reference.startswith("DMCA-2032-")
    assert _number(again) == _number(this_year) + 1  # 2032's notice took none of 2031's
