"""Moments as notices write them, made UTC: ISO 8601 (`Z`, offsets, a space for `T`, any
number of decimals), `2014-04-30 00:03:37.0 GMT`, `04 Sep 2015 13:19:53 GMT`, and the
day-first `30/04/2014 00:03:37` of some vendors. A time with no zone is taken as UTC, as
ACNS says its times are."""

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_UTC_NAMES = re.compile(r"\s*(?:Z|GMT|UTC)$", re.IGNORECASE)
# The zone abbreviations vendors write after a time (North American and European).
_ZONE_NAMES = {
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "BST": "+01:00",
    "CET": "+01:00",
    "CEST": "+02:00",
}
_ZONE_NAME = re.compile(r"\s*\b(" + "|".join(_ZONE_NAMES) + r")$")
_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_DAY_FIRST = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(.*)$"
)
_MAX_CHARS = 64


class TimeUnreadable(ValueError):
    pass


def to_utc(written: str) -> datetime:
    """The moment `written` names, in UTC; TimeUnreadable when it names none."""
    text = (written or "").strip()[:_MAX_CHARS]
    if not text:
        raise TimeUnreadable("no time given")
    moment = _day_first(text) if _DAY_FIRST.match(text) else _iso(text)
    if moment is None:
        moment = _rfc2822(text)
    if moment is None:
        raise TimeUnreadable(f"the time {text!r} is in no form the reader knows")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    """`2015-11-13T20:35:03Z` (decimals only where the notice gave some)."""
    written = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    if "." in written:
        written = written.rstrip("0")
    return written + "Z"


def _iso(text: str) -> datetime | None:
    text = _UTC_NAMES.sub("+00:00", text)
    text = _ZONE_NAME.sub(lambda match: _ZONE_NAMES[match.group(1)], text)
    text = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _day_first(text: str) -> datetime | None:
    match = _DAY_FIRST.match(text)
    if not match:
        return None
    day, month, year, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
        )
    except ValueError:
        return None
    zone = _zone(zone.strip())
    return moment.replace(tzinfo=zone) if zone is not _UNKNOWN else None


_UNKNOWN = object()
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def _zone(written: str):
    """The zone after a day-first time: None (none given: UTC), a tzinfo, or _UNKNOWN."""
    if not written or _UTC_NAMES.fullmatch(written):
        return None if not written else UTC
    written = _ZONE_NAMES.get(written, written)
    match = _OFFSET.match(written)
    if not match:
        return _UNKNOWN
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _rfc2822(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment
