"""The restoration calendar as a table (§ 512(g)(2)(C)): 10 to 14 business days."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from iija_compliance.lib.business_days import (
    is_business_day,
    restoration_opens_at,
    restoration_window,
)

NY = ZoneInfo("America/New_York")

FEDERAL_HOLIDAYS = [
    # 2026 (Independence Day falls on a Saturday: observed Friday 07-03)
    "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
    "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
    # 2027 (Juneteenth and Christmas on Saturdays, Independence Day on a Sunday; New
    # Year's Day 2028 is a Saturday, observed Friday 2027-12-31)
    "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05",
    "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24", "2027-12-31",
]  # fmt: skip


@pytest.mark.parametrize("day", FEDERAL_HOLIDAYS)
def test_federal_holidays_as_observed_are_not_business_days(day):
    assert not is_business_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-07-06", "2027-06-17", "2027-12-30", "2026-11-27"])
def test_the_days_around_them_are(day):
    assert is_business_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-07-04", "2027-06-19", "2027-12-25", "2026-12-19"])
def test_weekends_are_not_business_days(day):
    assert not is_business_day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "received, not_before, not_after, why",
    [
        (
            "2026-12-18T15:30",
            "2027-01-05",
            "2027-01-11",
            "the worked example: Christmas and New Year",
        ),
        ("2026-12-18T23:59", "2027-01-05", "2027-01-11", "23:59 is still the day of receipt"),
        ("2026-12-19T00:01", "2027-01-05", "2027-01-11", "a Saturday: day 1 is Monday"),
        ("2026-12-20T12:00", "2027-01-05", "2027-01-11", "a Sunday: day 1 is Monday"),
        ("2026-12-25T10:00", "2027-01-11", "2027-01-15", "received on a holiday"),
        ("2026-11-02T09:00", "2026-11-17", "2026-11-23", "Veterans Day inside the window"),
        ("2026-11-20T09:00", "2026-12-07", "2026-12-11", "Thanksgiving inside the window"),
        ("2026-06-26T09:00", "2026-07-13", "2026-07-17", "Independence Day observed on 07-03"),
        ("2027-06-11T09:00", "2027-06-28", "2027-07-02", "Juneteenth observed on 06-18"),
        ("2027-12-17T09:00", "2028-01-04", "2028-01-10", "Christmas and New Year observed in 2027"),
        ("2027-01-05T09:00", "2027-01-20", "2027-01-26", "Martin Luther King Jr. Day"),
        ("2026-03-06T09:00", "2026-03-20", "2026-03-26", "across the spring clock change"),
        ("2026-10-30T09:00", "2026-11-16", "2026-11-20", "across the autumn clock change"),
    ],
)
def test_restoration_window(received, not_before, not_after, why):
    received_at = datetime.fromisoformat(received).replace(tzinfo=NY)
    assert restoration_window(received_at) == (
        date.fromisoformat(not_before),
        date.fromisoformat(not_after),
    ), why


def test_receipt_time_counts_in_new_york_not_utc():
    # 02:00 UTC on Saturday is 21:00 on Friday in New York: received on the Friday.
    assert restoration_window(datetime(2026, 12, 19, 2, 0, tzinfo=UTC)) == (
        date(2027, 1, 5),
        date(2027, 1, 11),
    )


def test_a_receipt_time_without_a_zone_is_refused():
    with pytest.raises(ValueError):
        restoration_window(datetime(2026, 12, 18, 15, 30))


# The hand-listed holidays above, and the first one of 2028 that a window from late 2027
# reaches: Martin Luther King Jr. Day, Monday 2028-01-17.
HAND_LISTED_HOLIDAYS = {date.fromisoformat(day) for day in FEDERAL_HOLIDAYS} | {date(2028, 1, 17)}


def _hand_counted_business_days(after: date, through: date) -> int:
    """Weekdays after `after` up to `through` that are not in the hand-listed holidays."""
    days = (date.fromordinal(n) for n in range(after.toordinal() + 1, through.toordinal() + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in HAND_LISTED_HOLIDAYS)


def test_every_window_of_2026_and_2027_agrees_with_the_hand_listed_holidays():
    for offset in range(730):
        received = date(2026, 1, 1) + timedelta(days=offset)
        at = datetime.combine(received, time(12), NY)
        day10, day14 = restoration_window(at)
        for day, count in [(day10, 10), (day14, 14)]:
            assert day.weekday() < 5 and day not in HAND_LISTED_HOLIDAYS, (received, day)
            assert _hand_counted_business_days(received, day) == count, (received, day)


# § 512(g)(2)(C): replace "not less than 10 … business days following receipt". A day runs
# to its end, so restoration opens at midnight New York time after day 10, whatever day of
# the week or holiday follows it.
@pytest.mark.parametrize(
    "received, last_closed_minute, opens, why",
    [
        ("2026-12-18T15:30", "2027-01-05T23:59", "2027-01-06T00:00", "Tuesday day 10"),
        ("2026-12-23T09:00", "2027-01-08T23:59", "2027-01-09T00:00", "day 10 a Friday"),
        ("2026-12-31T09:00", "2027-01-15T23:59", "2027-01-16T00:00", "Friday before MLK Day"),
        ("2026-11-06T09:00", "2026-11-23T23:59", "2026-11-24T00:00", "over Veterans Day"),
        ("2027-03-03T12:00", "2027-03-17T23:59", "2027-03-18T00:00", "across the DST change"),
    ],
)
def test_restoration_opens_when_day_10_ends_in_new_york(received, last_closed_minute, opens, why):
    day_ten, _ = restoration_window(datetime.fromisoformat(received).replace(tzinfo=NY))
    opens_at = restoration_opens_at(day_ten)
    assert opens_at == datetime.fromisoformat(opens).replace(tzinfo=NY), why
    assert datetime.fromisoformat(last_closed_minute).replace(tzinfo=NY) < opens_at
    assert opens_at.astimezone(UTC).hour in (4, 5)  # midnight in New York, not in UTC
