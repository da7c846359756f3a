"""Shareable versions of records: the personal data of people other than the recipient
(telephone, e-mail, street address, signature metadata, IP addresses) taken out.

Structured fields are dropped by the document builders; free text goes through
`redact_text`, which finds e-mail addresses, telephone numbers (Google's libphonenumber
rules, through `phonenumbers`) and IP addresses wherever they are written.
"""

import ipaddress
import re

import phonenumbers

REMOVED = "[removed]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IP_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+)(?![\w.:])"
)


def redact_text(
    text: str, keep: frozenset[str] = frozenset(), known: frozenset[str] = frozenset()
) -> str:
    """Remove e-mail addresses, telephone numbers and IP addresses from free text.

    `keep`: strings to leave alone, such as the case's infringing locations, which are
    where the material is, not data about a person. `known`: personal values the case
    holds (street addresses, say) that no pattern would recognise; removed verbatim.
    """
    if not text:
        return text
    for value in sorted(known, key=len, reverse=True):
        if len(value) >= 4:
            text = text.replace(value, REMOVED)
    protected = {}
    for n, value in enumerate(sorted(keep, key=len, reverse=True)):
        if value and value in text:
            token = f"\x00{n}\x00"
            protected[token] = value
            text = text.replace(value, token)
    text = _EMAIL.sub(REMOVED, text)
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "US"))):
        text = text[: match.start] + REMOVED + text[match.end :]
    text = _IP_CANDIDATE.sub(_ip_or_same, text)
    for token, value in protected.items():
        text = text.replace(token, value)
    return text


def _ip_or_same(match: re.Match) -> str:
    try:
        ipaddress.ip_address(match.group(0))
    except ValueError:
        return match.group(0)
    return REMOVED
