"""The API for bulk senders (/api/v1/). Thin: shapes and limits in serializers.py, rules
in the statutory module and the services; errors keyed by the statute's element ids."""

import hashlib

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notices.core import statutory
from notices.core.cases import status_url
from notices.core.intake import notice_batch_submit, notice_submit
from notices.models import Channel, IdempotencyRecord, Notice
from notices.models.workflow import ItemAction

from .serializers import MAX_BATCH, NoticeInputSerializer, read_notice

ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Messages keyed by element id (signature, copyrighted_work, "
            "infringing_material, contact_information, good_faith_statement, "
            "accuracy_statement) or, for errors outside the statute, by field or 'request'.",
        )
    },
)
CREATED = inline_serializer(
    "NoticeCreated",
    {
        "reference": serializers.CharField(),
        "status": serializers.CharField(),
        "status_url": serializers.URLField(),
        "url": serializers.CharField(),
    },
)
COMMON_ERRORS = {400: ERRORS, 401: ERRORS, 406: ERRORS, 413: ERRORS, 415: ERRORS, 429: ERRORS}
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Send the same key again to get the first answer instead of a duplicate.",
)


def _create(request, data) -> tuple[int, dict]:
    if not isinstance(data, dict):
        return 400, {"errors": {"request": ["Send one notice as a JSON object."]}}
    submission, errors = read_notice(data)
    if errors:
        return 400, {"errors": errors}
    notice = notice_submit(
        submission=submission,
        channel=Channel.API,
        actor=_actor(request),
        api_sender=request.user,
    )
    return 201, _created(notice)


def _actor(request) -> str:
    return f"api:{request.user.name}"[:100]


def _created(notice: Notice) -> dict:
    return {
        "reference": notice.reference,
        "status": notice.status,
        "status_url": status_url(notice),
        "url": reverse("api-notice-detail", args=[notice.reference]),
    }


def _idempotent(request, handler) -> Response:
    """Replay the first answer for a repeated Idempotency-Key; refuse a key reused for
    another request. The answer is stored in the same transaction as the notices."""
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        status, body = handler()
        return Response(body, status=status)
    if len(key) > 255:
        return Response({"errors": {"Idempotency-Key": ["At most 255 characters."]}}, status=400)
    request_hash = hashlib.sha256(request.body).hexdigest()
    earlier = IdempotencyRecord.objects.filter(sender=request.user, key=key).first()
    if earlier is None:
        try:
            with transaction.atomic():
                status, body = handler()
                if status >= 500:
                    return Response(body, status=status)
                IdempotencyRecord.objects.create(
                    sender=request.user,
                    key=key,
                    request_hash=request_hash,
                    status=status,
                    body=body,
                )
            return Response(body, status=status)
        except IntegrityError:
            # The same key arrived twice at once: the other request won; replay its answer.
            earlier = IdempotencyRecord.objects.get(sender=request.user, key=key)
    if earlier.request_hash != request_hash:
        return Response(
            {"errors": {"Idempotency-Key": ["This key was already used for a different request."]}},
            status=422,
        )
    return Response(earlier.body, status=earlier.status, headers={"Idempotent-Replayed": "true"})


class NoticeCreateApi(APIView):
    @extend_schema(
        operation_id="notice_create",
        summary="File one takedown notice",
        request=NoticeInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: CREATED, **COMMON_ERRORS, 422: ERRORS},
    )
    def post(self, request):
        return _idempotent(request, lambda: _create(request, request.data))


