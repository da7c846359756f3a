"""A vendor's own XML that is not ACNS: `<InvestigationInfo>` with `PeerIP`, `PeerPort`
and day-first times (`30/04/2014 00:03:37`, UTC unless a zone follows). Several
investigations in one document are each an event."""

from . import events
from .safexml import parse
from .times import TimeUnreadable, to_utc

_TIME_NAMES = ("TimeStamp", "Timestamp", "FirstSeen", "DateTime", "Date", "Time", "LastSeen")
_CASE_NAMES = ("CaseID", "CaseId", "NoticeID", "ID", "InvestigationID")
_TITLE_NAMES = ("Title", "WorkTitle", "ContentTitle")


def read(text: str) -> tuple[list[dict], list[str]]:
    root, problems = parse(text)
    if root is None:
        return [], problems
    investigations = [root] if root.tag == "InvestigationInfo" else root.iter("InvestigationInfo")
    read_events = []
    for investigation in investigations:
        found, trouble = _event(investigation)
        read_events += found
        problems += trouble
    return read_events, problems


def _event(investigation) -> tuple[list[dict], list[str]]:
    found = {
        element.tag: (element.text or "").strip()
        for element in investigation.iter()
        if isinstance(element.tag, str)
    }
    written = _first(found, _TIME_NAMES)
    case_id = _first(found, _CASE_NAMES)
    files = [
        events.file_entry(
            _first(found, _TITLE_NAMES),
            found.get("FileName", ""),
            found.get("FileSize"),
            found.get("FileHash") or found.get("Hash") or found.get("InfoHash") or "",
        )
    ]
    try:
        one = events.event(
            ip=found.get("PeerIP", ""),
            moment=to_utc(written),
            port_number=found.get("PeerPort"),
            protocol=found.get("Protocol", ""),
            case_id=case_id,
            complainant=found.get("Complainant") or found.get("RightsOwner", ""),
            files=files,
        )
    except (TimeUnreadable, events.EventUnreadable) as error:
        return [], [f"Investigation {case_id[:60] or '(no ID)'}: {error}; not read."]
    return [one], []


def _first(found: dict, names: tuple[str, ...]) -> str:
    return next((found[name] for name in names if found.get(name)), "")
