"""ACNS 2.0 (the Automated Copyright Notice System's `<Infringement>` XML): found in a
letter's text, between "Start ACNS XML" markers or not, with PGP clear-signing's dash
escapes undone, or as a whole XML attachment; several documents in one text are each read.

One `<Infringement>` names one source (address, port, moment) and the items it offered;
an item without its own `<TimeStamp>` takes the source's. Items seen at different moments
make one event per moment."""

import re

from . import events
from .safexml import parse, text_of
from .times import TimeUnreadable, to_utc

MAX_BLOCKS = 500

_START = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?Infringement\b")
_END = re.compile(r"</(?:[A-Za-z_][\w.-]*:)?Infringement\s*>")
_END_MARKER = re.compile(r"-*\s*End ACNS XML", re.IGNORECASE)
_MARKER = re.compile(r"-\s*Start ACNS XML", re.IGNORECASE)
# RFC 4880 clear-signing writes a line that starts with "-" as "- -..." (and again when
# a signed text is signed once more).
_DASH_ESCAPE = re.compile(r"^(?:- )+(?=-)", re.MULTILINE)


def unescape_dashes(text: str) -> str:
    return _DASH_ESCAPE.sub("", text)


def has_marker(text: str) -> bool:
    return bool(_MARKER.search(text)) or bool(_START.search(text))


def blocks(text: str) -> tuple[list[str], list[str]]:
    """(each `<Infringement>` document in the text, what was left unread). A document
    whose closing tag is missing ends at the End marker, the next document or the text's
    end."""
    found, problems = [], []
    starts = [match.start() for match in _START.finditer(text)]
    if len(starts) > MAX_BLOCKS:
        problems.append(f"ACNS documents after the first {MAX_BLOCKS} were not read.")
        starts = starts[: MAX_BLOCKS + 1]
    for number, start in enumerate(starts[:MAX_BLOCKS]):
        limit = starts[number + 1] if number + 1 < len(starts) else len(text)
        end = _END.search(text, start, limit)
        if end:
            found.append(text[start : end.end()])
            continue
        marker = _END_MARKER.search(text, start, limit)
        found.append(text[start : marker.start() if marker else limit])
    return found, problems


def read_block(block: str) -> tuple[list[dict], list[str], str]:
    """(events, problems, the sender's e-mail in the XML) of one ACNS document."""
    root, problems = parse(block)
    if root is None:
        return [], problems, ""
    infringements = [root] if root.tag == "Infringement" else list(root.iter("Infringement"))
    read, email = [], ""
    for infringement in infringements:
        found, trouble = _events(infringement)
        read += found
        problems += trouble
        email = email or text_of(infringement, "Complainant", "Email")
    return read, problems, email


def _events(infringement) -> tuple[list[dict], list[str]]:
    source = infringement.find("Source")
    case_id = text_of(infringement, "Case", "ID")
    subtype = source.find("SubType") if source is not None else None
    common = {
        "ip": text_of(source, "IP_Address"),
        "port_number": text_of(source, "Port"),
        "protocol": (subtype.get("Protocol", "") if subtype is not None else "")
        or text_of(source, "Type"),
        "case_id": case_id,
        "complainant": text_of(infringement, "Complainant", "Entity"),
    }
    source_time = text_of(source, "TimeStamp")
    by_moment: dict[str, list[dict]] = {}
    for item in infringement.findall("Content/Item")[: events.MAX_FILES_PER_EVENT * 10]:
        written = text_of(item, "TimeStamp") or source_time
        by_moment.setdefault(written, []).append(_file(item))
    if not by_moment:
        by_moment[source_time] = []
    read, problems = [], []
    for written, files in by_moment.items():
        try:
            read.append(events.event(moment=to_utc(written), files=files, **common))
        except (TimeUnreadable, events.EventUnreadable) as error:
            problems.append(f"ACNS case {case_id[:60] or '(no ID)'}: {error}; not read.")
    return read, problems


def _file(item) -> dict:
    hash_element = item.find("Hash")
    digest = text_of(item, "Hash")
    algorithm = (hash_element.get("Type", "") if hash_element is not None else "").lower()
    if digest and algorithm in ("sha1", "sha256", "md5", "ed2k", "btih", "tth"):
        digest = f"{algorithm}:{digest.lower()}"
    return events.file_entry(
        text_of(item, "Title"), text_of(item, "FileName"), text_of(item, "FileSize"), digest
    )
