"""The address plan, imported from the provider's IPAM or billing system as CSV.

Columns: subscriber (the account id), name, email, network (CIDR or a single address),
valid_from, valid_until (ISO 8601 date or date-time, UTC when it has no offset; an empty
valid_until is still held), service (transit or hosting). A date as valid_until means
that whole day: the period ends at the next midnight UTC.

An assignment is known by its network and valid_from: importing it again updates its
subscriber, end and service, and the same file twice changes nothing. A file with any bad
line is refused whole, naming every bad line and why; nothing of it is stored.
"""

import csv
import io
import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from notices.models import AddressAssignment, Subscriber

COLUMNS = ["subscriber", "name", "email", "network", "valid_from", "valid_until", "service"]
SERVICES = [choice.value for choice in AddressAssignment.Service]
MAX_LINES = 2_000_000
CHUNK = 500  # networks per query: within SQLite's variable limit


@dataclass
class PlanLine:
    number: int
    account_id: str
    name: str
    email: str
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    valid_from: datetime
    valid_until: datetime | None
    service: str

    @property
    def key(self) -> tuple[str, datetime]:
        return str(self.network), self.valid_from


@dataclass
class PlanRefused(Exception):
    """The file's bad lines: {line number: [why, ...]}. Line 1 is the header."""

    bad_lines: dict[int, list[str]]

    def as_json(self) -> dict:
        return {
            "imported": False,
            "bad_lines": [
                {"line": number, "problems": problems}
                for number, problems in sorted(self.bad_lines.items())
            ],
        }


@dataclass
class PlanImported:
    lines: int
    subscribers: dict[str, int] = field(default_factory=lambda: dict(created=0, updated=0))
    assignments: dict[str, int] = field(
        default_factory=lambda: dict(created=0, updated=0, unchanged=0)
    )

    def as_json(self) -> dict:
        return {
            "imported": True,
            "lines": self.lines,
            "subscribers": self.subscribers,
            "assignments": self.assignments,
        }


def import_plan(data: bytes, *, now: datetime | None = None) -> PlanImported:
    """Read the whole file, check it against itself and the stored plan, then store it in
    one transaction. Raises PlanRefused naming every bad line."""
    now = now or timezone.now()
    lines, bad = read_plan(data)
    bad = defaultdict(list, bad)
    if not bad:
        _check_overlaps(lines, bad)
    if bad:
        raise PlanRefused(dict(bad))
    with transaction.atomic():
        return _store(lines, now)


