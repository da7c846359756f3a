import logging

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.template.response import TemplateResponse

from .client_address import from_trusted_proxy, trusted_proxies

logger = logging.getLogger(__name__)


class TrustedProxyMiddleware:
    """X-Forwarded-Proto is believed from our own proxies only (TRUSTED_PROXIES). Django's
    SECURE_PROXY_SSL_HEADER believes whoever sends it, so a client reaching the server past
    the proxy could pass plain HTTP off as HTTPS: from anyone else the header is dropped."""

    def __init__(self, get_response):
        self.get_response = get_response
        trusted_proxies()  # a mistyped TRUSTED_PROXIES stops the start, not each request

    def __call__(self, request):
        if not from_trusted_proxy(request):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies with a readable 413 page before Django reads them.

    Public forms carry text and get REQUEST_MAX_BYTES; pages that take an original
    document or a court complaint (the admin, the court-action form) get UPLOAD_MAX_BYTES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.path.startswith("/api/"):
            if length > settings.API_MAX_BYTES:
                limit_mb = settings.API_MAX_BYTES // (1024 * 1024)
                message = f"The request is larger than {limit_mb} MB; split it into batches."
                return JsonResponse({"errors": {"request": [message]}}, status=413)
            return self.get_response(request)
        uploads = request.path.startswith(("/admin/", "/counter-notices/court-action/"))
        limit = settings.UPLOAD_MAX_BYTES if uploads else settings.REQUEST_MAX_BYTES
        if length > limit:
            response = TemplateResponse(
                request, "errors/413.html", {"limit_mb": limit // (1024 * 1024)}, status=413
            )
            return response.render()
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when PostgreSQL cannot be reached (a restart, a failover).

    Only a lost or refused connection counts: other database errors (a deadlock, a bug)
    stay server errors with their traceback. Every notice is written in one transaction,
    so the sender is told plainly that what was not confirmed was not stored.
    """

    RETRY_AFTER_SECONDS = 30
    API_MESSAGE = (
        "The service is briefly unavailable; try again shortly. Each notice is stored whole "
        "or not at all: send an Idempotency-Key so that a retry cannot store one twice."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if not _connection_lost(exception):
            return None
        logger.warning(
            "Database unavailable for %s %s", request.method, request.path, exc_info=exception
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"errors": {"service": [self.API_MESSAGE]}}, status=503)
        else:
            response = TemplateResponse(request, "errors/503.html", status=503).render()
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


def _connection_lost(exception: OperationalError | InterfaceError) -> bool:
    """Whether the database went away, rather than refusing this statement.

    PostgreSQL says so itself: a connection error (SQLSTATE class 08) or an operator
    intervention ending the session (57P: shutdown, crash, not accepting connections yet);
    psycopg raises with no SQLSTATE when the connection failed or broke on our side. A
    probe is no test here: right after "terminating connection" the lost connection still
    answers one. Other engines (SQLite, embedded) are probed.
    """
    cause = exception.__cause__
    if isinstance(cause, psycopg.Error):
        return cause.sqlstate is None or cause.sqlstate.startswith(("08", "57P"))
    return not (connection.connection is not None and connection.is_usable())
