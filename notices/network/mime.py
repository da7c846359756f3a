"""A mail's parts as the network reader needs them, read from the raw headers: the
standard library's header registry parses every header it is asked for into objects,
which made up two thirds of the time spent reading an ACNS mail. Headers with RFC 2231
parameters (`filename*=`) still go through the standard library."""

import email.utils
import re

_PARAMETER = re.compile(r';\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))')


def raw_header(part, name: str) -> str:
    name = name.lower()
    return next((str(value) for key, value in part.raw_items() if key.lower() == name), "")


def media_type(part) -> str:
    """`type/subtype` in lower case; text/plain when none is given (message/rfc822 in a
    multipart/digest, as the standard library says)."""
    value = raw_header(part, "Content-Type")
    media = value.partition(";")[0].strip().lower()
    if "/" in media:
        return media
    return part.get_default_type()


def _parameter(part, header: str, name: str) -> str:
    value = raw_header(part, header)
    if "*=" in value or "=?" in value:  # RFC 2231 or RFC 2047: the standard library's work
        found = part.get_param(name, header=header)
        return email.utils.collapse_rfc2231_value(found) if found else ""
    for match in _PARAMETER.finditer(value):
        if match.group(1).lower() == name:
            return match.group(2) if match.group(2) is not None else match.group(3)
    return ""


def filename(part) -> str:
    return _parameter(part, "Content-Disposition", "filename") or _parameter(
        part, "Content-Type", "name"
    )


def charset(part) -> str:
    return _parameter(part, "Content-Type", "charset").lower()


def is_container(part) -> bool:
    """A multipart whose parts are read one by one (a forwarded mail is read whole)."""
    return part.is_multipart() and media_type(part) != "message/rfc822"


def sender(message) -> str:
    """The From header's address in lower case, or "" where it has none."""
    try:
        address = email.utils.parseaddr(raw_header(message, "From")[:2000])[1]
    except RecursionError:  # nested comments, "((((..." as hostile mail writes them
        return ""
    return address.lower()[:254] if "@" in address else ""
