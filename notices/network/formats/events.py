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
    """The address as the desk writes it (IPv6 compressed); EventUnreadable if none."""
    try:
        return str(ipaddress.ip_address((written or "").strip()[:64]))
    except ValueError:
        raise EventUnreadable(f"{(written or '').strip()[:64]!r} is not an IP address") from None


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
    """What makes two events the same report (the inline XML and its attachment)."""
    return (one["ip"], one["port"], one["timestamp"], one["case_id"])


def _cut(name: str, value) -> str:
    return " ".join(str(value or "").split())[: _CUT[name]]