class NoticeBatchApi(APIView):
    @extend_schema(
        operation_id="notice_batch",
        summary=f"File up to {MAX_BATCH:,} notices; each is accepted or refused on its own",
        # Each notice is checked on its own and reported by position, so the batch schema
        # takes any objects: a notice the single endpoint would refuse is not a bad batch.
        request=inline_serializer(
            "NoticeBatch",
            {
                "notices": serializers.ListField(
                    child=serializers.DictField(),
                    max_length=MAX_BATCH,
                    help_text="Notices shaped as for POST /api/v1/notices/.",
                )
            },
        ),
        parameters=[IDEMPOTENCY],
        responses={
            200: inline_serializer(
                "NoticeBatchResult",
                {
                    "created": serializers.IntegerField(),
                    "refused": serializers.IntegerField(),
                    "results": serializers.ListField(child=serializers.DictField()),
                },
            ),
            **COMMON_ERRORS,
            422: ERRORS,
        },
    )
    def post(self, request):
        return _idempotent(request, lambda: self._batch(request))

    def notice_count(self, request) -> int:
        """What the batch costs of the sender's rate: one per notice (see auth.py)."""
        notices = _notices_of(request.data)
        return len(notices) if notices and len(notices) <= MAX_BATCH else 1

    def _batch(self, request) -> tuple[int, dict]:
        notices = _notices_of(request.data)
        if notices is None:
            return 400, {"errors": {"request": ['Send {"notices": [ ... ]}.']}}
        if len(notices) > MAX_BATCH:
            return 400, {"errors": {"notices": [f"At most {MAX_BATCH:,} notices per batch."]}}
        if not all(isinstance(notice, dict) for notice in notices):
            return 400, {"errors": {"notices": ["Each notice must be a JSON object."]}}
        # Every notice is read first; the valid ones are then stored together.
        results: list[dict] = []
        valid: list[tuple[int, statutory.NoticeSubmission]] = []
        for index, notice in enumerate(notices):
            submission, errors = read_notice(notice)
            results.append({"index": index, "http_status": 400, "errors": errors})
            if not errors:
                valid.append((index, submission))
        stored = notice_batch_submit(
            submissions=[submission for _, submission in valid],
            channel=Channel.API,
            actor=_actor(request),
            api_sender=request.user,
        )
        for (index, _), notice in zip(valid, stored, strict=True):
            results[index] = {"index": index, "http_status": 201, **_created(notice)}
        created = len(stored)
        return 200, {"created": created, "refused": len(results) - created, "results": results}


def _notices_of(data) -> list | None:
    """The list in a batch's {"notices": [...]}, or None if the body is not shaped so."""
    notices = data.get("notices") if isinstance(data, dict) else None
    return notices if isinstance(notices, list) and set(data) == {"notices"} else None


class NoticeDetailApi(APIView):
    @extend_schema(
        operation_id="notice_detail",
        summary="A case as its sender may see it",
        responses={
            200: inline_serializer(
                "NoticeDetail",
                {
                    "reference": serializers.CharField(),
                    "status": serializers.CharField(),
                    "status_label": serializers.CharField(),
                    "received_at": serializers.DateTimeField(),
                    "timeline": serializers.ListField(child=serializers.DictField()),
                    "items": serializers.ListField(child=serializers.DictField()),
                    "counter_notices": serializers.ListField(child=serializers.DictField()),
                },
            ),
            401: ERRORS,
            404: ERRORS,
            # An Accept header that admits no JSON.
            406: ERRORS,
            429: ERRORS,
        },
    )
    def get(self, request, reference: str):
        notice = get_object_or_404(Notice, reference=reference, api_sender=request.user)
        events = notice.events.filter(action__in=notice.events.model.PUBLIC_LABELS)
        return Response(
            {
                "reference": notice.reference,
                "status": notice.status,
                "status_label": notice.get_status_display(),
                "received_at": notice.received_at,
                "timeline": [
                    {"at": event.at, "event": event.action, "label": event.public_label}
                    for event in events
                    if event.public_label
                ],
                "items": [
                    {
                        "location": item.location,
                        "action": item.action or None,
                        "action_label": ItemAction(item.action).label if item.action else None,
                        "actioned_at": item.actioned_at,
                        "restored_at": item.restored_at,
                    }
                    for item in notice.items.all()
                ],
                "counter_notices": [
                    {
                        "received_at": counter.received_at,
                        "state": counter.state,
                        "restore_not_before": counter.restore_not_before,
                        "restore_not_after": counter.restore_not_after,
                    }
                    for counter in notice.counter_notices.all()
                ],
            }
        )
