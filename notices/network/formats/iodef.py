"""IODEF (RFC 5070 and 7970) incident reports, as an upstream network attaches them when
it forwards a complaint to its customer: each `Flow`'s source `System` address (and port)
at the incident's detect or start time."""

from . import events
from .safexml import parse, text_of
from .times import TimeUnreadable, to_utc


def read(text: str) -> tuple[list[dict], list[str]]:
    root, problems = parse(text)
    if root is None:
        return [], problems
    read_events = []
    for incident in root.iter("Incident"):
        found, trouble = _incident(incident)
        read_events += found
        problems += trouble
    return read_events, problems


def _incident(incident) -> tuple[list[dict], list[str]]:
    case_id = text_of(incident, "IncidentID")
    written = (
        text_of(incident, "DetectTime")
        or text_of(incident, "EventData", "DetectTime")
        or text_of(incident, "EventData", "StartTime")
        or text_of(incident, "StartTime")
        or text_of(incident, "ReportTime")
    )
    complainant = incident.findtext(".//Contact/ContactName") or ""
    found, problems = [], []
    for system in incident.iter("System"):
        if system.get("category", "source") != "source":
            continue
        service = system.find("Service")
        for node_address in system.iterfind("Node/Address"):
            try:
                found.append(
                    events.event(
                        ip=node_address.text or "",
                        moment=to_utc(written),
                        port_number=text_of(service, "Port") if service is not None else None,
                        protocol=_protocol(service),
                        case_id=case_id,
                        complainant=complainant.strip(),
                    )
                )
            except (TimeUnreadable, events.EventUnreadable) as error:
                problems.append(f"IODEF incident {case_id[:60] or '(no ID)'}: {error}; not read.")
    return found, problems


def _protocol(service) -> str:
    number = service.get("ip_protocol", "") if service is not None else ""
    return {"6": "tcp", "17": "udp"}.get(number, "")
