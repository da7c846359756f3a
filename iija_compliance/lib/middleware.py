from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse


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
