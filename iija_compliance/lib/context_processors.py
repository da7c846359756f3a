from django.conf import settings


def designated_agent(request):
    return {"agent": settings.DESIGNATED_AGENT}
