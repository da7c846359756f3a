from django.conf import settings
from django.template.response import TemplateResponse


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies with a readable 413 page before Django reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            response = TemplateResponse(
                request,
                "errors/413.html",
                {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
            return response.render()
        return self.get_response(request)
