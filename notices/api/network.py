"""POST /api/v1/network-notices/: an ACNS XML or XARF JSON report, answered with what
became of each event it names (the same outcomes as a mailed network notice). A report
about copyright is kept as received, like a mailed one: an InboundMessage of channel
"api" holds the payload and its reading, and its events point to it."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notices.models import Channel, InboundMessage
from notices.network.intake import EventUnreadable, network_events_store, network_events_trace
from notices.network.reading import MAX_PAYLOAD_BYTES, NoticeRefused, read_network_payload

from .views import COMMON_ERRORS, ERRORS, IDEMPOTENCY, _idempotent

RESULT = inline_serializer(
    "NetworkNoticeResult",
    {
        "format": serializers.ChoiceField(choices=["acns", "xarf"]),
        "kind": serializers.ChoiceField(
            choices=["takedown", "other"],
            help_text="other: a report that is not about copyright; its events are not kept.",
        ),
        "events": serializers.ListField(
            child=inline_serializer(
                "NetworkEventResult",
                {
                    "ip": serializers.IPAddressField(),
                    "timestamp": serializers.DateTimeField(),
                    "case_id": serializers.CharField(),
                    "outcome": serializers.ChoiceField(
                        choices=["case", "duplicate", "not_ours", "too_old"]
                    ),
                },
            )
        ),
        "flags": serializers.ListField(child=serializers.CharField()),
    },
)
ACNS_EXAMPLE = (
    '<Infringement xmlns="http://www.acns.net/ACNS"><Case><ID>NW-1001</ID></Case>'
    "<Complainant><Entity>Example Pictures LLC</Entity></Complainant><Source>"
    "<TimeStamp>2026-03-02T10:15:30Z</TimeStamp><IP_Address>192.0.2.10</IP_Address>"
    "<Port>51413</Port><Type>BitTorrent</Type></Source><Content><Item>"
    "<Title>An Example Film</Title></Item></Content></Infringement>"
)


class NetworkNoticeApi(APIView):
    @extend_schema(
        operation_id="network_notice_create",
        summary="File a network notice (ACNS XML or XARF JSON); the outcome of each event",
        description=(
            "Send ACNS XML as application/xml, or a XARF v3 or v4 report as "
            f"application/json, at most {MAX_PAYLOAD_BYTES:,} bytes. Each event is traced "
            "to the subscriber who held the address at its moment: `case` (on their "
            "network case), `duplicate` (you reported this case id before), `not_ours` (no "
            "subscriber of ours held the address then) or `too_old`. A report that cannot "
            "be read is refused with the reason (400)."
        ),
        request={"application/xml": OpenApiTypes.STR, "application/json": OpenApiTypes.OBJECT},
        examples=[OpenApiExample("ACNS", value=ACNS_EXAMPLE, media_type="application/xml")],
        parameters=[IDEMPOTENCY],
        responses={200: RESULT, **COMMON_ERRORS, 422: ERRORS},
    )
    def post(self, request):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_PAYLOAD_BYTES:
            message = f"A network notice is at most {MAX_PAYLOAD_BYTES:,} bytes."
            return Response({"errors": {"request": [message]}}, status=413)
        return _idempotent(request, lambda: _file(request))


def _file(request) -> tuple[int, dict]:
    media = (request.content_type or "").partition(";")[0].strip().lower()
    if not media.endswith(("xml", "json")):
        message = "Send ACNS XML as application/xml or a XARF report as application/json."
        return 415, {"errors": {"request": [message]}}
    try:
        reading = read_network_payload(request.body, request.content_type)
    except NoticeRefused as refused:
        return 400, {"errors": {"request": [str(refused)]}}
    answer = {"format": reading.format, "kind": reading.kind, "flags": list(reading.flags)}
    if reading.kind != "takedown":
        return 200, {**answer, "events": []}
    now = timezone.now()
    try:
        events = network_events_trace(
            reading.events,
            format=reading.format,
            sender=f"api:{request.user.pk}",
            received_at=now,
            flags=reading.flags,
        )
    except EventUnreadable as error:
        return 400, {"errors": {"request": [str(error)]}}
    with transaction.atomic():
        inbound = _report_kept(request, reading, now, events)
        network_events_store(events, inbound=inbound, api_sender=request.user, now=now)
    return 200, {
        **answer,
        "events": [
            {
                "ip": event.ip,
                "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
                "case_id": event.vendor_case_id,
                "outcome": event.outcome,
            }
            for event in events
        ],
    }


def _report_kept(request, reading, now, events) -> InboundMessage:
    """The report as received, kept like a mailed one (and anonymized like one)."""
    sender = request.user
    inbound = InboundMessage(
        channel=Channel.API,
        message_id=f"<api-{uuid.uuid4().hex}@network-notices>",
        received_at=now,
        sender=f"{sender.name} <{sender.email}>"[:300],
        subject=f"Network notice filed through the API ({reading.format})",
        kind=InboundMessage.Kind.NETWORK,
        reading=reading.as_json(),
        sha256=hashlib.sha256(request.body).hexdigest(),
        created_case=any(event.outcome == event.Outcome.CASE for event in events),
    )
    extension = "json" if reading.format == "xarf" else "xml"
    inbound.original.save(f"report.{extension}", ContentFile(request.body), save=False)
    inbound.save()
    return inbound
