"""Business days for the § 512(g)(2)(C) restoration window.

A business day is a weekday that is not a US federal holiday, on the date it is observed
(the `holidays` package's United States calendar, federal public holidays only: when a
holiday falls on a weekend, the Friday before or Monday after is the day off, and
2027-12-31 is the observed New Year's Day of 2028). Inauguration Day, a holiday only
around Washington, D.C., is not counted. Days are counted in the Designated Agent's
time zone, America/New_York; day 1 is the first business day after the day of receipt.

"Not less than 10 business days following receipt" (§ 512(g)(2)(C)) is met, on the usual
reading of a day count (a day runs to its end), only once day 10 has passed: restoration
opens at the end of day 10, midnight in New York, and must be done by the end of day 14.
"""

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

AGENT_TIME_ZONE = ZoneInfo("America/New_York")
RESTORE_NOT_BEFORE_DAY = 10
RESTORE_NOT_AFTER_DAY = 14


@cache
def _federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.US(years=year, observed=True))


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: date, count: int) -> date:
    """The `count`-th business day after `start` (not counting `start` itself)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (0 if `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_business_day(day)
    return count


def local_date(moment: datetime) -> date:
    """The calendar date of a moment at the Designated Agent's office."""
    if moment.tzinfo is None:
        raise ValueError("A receipt time must carry its time zone.")
    return moment.astimezone(AGENT_TIME_ZONE).date()


def restoration_window(received_at: datetime) -> tuple[date, date]:
    """Day 10 and day 14 after receipt: restore not before the first, nor after the second."""
    received_on = local_date(received_at)
    return (
        add_business_days(received_on, RESTORE_NOT_BEFORE_DAY),
        add_business_days(received_on, RESTORE_NOT_AFTER_DAY),
    )


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in New York, as an aware datetime."""
    return datetime.combine(day, datetime.min.time(), tzinfo=AGENT_TIME_ZONE)


def restoration_opens_at(day_ten: date) -> datetime:
    """The end of business day 10 in New York: the first moment restoration is allowed."""
    return start_of_day(day_ten + timedelta(days=1))
