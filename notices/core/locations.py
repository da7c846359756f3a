"""Reading an infringing location as given (a URL, host name, IP address or path).

Pure: the same reader serves the web form, the API, e-mail intake and search, so a
location typed in any of them is stored and found in one normal form.
"""

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from url_normalize import url_normalize

MAX_LENGTH = 2048

URL_SCHEMES = {"http", "https", "ftp", "ftps", "sftp", "rtmp", "rtsp"}
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_CONTROL_OR_SPACE_RE = re.compile(r"[\x00-\x20\x7f]")
# A URL already in normal form, as bulk senders send nearly all of theirs: http(s), a
# lowercase ASCII host, no port, a path of plain characters without dot segments or empty
# segments, no query, fragment or escapes. url-normalize would return it unchanged.
_PLAIN_URL_RE = re.compile(
    r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)+)(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)"
)
_NOT_PLAIN_PATH_RE = re.compile(r"//|/\.\.?(?:/|$)")


class LocationError(ValueError):
    pass


@dataclass(frozen=True)
class Location:
    kind: str  # "url", "host", "ip" or "path"
    normalized: str
    host: str  # lowercase ASCII host or IP address; "" for a bare path


def parse_location(text: str) -> Location:
    """Return the location in normal form, or raise LocationError saying why not."""
    text = text.strip()
    if not text:
        raise LocationError("The location is empty.")
    if len(text) > MAX_LENGTH:
        raise LocationError(f"A location can be at most {MAX_LENGTH} characters long.")
    if _CONTROL_OR_SPACE_RE.search(text):
        raise LocationError("A location cannot contain spaces or control characters.")

    scheme = _SCHEME_RE.match(text)
    if scheme:
        if scheme.group(1).lower() not in URL_SCHEMES:
            raise LocationError(
                f"Addresses starting with “{scheme.group(1)}://” are not supported."
            )
        return _plain_url(text) or _url(text)
    ip = _ip(text.strip("[]"))
    if ip:
        return Location("ip", ip, ip)
    if text.startswith("/"):
        return Location("path", text, "")
    first = re.split(r"[/?#]", text, maxsplit=1)[0]
    host_part = first.rsplit(":", 1)[0] if first.count(":") == 1 else first
    if _ip(host_part) or _host(host_part):
        if text == host_part:
            return Location("host", _host(text), _host(text))
        return _url(text)
    raise LocationError(
        "This is not a web address, host name, IP address or file path we can read. "
        "Give the full address, for example https://example.com/file.mp4."
    )


def _plain_url(text: str) -> Location | None:
    """The location of a URL already in normal form; None for any other text."""
    match = _PLAIN_URL_RE.fullmatch(text)
    if not match or _NOT_PLAIN_PATH_RE.search(match.group(3)):
        return None
    host = _ip(match.group(2)) or _host(match.group(2))
    return Location("url", text, host) if host else None


def _url(text: str) -> Location:
    try:
        normalized = url_normalize(text, default_scheme="https")
        parts = urlsplit(normalized)
        hostname = parts.hostname or ""
    except ValueError as exc:
        raise LocationError("This web address is not valid.") from exc
    host = _ip(hostname) or _host(hostname)
    if not host:
        raise LocationError("This web address has no valid host name.")
    normalized = urlunsplit(parts._replace(fragment=""))
    if len(normalized) > MAX_LENGTH:
        # Percent-encoding can make a non-ASCII address several times longer.
        raise LocationError(
            f"This web address is longer than {MAX_LENGTH} characters once encoded."
        )
    return Location("url", normalized, host)


def _ip(text: str) -> str:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return ""
    if getattr(address, "scope_id", None):
        return ""  # a zone id ("%eth0") names a local interface, not a place on the Internet
    return str(address)


# A notice names few hosts for many locations: each is checked (and IDNA-encoded) once.
@lru_cache(maxsize=4096)
def _host(text: str) -> str:
    """Return the host in lowercase ASCII (IDNA) if it is a plausible public host name."""
    try:
        host = text.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2:
        return ""
    if not all(_LABEL_RE.match(label) for label in labels):
        return ""
    if not (labels[-1].isalpha() or labels[-1].startswith("xn--")):
        return ""
    return host
