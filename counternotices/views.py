from django.shortcuts import get_object_or_404, render

from notices.models import SubscriberNotification
from notices.views import private_page


@private_page
def counter_notice_new(request, token: str):
    """The subscriber's page behind the link in their notification letter."""
    notification = get_object_or_404(
        SubscriberNotification.objects.select_related("notice"), token=token
    )
    items = notification.notice.items.filter(subscriber=notification.subscriber_id).exclude(
        action=""
    )
    context = {"notice": notification.notice, "items": items}
    return render(request, "counternotices/new.html", context)
