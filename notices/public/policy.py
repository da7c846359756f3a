"""The customer's side of the repeat-infringer policy: acknowledging a warning on the
private link its letter gives. The page names the account and the step, nothing more."""

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
