"""The repeat-infringer policy in public: published on /copyright/ from the settings the
desk applies, and a warning acknowledged on the private link its letter gives (that page
names the account and the step, nothing more)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from iija_compliance.lib.views import private_page
from notices.core.policy import policy_step_acknowledge
from notices.models import PolicyStep


@private_page
def policy_acknowledge(request, token: str):
    step = get_object_or_404(PolicyStep.objects.select_related("subscriber"), ack_token=token)
    if request.method == "POST":
        step = policy_step_acknowledge(token=token)
    context = {"step": step, "window_days": settings.REPEAT_WINDOW_DAYS}
    return render(request, "pages/policy_acknowledge.html", context)


def copyright_page(request):
    """The provider's published copyright policy, its repeat-infringer steps read from
    the same settings as the policy sweep."""
    context = {
        "policy_steps": settings.REPEAT_POLICY,
        "window_days": settings.REPEAT_WINDOW_DAYS,
        "notice_hours": settings.SUSPENSION_NOTICE_HOURS,
        "retrieval_days": settings.DATA_RETRIEVAL_DAYS,
    }
    return render(request, "pages/copyright.html", context)
