"""The event dict every format produces: one address seen at one moment, with the files
it offered (`{"ip", "port", "timestamp", "protocol", "case_id", "complainant", "files"}`).
Values are checked and cut to size here, once for all formats."""

import ipaddress
from datetime import datetime

from .times import iso_utc

MAX_FILES_PER_EVENT = 100
_CUT = {
    "title": 500,
    "file_name": 500,
    "hash": 200,
    "protocol": 40,
    "case_id": 200,
    "complainant": 300,
}


class EventUnreadable(ValueError):
    pass


def address(written: str) -> str:
    """The address as the desk writes it (IPv6 compressed, an IPv4-mapped IPv6 address as
    the IPv4 address it is); EventUnreadable if none, or if it has a zone (PostgreSQL
    stores no zone, and none identifies a subscriber)."""
    text = (written or "").strip()[:64]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        raise EventUnreadable(f"{text!r} is not an IP address") from None
    if getattr(parsed, "scope_id", None):
        # fe80::1%eth0: the zone names a network interface of the sender's own machine.
        raise EventUnreadable(
            f"{text!r} is an IPv6 address with a zone (after %), which names a network "
            "interface of the sender's own machine, not an address on the Internet"
        )
    return str(getattr(parsed, "ipv4_mapped", None) or parsed)


def port(written) -> int | None:
    text = str(written if written is not None else "").strip()
    if text.isdigit() and 0 < int(text) <= 65535:
        return int(text)
    return None


def size(written) -> int | None:
    text = str(written if written is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def file_entry(title="", file_name="", file_size=None, file_hash="") -> dict:
    return {
        "title": _cut("title", title),
        "file_name": _cut("file_name", file_name),
        "size": size(file_size),
        "hash": _cut("hash", file_hash),
    }


def event(
    *,
    ip: str,
    moment: datetime,
    port_number=None,
    protocol="",
    case_id="",
    complainant="",
    files=(),
) -> dict:
    return {
        "ip": address(ip),
        "port": port(port_number),
        "timestamp": iso_utc(moment),
        "protocol": _cut("protocol", protocol).lower(),
        "case_id": _cut("case_id", case_id),
        "complainant": _cut("complainant", complainant),
        "files": [entry for entry in files if any(entry.values())][:MAX_FILES_PER_EVENT],
    }


def key(one: dict) -> tuple:
    """What makes two events the same sighting: the inline XML and its attachment, an
    upstream's IODEF and the original notice it forwards."""
    return (one["ip"], one["timestamp"])


def merged(first: dict, second: dict) -> dict:
    """One event of two reports of the same sighting: what either gives, files of both."""
    files = first["files"] + [entry for entry in second["files"] if entry not in first["files"]]
    filled = {name: first[name] or second[name] for name in first if name != "files"}
    return {**filled, "files": files[:MAX_FILES_PER_EVENT]}


def _cut(name: str, value) -> str:
    return " ".join(str(value or "").split())[: _CUT[name]]
