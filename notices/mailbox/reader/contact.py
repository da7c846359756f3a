"""The sender's contact details: e-mail address, telephone, postal address, name."""

import re

from django.conf import settings

from .layout import Sentence, next_nonblank, spanning, strip_markup
from .urls import REDACTED, REDACTION, URL_RE, on_domain, provider_domains

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PHONE = re.compile(
    r"(?:\+|\b00)\d[\d\s().-]{7,18}\d\b|\(\d{2,4}\)\s?\d{3,4}[\s.-]?\d{3,4}\b|"
    r"\b\d{3}[.-]\d{3}[.-]\d{4}\b|\b0\d{1,4}[-\s]\d{2,4}[-\s]\d{3,4}\b"
)
_PHONE_LABEL = re.compile(
    r"^\s*[TFPM]\s*[:.]?\s(?=\s*[+(\d\[])|\b(?:phone|tel|telephone|mobile|cell|fax|call)\b\.?(?:\s*(?:no|number|#)\.?)?\s*[:\-]?",
    re.IGNORECASE,
)
CONTACT_LABEL = re.compile(
    r"\b(?:e-?mail|phone|tel|telephone|mobile|cell|fax|address|contact(?: information| details)?"
    r"|reach (?:me|us)|get back to (?:me|you|us)|mailing|postal|street|p\.?\s?o\.? box|"
    r"kontakt\w*|coordonnées|contacto)\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?,? (?:[A-Z0-9][\w.'-]*,? ){0,5}(?:street|st|avenue|ave|road|rd|"
    r"boulevard|blvd|lane|ln|drive|dr|way|place|pl|suite|ste|floor|fl|court|ct|parkway|pkwy|"
    r"highway|hwy|square|sq|strasse|straße|allee|weg)\b\.?|"
    r"\b(?:suite|floor|p\.?\s?o\.? box)\s+\w+|"
    r"\b[A-Z][a-z]+,? (?:[A-Z]{2}|[A-Z][a-z]+) \d{5}(?:-\d{4})?\b|"
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b",
)
_ADDRESS_LABEL = re.compile(r"\b(?:address|located at|mailing|postal)\b\s*:?", re.IGNORECASE)
_PERSONAL_REDACTION = re.compile(
    r"<[^<>\n]{0,40}\b(?:information|data|details)\b[^<>\n]{0,20}>|<redacted>", re.IGNORECASE
)
# The head of a letter addressed to an agent: "c/o Registered DMCA Agent", "Attn:".
_ADDRESSEE = re.compile(
    r"^\W*(?:c/o\b|attn\b|attention\b|recipient\b|to:|(?:registered |designated )?"
    r"(?:dmca|copyright) agent\b)",
    re.IGNORECASE,
)
_SALUTATION = re.compile(
    r"^\W*(?:dear|to whom|hello|hi|hallo|bonjour|sender\b|from:|re:)", re.IGNORECASE
)


def _addressee_lines(lines: list[str]) -> set[int]:
    """The lines of the address a letter is sent to (the recipient's, not the sender's):
    from an "Attn:"/"c/o … agent" line in the letter's head to the salutation or the first
    sentence (at most ten lines); and any line
    giving the Designated Agent's own street."""
    ours = {
        value.lower()
        for key in ("street", "fax")
        if (value := settings.DESIGNATED_AGENT.get(key, "").strip())
    }
    skipped = {n for n, line in enumerate(lines) if any(v in line.lower() for v in ours)}
    start = next((n for n, line in enumerate(lines[:15]) if _ADDRESSEE.match(line)), None)
    if start is None:
        return skipped
    for number in range(start, min(len(lines), start + 10)):
        line = lines[number].strip()
        if number > start and (_SALUTATION.match(line) or len(line) > 80):
            break  # the letter itself begins
        skipped.add(number)
    return skipped


# "Name: [redacted]": a name alone is no contact information.
_NAME_REDACTED = re.compile(r"\bname\s*[:\-]?\s*" + REDACTION + r"\s*$", re.IGNORECASE)
INFRINGER = re.compile(
    r"infringer|alleged|uploader|the user|the (?:subscriber|customer)|their |his |her |"
    r"the owner of the (?:site|website|repository|account)|operator",
    re.IGNORECASE,
)


def find_contact(text: str, lines: list[str], sentences: list[Sentence]) -> tuple[list[str], dict]:
    """Sentences or lines with the sender's contact details (a redaction counts)."""
    found: list[tuple[int, int]] = []  # first and last line of each
    details: dict[str, str] = {}
    ours = provider_domains()
    addressee = _addressee_lines(lines)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or number in addressee:
            continue
        if INFRINGER.search(stripped) and not re.match(r"^\W*(?:my|our)\b", stripped, re.I):
            continue
        # "<personal information redacted>" on its own line: the sender gave its details
        # and the publisher took them out.
        hit = bool(_PERSONAL_REDACTION.fullmatch(stripped))
        for match in EMAIL.finditer(stripped):
            address = match.group()
            domain = address.split("@")[1].lower()
            if on_domain(domain, ours):
                continue
            details.setdefault("email", address)
            hit = True
        phone = None
        label = _PHONE_LABEL.search(stripped)
        if label:
            phone = _PHONE.search(stripped, label.end()) or re.search(
                r"\+?\d[\d\s().-]{5,20}\d", stripped[label.end() :]
            )
        else:
            phone = _PHONE.search(URL_RE.sub(" ", stripped))
        if phone:
            details.setdefault("phone", phone.group().strip())
            hit = True
        address = _ADDRESS.search(URL_RE.sub(" ", stripped))
        address_label = _ADDRESS_LABEL.search(stripped)
        if address or (address_label and len(stripped) > address_label.end() + 8):
            value = stripped
            if address_label and stripped[address_label.end() :].strip():
                value = stripped[address_label.end() :].strip()
            if address or re.search(r"\d", value):
                details.setdefault("address", strip_markup(value)[:300])
                hit = True
        last = number
        if not hit and (CONTACT_LABEL.search(stripped) or _PHONE_LABEL.search(stripped)):
            rest = stripped
            following = next_nonblank(lines, number)
            if REDACTED.search(rest) and not _NAME_REDACTED.search(rest):
                hit = True
            elif following is not None and len(rest) < 250:
                value = lines[following]
                if REDACTED.search(value) or EMAIL.search(value) or _PHONE.search(value):
                    hit = True
                    last = following
        if hit:
            found.append((number, last))
        name = re.match(r"^\W*(?:full |legal )?name\s*[:\-]\s*(.+)$", stripped, re.I)
        if name and "name" not in details:
            details["name"] = strip_markup(name.group(1))[:200]
    # A closing block of redacted lines (name, title, address, phone...) under the body.
    tail = [number for number, line in enumerate(lines) if line.strip()][-10:]
    redacted = [n for n in tail if REDACTED.search(lines[n]) and len(lines[n].strip()) < 120]
    if len(redacted) >= 3:
        found.extend((number, number) for number in redacted[1:])
    return spanning(text, lines, found), details
