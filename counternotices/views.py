from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from iija_compliance.lib.limits import count_filed, submission_refusal
from iija_compliance.lib.signing import signing_of
from iija_compliance.lib.views import private_page
from notices.core.cases import NoticeError
from notices.core.hosted import HostedRemovalError, event_facts, hosted_removal_answer
from notices.models import Channel, HostedRemoval, Notice, SubscriberNotification
from notices.models.workflow import Status

from . import hosted, statutory
from .forms import CounterNoticeForm, CourtActionForm, HostedCounterNoticeForm, NotMineForm
from .services import (
    CLOCK_RUNNING,
    counter_notice_submit,
    court_action_report,
    open_counter_notices,
)


@private_page
def counter_notice_new(request, token: str):
    """The subscriber's counter-notice form, behind the link in their notification letter."""
    notification = get_object_or_404(
        SubscriberNotification.objects.select_related("notice", "subscriber"), token=token
    )
    notice = notification.notice
    sent = notice.counter_notices.filter(notification=notification).first()
    context = {
        "notice": notice,
        "sent": sent,
        "consent_us": statutory.consent_statement("US"),
        "consent_abroad": statutory.consent_statement(""),
        "elements": statutory.ELEMENTS,
    }
    if sent:
        return render(request, "counternotices/sent.html", context)
    items = list(
        notice.items.filter(subscriber=notification.subscriber_id, restored_at=None)
        .exclude(action__in=["", "not_actioned"])
        .order_by("position")
    )
    # Open while the subscriber's material is down, even after the agent closed the case.
    open_for_counter = bool(items) and notice.status in (
        Status.SUBSCRIBER_NOTIFIED,
        Status.CLOSED,
        *CLOCK_RUNNING,
    )
    form = CounterNoticeForm(items, request.POST if request.method == "POST" else None)
    context |= {"form": form, "open_for_counter": open_for_counter}
    if request.method == "POST" and open_for_counter:
        refusal = submission_refusal(
            request,
            "counter-notice",
            settings.COUNTER_NOTICE_FORM_RATE,
            settings.COUNTER_NOTICE_FORM_ATTEMPT_RATE,
        )
        if refusal:
            response = render(
                request, "counternotices/new.html", context | {"rate_limited": refusal}, status=429
            )
            response["Retry-After"] = "3600"
            return response
        if form.is_valid() and not form.element_problems:
            try:
                counter_notice_submit(
                    notice_id=notice.id,
                    subscriber_id=notification.subscriber_id,
                    item_ids=form.item_ids(),
                    submission=form.submission(),
                    channel=Channel.WEB,
                    actor="subscriber",
                    signing=signing_of(request),
                    notification=notification,
                )
            except NoticeError as error:
                form.add_error(None, str(error))
            else:
                count_filed(request, "counter-notice", settings.COUNTER_NOTICE_FORM_RATE)
                return redirect("counter_notice_new", token=token)
    return render(request, "counternotices/new.html", context)


@private_page
def court_action_new(request, token: str):
    """The complaining party reports a filed court action, from their status link."""
    notice = get_object_or_404(Notice, status_token=token)
    form = CourtActionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        counters=open_counter_notices(notice),
    )
    can_report = notice.status in CLOCK_RUNNING
    if request.method == "POST" and can_report and form.is_valid():
        try:
            court_action_report(
                notice_id=notice.id,
                court=form.cleaned_data["court"],
                case_number=form.cleaned_data["case_number"],
                filed_on=form.cleaned_data["filed_on"],
                complaint=form.cleaned_data["complaint"],
                counter_notice_id=form.cleaned_data.get("counter_notice"),
                reported_by="complainant",
            )
        except NoticeError as error:
            form.add_error(None, str(error))
        else:
            return redirect("notices:status", token=token)
    context = {"notice": notice, "form": form, "can_report": can_report}
    return render(request, "counternotices/court_action.html", context)


# A closed request's link stops working this long after its answer or decision; a
# request still open, disputed or disabled keeps its link (a counter notice may follow).
HOSTED_LINK_DAYS_AFTER_END = 30


def _live_removal(token: str) -> HostedRemoval:
    """The request behind the link, or 404 (no data) for a wrong or expired link."""
    removal = get_object_or_404(
        HostedRemoval.objects.select_related("subscriber", "network_case"), token=token
    )
    ended_at = removal.decided_at or removal.answered_at
    still_open = removal.state in (*HostedRemoval.DISPUTABLE, HostedRemoval.State.DISPUTED)
    if not still_open and ended_at < timezone.now() - timedelta(days=HOSTED_LINK_DAYS_AFTER_END):
        raise Http404
    return removal


@private_page
def hosted_removal_page(request, token: str):
    """The hosting customer's answer to a removal request, behind the link in its letter:
    removed, not mine (with why), or disputed with a counter notice (§ 512(g)(3))."""
    removal = _live_removal(token)
    post = request.POST if request.method == "POST" else None
    answer = post.get("answer") if post else None
    material = hosted.material_choices(removal)
    counter_form = HostedCounterNoticeForm(material, post if answer == "disputed" else None)
    not_mine_form = NotMineForm(post if answer == "not_mine" else None)
    context = {
        "removal": removal,
        "events": [event_facts(e) for e in removal.events.select_related("api_sender")],
        "counter": getattr(removal, "counter_notice", None),
        "form": counter_form,
        "not_mine_form": not_mine_form,
        "open_answer": answer,
        "consent_us": statutory.consent_statement("US"),
        "consent_abroad": statutory.consent_statement(""),
        "answerable": removal.state in HostedRemoval.ANSWERABLE,
        "disputable": removal.state in HostedRemoval.DISPUTABLE,
    }
    if answer == "disputed" and context["disputable"]:
        refusal = submission_refusal(
            request,
            "counter-notice",
            settings.COUNTER_NOTICE_FORM_RATE,
            settings.COUNTER_NOTICE_FORM_ATTEMPT_RATE,
        )
        if refusal:
            context["rate_limited"] = refusal
            response = render(request, "counternotices/hosted_answer.html", context, status=429)
            response["Retry-After"] = "3600"
            return response
        if counter_form.is_valid() and not counter_form.element_problems:
            try:
                hosted.hosted_counter_notice_submit(
                    removal_id=removal.id,
                    event_ids=counter_form.item_ids(),
                    submission=counter_form.submission(),
                    signing=signing_of(request),
                )
            except (hosted.HostedCounterError, HostedRemovalError) as error:
                counter_form.add_error(None, str(error))
            else:
                count_filed(request, "counter-notice", settings.COUNTER_NOTICE_FORM_RATE)
                return redirect("hosted_removal_answer", token=token)
    elif answer in ("removed", "not_mine") and context["answerable"]:
        valid = answer == "removed" or not_mine_form.is_valid()
        if valid:
            reason = not_mine_form.cleaned_data["reason"] if answer == "not_mine" else ""
            try:
                hosted_removal_answer(removal_id=removal.id, answer=answer, reason=reason)
            except HostedRemovalError as error:
                not_mine_form.add_error(None, str(error))
            else:
                return redirect("hosted_removal_answer", token=token)
    return render(request, "counternotices/hosted_answer.html", context)
