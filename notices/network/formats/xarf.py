"""XARF (eXtended Abuse Reporting Format) JSON reports, versions 3 and 4. A copyright
report (v4 category `copyright`, v3 `ReportType: Copyright`) is a notice of claimed
infringement; any other (a login attack, spam) is read but is `other`."""

import json

from . import NoticeRefused, events
from .times import TimeUnreadable, to_utc

MAX_JSON_BYTES = 1_000_000


def read(data: bytes | str) -> tuple[list[dict], list[str], str, bool]:
    """(events, problems, the reporter's e-mail, whether it is about copyright).
    NoticeRefused when it is not a XARF report."""
    if len(data) > MAX_JSON_BYTES:
        raise NoticeRefused(f"The XARF report is larger than {MAX_JSON_BYTES:,} bytes.")
    try:
        report = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise NoticeRefused(f"The XARF report is not JSON: {str(error)[:160]}.") from None
    if not isinstance(report, dict):
        raise NoticeRefused("The XARF report is not a JSON object.")
    if str(report.get("xarf_version", "")).startswith("4"):
        return _version_4(report)
    if str(report.get("Version", "")).strip() == "3" and isinstance(report.get("Report"), dict):
        return _version_3(report)
    raise NoticeRefused("The JSON is not a XARF report (no xarf_version 4 or Version 3).")


def looks_like_xarf(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("{") and ('"xarf_version"' in head or '"ReportType"' in text[:20000])


def _version_4(report: dict) -> tuple[list[dict], list[str], str, bool]:
    category = str(report.get("category") or report.get("class") or "").lower()
    reporter = _dict(report.get("reporter"))
    swarm = _dict(report.get("swarm_info"))
    info_hash = str(swarm.get("info_hash") or "")
    files = [
        events.file_entry(
            report.get("work_title", ""),
            report.get("file_name", ""),
            report.get("file_size"),
            f"btih:{info_hash.lower()}" if info_hash else "",
        )
    ]
    fields = {
        "ip": str(report.get("source_identifier") or ""),
        "written": str(report.get("timestamp") or ""),
        "port_number": report.get("source_port"),
        "protocol": str(report.get("p2p_protocol") or report.get("protocol") or ""),
        "case_id": str(report.get("report_id") or ""),
        "complainant": str(report.get("rights_holder") or reporter.get("org") or ""),
        "files": files,
    }
    found, problems = _one(fields)
    return found, problems, str(reporter.get("contact") or ""), category == "copyright"


def _version_3(report: dict) -> tuple[list[dict], list[str], str, bool]:
    body = report["Report"]
    reporter, behalf = _dict(report.get("ReporterInfo")), _dict(report.get("OnBehalfOf"))
    file_hash = _dict(body.get("FileHash"))
    digest = str(file_hash.get("HashValue") or "")
    algorithm = str(file_hash.get("HashAlgorithm") or "").lower()
    files = [
        events.file_entry(
            body.get("InfringedMaterial", ""),
            body.get("FileName", ""),
            body.get("FileSize"),
            f"{algorithm}:{digest.lower()}" if algorithm and digest else digest,
        )
    ]
    fields = {
        "ip": str(body.get("SourceIp") or body.get("Source") or ""),
        "written": str(body.get("Date") or body.get("FirstSeen") or ""),
        "port_number": body.get("SourcePort"),
        "protocol": str(body.get("Protocol") or ""),
        "case_id": str(body.get("ReportId") or report.get("ReportId") or ""),
        "complainant": str(behalf.get("ComplainantOrg") or reporter.get("ReporterOrg") or ""),
        "files": files,
    }
    found, problems = _one(fields)
    copyright_report = str(body.get("ReportType", "")).lower() == "copyright"
    return found, problems, str(reporter.get("ReporterOrgEmail") or ""), copyright_report


def _one(fields: dict) -> tuple[list[dict], list[str]]:
    written = fields.pop("written")
    try:
        return [events.event(moment=to_utc(written), **fields)], []
    except (TimeUnreadable, events.EventUnreadable) as error:
        return [], [f"XARF report {fields['case_id'][:60] or '(no id)'}: {error}; not read."]


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}
