import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


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

    Every write runs in one transaction, so nothing was half saved: the sender is told
    plainly to try again instead of getting a bare server error.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable for %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            message = "The service is briefly unavailable; nothing was saved. Try again shortly."
            response = JsonResponse({"errors": {"service": [message]}}, status=503)
        else:
            response = TemplateResponse(request, "errors/503.html", status=503).render()
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