def read_plan(data: bytes) -> tuple[list[PlanLine], dict[int, list[str]]]:
    """Every line read, and the problems of the bad ones by line number."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], {1: [f"The file is not UTF-8 text ({error.reason} at byte {error.start})."]}
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = reader.fieldnames or []
    names = [name.strip().lower() for name in header]
    if sorted(names) != sorted(COLUMNS):
        return [], {1: [f"The header must name these columns, once each: {','.join(COLUMNS)}."]}
    lines, bad = [], defaultdict(list)
    try:
        for row in reader:
            if reader.line_num > MAX_LINES:
                return [], {reader.line_num: [f"At most {MAX_LINES:,} lines per file."]}
            line, problems = _read_line(reader.line_num, row)
            if problems:
                bad[reader.line_num] += problems
            else:
                lines.append(line)
    except csv.Error as error:
        bad[reader.line_num].append(f"Not a CSV line: {error}.")
    _check_consistency(lines, bad)
    return lines, dict(bad)


def _read_line(number: int, row: dict) -> tuple[PlanLine | None, list[str]]:
    if None in row or None in row.values():
        return None, [f"Expected {len(COLUMNS)} columns, as the header names them."]
    value = {key.strip().lower(): (text or "").strip() for key, text in row.items()}
    problems = []

    def check(column, read):
        try:
            return read(value[column])
        except ValueError as error:
            problems.append(f"{column}: {error}")

    account_id = check("subscriber", _limited("the subscriber's account id", 64))
    name = check("name", _limited("a name", 200))
    email = check("email", _email)
    network = check("network", _network)
    valid_from = check("valid_from", lambda text: _moment(text, end_of_day=False))
    valid_until = check("valid_until", _until)
    service = check("service", _service)
    if valid_from and valid_until and valid_until <= valid_from:
        problems.append("valid_until: must be after valid_from.")
    if problems:
        return None, problems
    return PlanLine(number, account_id, name, email, network, valid_from, valid_until, service), []


def _limited(what: str, length: int):
    def read(text: str) -> str:
        if not text:
            raise ValueError(f"give {what}.")
        if len(text) > length:
            raise ValueError(f"at most {length} characters ({len(text)} given).")
        if not text.isprintable():
            raise ValueError("control characters are not allowed.")
        return text

    return read


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError(f"{text[:100]!r} is not an e-mail address.") from None
    if len(text) > 254:
        raise ValueError("at most 254 characters.")
    return text


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(text)
    except ValueError as error:
        if "has host bits set" in str(error):
            wider = ipaddress.ip_network(text, strict=False)
            raise ValueError(f"{text[:50]} has host bits set: did you mean {wider}?") from None
        raise ValueError(f"{text[:50]!r} is not an IP network or address.") from None


def _moment(text: str, *, end_of_day: bool) -> datetime:
    """An ISO 8601 date or date-time, in UTC when it gives no offset. A date is its
    midnight, or with end_of_day the next midnight (the whole day included)."""
    if not text:
        raise ValueError("give a date or a date and time.")
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=end_of_day), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text[:40]!r} is not an ISO 8601 date (2026-03-01) or date-time "
            "(2026-03-01T14:00:00Z)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _until(text: str) -> datetime | None:
    return _moment(text, end_of_day=True) if text else None


def _service(text: str) -> str:
    if text.lower() not in SERVICES:
        raise ValueError(f"one of {', '.join(SERVICES)} ({text[:20]!r} given).")
    return text.lower()


def _check_consistency(lines: list[PlanLine], bad: dict[int, list[str]]) -> None:
    """One name and address per account, and each assignment once in the file."""
    accounts: dict[str, PlanLine] = {}
    keys: dict[tuple, PlanLine] = {}
    for line in lines:
        first = accounts.setdefault(line.account_id, line)
        if (first.name, first.email.lower()) != (line.name, line.email.lower()):
            bad[line.number].append(
                f"subscriber: account {line.account_id} has another name or e-mail address "
                f"on line {first.number}."
            )
        earlier = keys.setdefault(line.key, line)
        if earlier is not line:
            bad[line.number].append(
                f"network: {line.network} from {line.valid_from:%Y-%m-%d %H:%M} is already "
                f"on line {earlier.number}."
            )


def _check_overlaps(lines: list[PlanLine], bad: dict[int, list[str]]) -> None:
    """A block is held by one assignment at a time: the file's periods against each other
    and against the stored ones the file does not replace."""
    periods: dict[str, list[tuple[datetime, datetime | None, str]]] = defaultdict(list)
    in_file = {line.key for line in lines}
    networks = sorted({str(line.network) for line in lines})
    for start in range(0, len(networks), CHUNK):
        stored = AddressAssignment.objects.filter(network__in=networks[start : start + CHUNK])
        for network, since, until in stored.values_list("network", "valid_from", "valid_until"):
            if (network, since) not in in_file:
                periods[network].append((since, until, "a stored assignment"))
    for line in lines:
        periods[str(line.network)].append((line.valid_from, line.valid_until, line.number))
    for network, held in periods.items():
        held.sort(key=lambda period: period[0])
        latest = held[0]  # of the periods so far, the one that ends last
        for period in held[1:]:
            if latest[1] is None or latest[1] > period[0]:
                _clash(bad, network, latest[2], period[2])
            if latest[1] is not None and (period[1] is None or period[1] > latest[1]):
                latest = period


def _clash(bad: dict[int, list[str]], network: str, one, other) -> None:
    for here, there in ((one, other), (other, one)):
        if isinstance(here, int):  # a line of the file, not a stored assignment
            where = f"line {there}" if isinstance(there, int) else there
            bad[here].append(f"network: {network} is held at the same time on {where}.")


def _store(lines: list[PlanLine], now: datetime) -> PlanImported:
    result = PlanImported(lines=len(lines))
    subscribers = _store_subscribers(lines, result)
    stored = {}
    networks = sorted({str(line.network) for line in lines})
    for start in range(0, len(networks), CHUNK):
        chunk = AddressAssignment.objects.filter(network__in=networks[start : start + CHUNK])
        stored.update({(a.network, a.valid_from): a for a in chunk})
    created, changed = [], []
    for line in lines:
        wanted = {
            "subscriber_id": subscribers[line.account_id].id,
            "valid_until": line.valid_until,
            "service": line.service,
        }
        assignment = stored.get(line.key)
        if assignment is None:
            assignment = AddressAssignment(valid_from=line.valid_from, imported_at=now, **wanted)
            assignment.set_network(line.network)
            created.append(assignment)
        elif any(getattr(assignment, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(assignment, name, value)
            assignment.imported_at = now
            changed.append(assignment)
    AddressAssignment.objects.bulk_create(created, batch_size=CHUNK)
    AddressAssignment.objects.bulk_update(
        changed, ["subscriber_id", "valid_until", "service", "imported_at"], batch_size=CHUNK
    )
    unchanged = len(lines) - len(created) - len(changed)
    result.assignments.update(created=len(created), updated=len(changed), unchanged=unchanged)
    return result


def _store_subscribers(lines: list[PlanLine], result: PlanImported) -> dict[str, Subscriber]:
    wanted = {line.account_id: line for line in lines}
    known = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):
        chunk = Subscriber.objects.filter(account_id__in=ids[start : start + CHUNK])
        known.update({subscriber.account_id: subscriber for subscriber in chunk})
    created, changed = [], []
    for account_id, line in wanted.items():
        subscriber = known.get(account_id)
        if subscriber is None:
            created.append(
                Subscriber(account_id=account_id, name=line.name, notice_email=line.email)
            )
        elif (subscriber.name, subscriber.notice_email) != (line.name, line.email):
            subscriber.name, subscriber.notice_email = line.name, line.email
            changed.append(subscriber)
    Subscriber.objects.bulk_create(created, batch_size=CHUNK)
    Subscriber.objects.bulk_update(changed, ["name", "notice_email"], batch_size=CHUNK)
    result.subscribers.update(created=len(created), updated=len(changed))
    if created:  # SQLite's bulk_create gives no ids back
        for start in range(0, len(ids), CHUNK):
            chunk = Subscriber.objects.filter(account_id__in=ids[start : start + CHUNK])
            known.update({subscriber.account_id: subscriber for subscriber in chunk})
    return known
