"""The rights holder's pages: the takedown form, receipt, status, correction, withdrawal,
and the transparency report. Thin: the forms check shapes, the services decide."""

import contextlib
import csv
from functools import cache

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from iija_compliance.lib.limits import count_filed, submission_refusal
from iija_compliance.lib.signing import signing_of
from iija_compliance.lib.views import private_page
from notices.core.cases import NoticeError, notice_withdraw, status_url
from notices.core.intake import notice_revise, notice_submit
from notices.models import Channel, Notice, NoticeEvent
from notices.models.workflow import RejectionReason, Status, allowed
from notices.records.policy_figures import policy_steps_by_month
from notices.records.transparency import COLUMNS, chart, report

from .forms import NoticeIntake, WithdrawForm

FORM_TEMPLATE = "notices/notice_form.html"
FIELDS_TEMPLATE = "notices/_notice_fields.html"


def notice_new(request):
    return _notice_form(request)


@private_page
def notice_revise_view(request, token: str):
    """A corrected notice, from the complainant's status link, after a deficiency letter."""
    original = get_object_or_404(Notice, status_token=token, status=Status.DEFICIENT)
    return _notice_form(request, original)


def _notice_form(request, original: Notice | None = None):
    context = {"original": original}
    if request.method != "POST":
        if original is None:  # the blank form: no errors, its fields as rendered before
            return render(request, FORM_TEMPLATE, {**context, "blank_fields": _blank_fields()})
        return render(
            request, FORM_TEMPLATE, {**context, "intake": NoticeIntake(start_from=original)}
        )

    for prefix in ("works", "items"):
        if f"add_{prefix}" in request.POST:
            # Without JavaScript, "add another" comes back here: show one more empty row.
            intake = _with_extra_row(request.POST, prefix)
            return render(request, FORM_TEMPLATE, {**context, "intake": intake})

    intake = NoticeIntake(request.POST)
    refusal = submission_refusal(
        request, "notice", settings.NOTICE_FORM_RATE, settings.NOTICE_FORM_ATTEMPT_RATE
    )
    if refusal:
        response = render(
            request,
            FORM_TEMPLATE,
            {**context, "intake": intake, "rate_limited": refusal},
            status=429,
        )
        response["Retry-After"] = "3600"
        return response
    if intake.is_valid():
        signing = signing_of(request)
        submission = intake.submission()
        try:
            if original:
                notice = notice_revise(original=original, submission=submission, signing=signing)
            else:
                notice = notice_submit(
                    submission=submission, channel=Channel.WEB, actor="public form", signing=signing
                )
        except NoticeError as error:
            intake.extra_errors.append(str(error))
        else:
            count_filed(request, "notice", settings.NOTICE_FORM_RATE)
            return redirect("notices:receipt", token=notice.status_token)
    return render(request, FORM_TEMPLATE, {**context, "intake": intake})


@cache
def _blank_fields() -> str:
    """The new notice form's fields as first shown: the same for every visitor, so rendered
    once per process (field by field through their templates, they were most of the cost
    of the page)."""
    return mark_safe(render_to_string(FIELDS_TEMPLATE, {"intake": NoticeIntake()}))  # noqa: S308


def _with_extra_row(post: QueryDict, prefix: str) -> NoticeIntake:
    data = post.copy()
    key = f"{prefix}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    intake = NoticeIntake(data)
    intake.form.is_valid()  # bind the fields so the page keeps what was typed
    intake.form.errors.clear()
    return intake


@private_page
def notice_receipt(request, token: str):
    notice = get_object_or_404(Notice, status_token=token)
    context = {
        "notice": notice,
        "status_url": status_url(notice),
        "work_count": notice.works.count(),
        "item_count": notice.items.count(),
    }
    return render(request, "notices/receipt.html", context)


@private_page
def notice_status(request, token: str):
    notice = get_object_or_404(Notice, status_token=token)
    events = notice.events.filter(action__in=NoticeEvent.PUBLIC_LABELS)
    timeline = [(event.at, event.public_label) for event in events if event.public_label]
    items = list(notice.items.all())
    context = {
        "notice": notice,
        "revision": notice.revisions.first(),
        "counter_notices": notice.counter_notices.all(),
        "can_withdraw": allowed("withdraw", notice.status),
        "timeline": timeline,
        "works": notice.works.all(),
        "items": items,
        "acted_on": notice.acted_on_count(items),
    }
    return render(request, "notices/status.html", context)


@private_page
def notice_withdraw_view(request, token: str):
    """The complainant withdraws the notice from their status link, after confirming."""
    notice = get_object_or_404(Notice, status_token=token)
    if not allowed("withdraw", notice.status):
        return redirect("notices:status", token=token)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # A second click may find the case already withdrawn: that is the outcome wanted.
        with contextlib.suppress(NoticeError):
            notice_withdraw(
                notice_id=notice.id, actor="complainant", note=form.cleaned_data["reason"]
            )
        return redirect("notices:status", token=token)
    return render(request, "notices/withdraw.html", {"notice": notice, "form": form})


def transparency(request):
    """The public report: monthly and yearly figures, no personal data."""
    figures = report()
    context = {
        "years": figures["years"],
        "months": list(reversed(figures["months"])),
        "network_years": [y for y in figures["years"] if _has_network(y)],
        "network_months": [m for m in reversed(figures["months"]) if _has_network(m)],
        "received_chart": chart(figures["months"], "notices"),
        "actioned_chart": chart(figures["months"], "items_actioned"),
        "channels": Channel.choices,
        "reasons": RejectionReason.choices,
        # The provider's public registration (§ 512(c)(2)); nobody's personal data.
        "designation_number": settings.AGENT_DESIGNATION_NUMBER,
        "policy_months": policy_steps_by_month(),
        "policy_steps": settings.REPEAT_POLICY,
    }
    return render(request, "pages/transparency.html", context)


def _has_network(row: dict) -> bool:
    return bool(row["network_received"] or row["network_forwarded"])


def transparency_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dmca-transparency.csv"'
    writer = csv.DictWriter(response, fieldnames=COLUMNS)
    writer.writeheader()
    for row in report()["months"]:
        writer.writerow({**row, "month": row["month"].strftime("%Y-%m")})
    return response
