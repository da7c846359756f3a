"""Shareable versions of records: the personal data of people other than the recipient
(telephone, e-mail, street address, signature metadata, IP addresses) and every private
link taken out.

Structured fields are dropped by the document builders; free text goes through
`redact_text`, which finds private links, e-mail addresses, telephone numbers (Google's
libphonenumber rules, through `phonenumbers`) and IP addresses wherever they are written.
What the desk publishes itself (case references, the Designated Agent's address, the
site's public pages) is left as it is.
"""

import ipaddress
import re
from functools import cache

import phonenumbers
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

REMOVED = "[removed]"
LINK_REMOVED = "[private link removed]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IP_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+)(?![\w:]|\.\w)"
)
# Case references look like telephone numbers to libphonenumber (DMCA-2026-000042).
_REFERENCE = re.compile(r"\bDMCA-\d{4}-\d{6,}\b")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'()]+")
_SENTENCE_END = ".,;:!?"
# A URL that carries a secret of someone else's making: a parameter named for one, or a
# long random-looking part (mixed case and digits, as generated tokens are).
_SECRET_PARAMETER = re.compile(
    r"[?&;](?:[\w.-]*(?:token|secret|passw|signature|sig|auth|key|session|code))=",
    re.IGNORECASE,
)
_RANDOM_PART = re.compile(r"[A-Za-z0-9]{20,}")


def redact_text(
    text: str, keep: frozenset[str] = frozenset(), known: frozenset[str] = frozenset()
) -> str:
    """Remove private links, e-mail addresses, telephone numbers and IP addresses.

    `keep`: strings to leave alone, such as the case's infringing locations, which are
    where the material is, not data about a person. `known`: personal values the case
    holds (street addresses, say) that no pattern would recognise; removed verbatim.
    """
    if not text:
        return text
    text = _private_links().sub(_link_removed, text)
    for value in sorted(known, key=len, reverse=True):
        if len(value) >= 4:
            text = text.replace(value, REMOVED)
    keep = keep | _published_values() | set(_REFERENCE.findall(text))
    protected = {}
    for n, value in enumerate(sorted(keep, key=len, reverse=True)):
        if value and value in text:
            # Private-use characters: no pattern below matches them, no text holds them.
            placeholder = f"\ue000{_private_use_digits(n)}\ue000"
            protected[placeholder] = value
            text = text.replace(value, placeholder)
    text = _URL.sub(_foreign_link, text)
    text = _EMAIL.sub(REMOVED, text)
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "US"))):
        text = text[: match.start] + REMOVED + text[match.end :]
    text = _IP_CANDIDATE.sub(_ip_or_same, text)
    for placeholder, value in protected.items():
        text = text.replace(placeholder, value)
    return text


@cache
def _private_links() -> re.Pattern:
    """Every address of the site that acts for a party: each route with a parameter named
    for a token, read from the URL configuration, so a new private route is covered as
    soon as it exists. On any host, or none, with whatever follows the token."""
    routes = sorted(set(_token_routes(get_resolver().url_patterns, "")))
    host = r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/<>\"']+)?"
    return re.compile(rf"{host}/(?:{'|'.join(routes)})[^\s<>\"'()]*")


def _token_routes(patterns, prefix: str):
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^").removesuffix("$").removesuffix(r"\Z")
        if isinstance(entry, URLResolver):
            yield from _token_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and any(
            "token" in name for name in entry.pattern.regex.groupindex
        ):
            # Up to the end of the token; a parameter becomes one path segment.
            head = route[: route.index(">", route.index("token")) + 1]
            yield "".join(
                r"[^/\s<>\"']+" if part.startswith("<") else re.escape(part)
                for part in re.split(r"(<[^>]+>)", head)
                if part
            )


def _link_removed(match: re.Match) -> str:
    """The link replaced; the punctuation of the sentence it ended kept."""
    link = match.group(0).rstrip(_SENTENCE_END)
    return LINK_REMOVED + match.group(0)[len(link) :]


def _foreign_link(match: re.Match) -> str:
    url = match.group(0)
    if _SECRET_PARAMETER.search(url) or any(map(_looks_random, _RANDOM_PART.findall(url))):
        return _link_removed(match)
    return url


def _looks_random(part: str) -> bool:
    return (
        any(c.isupper() for c in part)
        and any(c.islower() for c in part)
        and any(c.isdigit() for c in part)
    )


def _published_values() -> frozenset[str]:
    """What the desk publishes about itself: the Designated Agent's contact block (also on
    the Copyright Office's register) and the site's address."""
    agent = settings.DESIGNATED_AGENT
    values = [agent["email"], agent["fax"], agent["street"], agent["city_line"], settings.SITE_URL]
    return frozenset(value for value in values if value)


def _private_use_digits(n: int) -> str:
    digits = ""
    while True:
        n, digit = divmod(n, 4096)
        digits += chr(0xE100 + digit)
        if not n:
            return digits


def _ip_or_same(match: re.Match) -> str:
    candidate = match.group(0)
    address = candidate.rstrip(".")  # a full stop ends the sentence, not the address
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return candidate
    return REMOVED + candidate[len(address) :]
