"""The human-readable evidence lines of a notice's letter ("Infringer's IP Address:",
"Port:", "Initial Infringement Timestamp:", "Protocol:", "Infringed Work:"). They are read
to compare with the XML (a text/XML mismatch is flagged) and, where the XML cannot be
parsed, to make the event from the letter itself."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from . import events
from .times import TimeUnreadable, to_utc

# An IPv6 address with its zone, if any (fe80::1%eth0): read whole, so that it is refused
# rather than read as another address.
_IP = r"(\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[\w.-]+)?)"
_ADDRESS = re.compile(r"\bIP[ -]?Address(?:es)?[ \t]*:?[ \t]*" + _IP, re.IGNORECASE)
_LABEL = r"^[ \t>*-]*(?:{})[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$"
_PORT = re.compile(_LABEL.format(r"[\w' ]{0,30}\bPort"), re.IGNORECASE | re.MULTILINE)
_TIME = re.compile(
    _LABEL.format(r"(?:Initial |First |Recent |Last )?(?:Infringement )?Time ?stamp(?: \(UTC\))?"),
    re.IGNORECASE | re.MULTILINE,
)
_PROTOCOL = re.compile(_LABEL.format("Protocol"), re.IGNORECASE | re.MULTILINE)
_TITLE = re.compile(_LABEL.format("Infringed Work|Title"), re.IGNORECASE | re.MULTILINE)
_FILE = re.compile(_LABEL.format("Infringing File ?Name|File ?Name"), re.IGNORECASE | re.MULTILINE)
_CASE = re.compile(_LABEL.format(r"(?:Notice|Case) ?(?:ID|Number|#)"), re.IGNORECASE | re.MULTILINE)
_PROSE_TIME = re.compile(r"\bIP Address \S+ on (\d{4}-\d{2}-\d{2}[ T][\d:.]+(?: ?(?:GMT|UTC|Z))?)")


@dataclass
class Evidence:
    addresses: list[str] = field(default_factory=list)
    moments: list[datetime] = field(default_factory=list)
    port: int | None = None
    protocol: str = ""
    title: str = ""
    file_name: str = ""
    case_id: str = ""


# Evidence lines stand near the top of a letter; a batch of notices is read from its XML.
MAX_CHARS = 200_000


def evidence(text: str) -> Evidence:
    text = text[:MAX_CHARS]
    found = Evidence()
    for match in _ADDRESS.finditer(text):
        try:
            found.addresses.append(events.address(match.group(1)))
        except events.EventUnreadable:
            continue
    found.addresses = list(dict.fromkeys(found.addresses))
    for written in [m.group(1) for m in _TIME.finditer(text)] + _PROSE_TIME.findall(text):
        try:
            found.moments.append(to_utc(written))
        except TimeUnreadable:
            continue
    found.port = next(filter(None, (events.port(m.group(1)) for m in _PORT.finditer(text))), None)
    found.protocol = _first(_PROTOCOL, text)
    found.title = _first(_TITLE, text)
    found.file_name = _first(_FILE, text)
    found.case_id = _first(_CASE, text).lstrip("#").strip()
    return found


def letter_events(found: Evidence) -> list[dict]:
    """The event the letter states: one address at its first moment; none unless both."""
    if not found.addresses or not found.moments:
        return []
    files = [events.file_entry(found.title, found.file_name)]
    return [
        events.event(
            ip=address,
            moment=found.moments[0],
            port_number=found.port,
            protocol=found.protocol,
            case_id=found.case_id,
            files=files,
        )
        for address in found.addresses
    ]


def disagrees(found: Evidence, read: list[dict]) -> bool:
    """The letter names an address the XML does not, or none of its times is one of the
    XML's (to the second)."""
    if not read:
        return False
    addresses = {one["ip"] for one in read}
    if any(address not in addresses for address in found.addresses):
        return True
    seconds = {one["timestamp"][:19] for one in read}
    stated = {moment.strftime("%Y-%m-%dT%H:%M:%S") for moment in found.moments}
    return bool(stated) and not stated & seconds


def _first(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return match.group(1) if match else ""
