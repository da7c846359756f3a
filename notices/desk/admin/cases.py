"""The desk's case pages: the case list, the case page and its transitions, the
audit trail. Every change to a case goes through a service."""

import json
from email.utils import parseaddr

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property

from notices.core import cases, correction, intake, statutory
from notices.core.search import search_cases
from notices.core.subscribers import is_repeat_infringer, notices_rematch, with_strikes
from notices.desk.forms import (
    TRANSITION_FORMS,
    AcknowledgementAddressForm,
    BulkDeficiencyForm,
    BulkRejectForm,
    CorrectionForm,
    DisableMaterialForm,
    ItemSubscriberForm,
    LogNoticeForm,
)
from notices.mailbox.intake import address_unsplit, reading_fields
from notices.models import (
    Attachment,
    Document,
    InboundMessage,
    InfringingItem,
    Letter,
    Notice,
    NoticeEvent,
    PersonalDataView,
    Subscriber,
)
from notices.models.workflow import TRANSITIONS, Status, allowed, refusal
from notices.outbox.letters import letter_resend
from notices.records.redaction import redact_text

from .case_list import QUEUE, QUEUE_ORDERING, CaseColumns, QueueFilter
from .common import (
    AppendOnlyAdmin,
    DeskPermissions,
    LabelledFilter,
    Readable,
    desk_page,
    sees_personal_data,
)
from .records import CaseRecords

# Moves made by the system or on their own pages, not by a button on the case page.
BULK_SHOWN = 100  # the selected cases a list action's page names; the rest are counted

NOT_BUTTONS = {
    "notify_subscribers",
    "counter_notice",
    "restoration_due",
    "restore",
    "await_window",
    "partly_restored",
    "court_action",
}


# Moves that send nothing and change no material, made on one click; every other one asks
# first (its page says what will happen, and what it sends).
ONE_CLICK = {"start_review"}


class EstimatedCountPaginator(Paginator):
    """Counting a million rows on every page load is slow; PostgreSQL's estimate is not."""

    EXACT_UP_TO = 10_000  # below this the count is cheap and the estimate may be off

    @cached_property
    def count(self):
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where:
            # One query at any size: the exact count runs only when the CASE needs it.
            table = Notice._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "
                    f"ELSE (SELECT count(*) FROM {connection.ops.quote_name(table)}) END "
                    "FROM pg_class WHERE oid = %s::regclass",
                    [self.EXACT_UP_TO, table],
                )
                return cursor.fetchone()[0]
        return super().count


class CaseList(ChangeList):
    """Django's change list, with a date drill-down to the end of the calendar (the year
    9999) answered as a wrong filter instead of a server error, and the queue's order."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def _get_default_ordering(self):
        if self.params.get(QUEUE):
            return QUEUE_ORDERING  # the nearest date first, and the header says so
        return super()._get_default_ordering()


@admin.register(Notice)
class NoticeAdmin(CaseColumns, CaseRecords, DeskPermissions, admin.ModelAdmin):
    list_display = [
        "reference",
        "status_badge",
        "age",
        "next_date",
        "subscriber",
        "item_count",
        "received",
        "organization",
    ]
    list_filter = [
        QueueFilter,
        "status",
        "channel",
        ("received_at", admin.DateFieldListFilter),
        ("items__subscriber", admin.RelatedFieldListFilter),
    ]
    search_fields = ["reference"]  # see get_search_results
    search_help_text = (
        "A reference or part of one (DMCA-2026-000042, 2026-000042), a complainant's name "
        "or surname, an organization, the complainant's e-mail, a subscriber's account id, "
        "or an infringing location (URL, IP address, host or domain: example.com finds "
        "files.example.com too)."
    )
    date_hierarchy = "received_at"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    actions = [
        "start_review_action",
        "mark_deficient_action",
        "reject_action",
        "accept_action",
        "close_action",
        "rematch_action",
        "export_internal_action",
        "export_shareable_action",
    ]
    change_form_template = "admin/notices/notice/change_form.html"

    def get_changelist(self, request, **kwargs):
        return CaseList

    fieldsets = [
        (
            "Case",
            {
                "fields": [
                    "reference",
                    "status",
                    "channel",
                    "received_at",
                    "revises",
                    "rejection_reason",
                    "complainant_organization",
                ]
            },
        ),
        (
            "Complainant (personal data)",
            {
                "fields": [
                    "complainant_name",
                    "acting_as",
                    "street",
                    "city",
                    "region",
                    "postal_code",
                    "country",
                    "phone",
                    "email",
                ]
            },
        ),
        (
            "Signature and statements",
            {
                "fields": [
                    "signature_name",
                    "signed_at",
                    "signature_ip",
                    "signature_user_agent",
                    "good_faith_statement",
                    "accuracy_statement",
                ]
            },
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        personal = sees_personal_data(request)
        return search_cases(queryset, search_term, personal=personal), False

    # Read-only everywhere: a case changes only through the transition buttons.
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Notice._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        if request.user.has_perm("notices.view_personal_data"):
            return self.fieldsets
        return [self.fieldsets[0]]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:notices_notice_log"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("log/", view(self.log_view), name="notices_notice_log"),
            path(
                "<int:notice_id>/transition/<str:name>/",
                view(self.transition_view),
                name="notices_notice_transition",
            ),
            path(
                "<int:notice_id>/subscribers/",
                view(self.subscribers_view),
                name="notices_notice_subscribers",
            ),
            path(
                "<int:notice_id>/rematch/",
                view(self.rematch_view),
                name="notices_notice_rematch",
            ),
            path(
                "<int:notice_id>/correct/",
                view(self.correct_view),
                name="notices_notice_correct",
            ),
            path(
                "<int:notice_id>/acknowledge/",
                view(self.acknowledge_view),
                name="notices_notice_acknowledge",
            ),
            path(
                "<int:notice_id>/attachment/<int:attachment_id>/",
                view(self.attachment_view),
                name="notices_notice_attachment",
            ),
            path(
                "<int:notice_id>/letter/<int:letter_id>/resend/",
                view(self.resend_view),
                name="notices_notice_resend",
            ),
            *self.record_urls(),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = get_object_or_404(Notice, id=object_id)
        if request.user.has_perm("notices.view_personal_data"):
            PersonalDataView.record(user=request.user, notice_ids=[notice.id], what="Case page")
        extra_context = {
            **(extra_context or {}),
            **self._case_context(request, notice),
            **self.neighbours(request, notice),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _case_context(self, request, notice):
        items = list(notice.items.select_related("subscriber"))
        named = {item.subscriber_id for item in items if item.subscriber_id}
        strikes = {s.id: s.strikes for s in with_strikes(Subscriber.objects.filter(id__in=named))}
        duplicates = _duplicates(notice, items)
        can_triage = request.user.has_perm("notices.triage_notice")
        subscribers = {item.subscriber for item in items if item.subscriber}
        readable = Readable(
            request,
            known=notice.personal_values().union(
                *({s.street, s.notice_email} - {""} for s in subscribers)
            ),
            keep={notice.reference, *(item.location for item in items)},
        )
        inbound = notice.inbound_messages.first()
        submission = statutory.submission_of(notice)
        return {
            "readable": readable,
            "reading": _reading(inbound, readable) if inbound else None,
            "checks": statutory.check_notice(submission),
            "substantial_gaps": statutory.substantial_gaps(submission),
            "transitions": [
                (name, row.label, name in ONE_CLICK)
                for name, row in TRANSITIONS.items()
                if can_triage and allowed(name, notice.status) and name not in NOT_BUTTONS
            ],
            "items": [
                (item, duplicates.get(item.id, []), strikes.get(item.subscriber_id, 0))
                for item in items
            ],
            "repeat_threshold_hit": any(is_repeat_infringer(n) for n in strikes.values()),
            "works": notice.works.all(),
            "letters": notice.letters.prefetch_related("attachments"),
            "events": notice.events.all(),
            "attachments": notice.attachments.all(),
            "resubmission_of": _resubmission_of(notice),
            "can_triage": can_triage,
            "can_correct": can_triage and not correction.correction_refusal(notice),
            "address_unsplit": bool(
                inbound and not notice.city and address_unsplit(inbound.reading)
            ),
            "can_export": request.user.has_perm("notices.export_records"),
            "record_kinds": [("notice", "Notice record"), ("case_file", "Case file")],
            "record_versions": Document.Version.values,
            "can_record_court_action": request.user.has_perm("notices.record_court_action")
            and notice.status in (Status.COUNTER_NOTICED, Status.RESTORATION_SCHEDULED),
            "counter_notices": notice.counter_notices.select_related("subscriber"),
            "court_actions": notice.court_actions.all(),
            "inbound": inbound,
            "show_personal": sees_personal_data(request),
            "waits_for_review": notice.waits_for_review(timezone.now()),
            "review_alert_days": settings.REVIEW_ALERT_DAYS,
        }

    def transition_view(self, request, notice_id, name):
        notice = get_object_or_404(Notice, id=notice_id)
        if name not in TRANSITIONS or name in NOT_BUTTONS:
            raise Http404
        if not request.user.has_perm("notices.triage_notice"):
            raise PermissionDenied
        if not allowed(name, notice.status):
            messages.error(request, refusal(name, notice.status))
            return self._back(notice)
        data = request.POST if request.method == "POST" else None
        if name == "disable_material":
            form = DisableMaterialForm(notice, data)
        else:
            form = TRANSITION_FORMS.get(name, forms.Form)(data)
        if request.method == "POST" and form.is_valid():
            try:
                self._apply(request, notice, name, form)
            except cases.NoticeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{notice.reference}: {TRANSITIONS[name].label} done.")
            return self._back(notice)
        return desk_page(
            self,
            request,
            "admin/notices/notice/transition.html",
            notice=notice,
            transition=TRANSITIONS[name],
            form=form,
            missing=statutory.deficiencies(statutory.submission_of(notice)),
            title=f"{TRANSITIONS[name].label}: {notice.reference}",
        )

    def _apply(self, request, notice, name, form):
        actor = request.user.get_username()
        data = form.cleaned_data
        if name == "reject":
            cases.notice_reject(
                notice_id=notice.id, reason=data["reason"], note=data["note"], actor=actor
            )
        elif name == "disable_material":
            cases.notice_disable_material(notice_id=notice.id, actions=form.actions(), actor=actor)
        else:
            service = getattr(cases, f"notice_{name}")
            kwargs = {"note": data["note"]} if "note" in data else {}
            service(notice_id=notice.id, actor=actor, **kwargs)

    def subscribers_view(self, request, notice_id):
        notice = get_object_or_404(Notice, id=notice_id)
        if not request.user.has_perm("notices.triage_notice"):
            raise PermissionDenied
        form = ItemSubscriberForm(notice, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            for item_id, subscriber_id in form.changes():
                try:
                    cases.item_assign_subscriber(
                        item_id=item_id,
                        subscriber_id=subscriber_id,
                        actor=request.user.get_username(),
                    )
                except cases.NoticeError as error:
                    messages.error(request, str(error))
            messages.success(request, f"{notice.reference}: subscribers saved.")
            return self._back(notice)
        return desk_page(
            self,
            request,
            "admin/notices/notice/subscribers.html",
            notice=notice,
            form=form,
            title=f"Match subscribers: {notice.reference}",
        )

    def rematch_view(self, request, notice_id):
        """Match the case's items to subscribers again, as the network is now."""
        notice = get_object_or_404(Notice, id=notice_id)
        if not request.user.has_perm("notices.triage_notice"):
            raise PermissionDenied
        if request.method != "POST":
            raise Http404
        changed = notices_rematch(notice_ids=[notice.id], actor=request.user.get_username())
        messages.success(request, f"{notice.reference}: {_rematched(changed)}")
        return self._back(notice)

    def correct_view(self, request, notice_id):
        """Correct a case that came by e-mail, post or fax, before it is accepted."""
        notice = get_object_or_404(Notice, id=notice_id)
        if not request.user.has_perm("notices.triage_notice"):
            raise PermissionDenied
        if refused := correction.correction_refusal(notice):
            messages.error(request, refused)
            return self._back(notice)
        initial, prefilled = _correction_initial(notice)
        data = request.POST if request.method == "POST" else None
        form = CorrectionForm(data, initial=initial, prefilled=prefilled)
        if request.method == "POST" and form.is_valid():
            try:
                changed = correction.notice_correct(
                    notice_id=notice.id,
                    submission=form.submission(),
                    actor=request.user.get_username(),
                )
            except cases.NoticeError as error:
                messages.error(request, str(error))
            else:
                notice.refresh_from_db()
                messages.success(request, _corrected_message(notice, changed))
            return self._back(notice)
        PersonalDataView.record(user=request.user, notice_ids=[notice.id], what="Correction")
        return desk_page(
            self,
            request,
            "admin/notices/notice/correct.html",
            notice=notice,
            form=form,
            missing=statutory.deficiencies(statutory.submission_of(notice)),
            attachments=notice.attachments.all(),
            title=f"Correct the case: {notice.reference}",
        )

    def acknowledge_view(self, request, notice_id):
        """Confirm the address a case is acknowledged at, and acknowledge it there."""
        notice = get_object_or_404(Notice, id=notice_id)
        if not request.user.has_perm("notices.triage_notice"):
            raise PermissionDenied
        inbound = notice.inbound_messages.first()
        offered = inbound.reading.get("contact", {}).get("email", "") if inbound else ""
        data = request.POST if request.method == "POST" else None
        form = AcknowledgementAddressForm(data, initial={"email": offered or notice.email})
        if request.method == "POST" and form.is_valid():
            intake.notice_acknowledge_to(
                notice_id=notice.id,
                email=form.cleaned_data["email"],
                actor=request.user.get_username(),
            )
            messages.success(request, f"{notice.reference}: the acknowledgement will be sent.")
            return self._back(notice)
        return desk_page(
            self,
            request,
            "admin/notices/notice/acknowledge.html",
            notice=notice,
            form=form,
            title=f"Confirm the address to acknowledge: {notice.reference}",
        )

    def attachment_view(self, request, notice_id, attachment_id):
        if not request.user.has_perm("notices.view_personal_data"):
            raise PermissionDenied
        attachment = get_object_or_404(Attachment, id=attachment_id, notice_id=notice_id)
        PersonalDataView.record(
            user=request.user, notice_ids=[notice_id], what=f"original document {attachment.id}"
        )
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name
        )

    def resend_view(self, request, notice_id, letter_id):
        notice = get_object_or_404(Notice, id=notice_id)
        if not request.user.has_perm("notices.triage_notice"):
            raise PermissionDenied
        if request.method != "POST":
            raise Http404
        letter = get_object_or_404(Letter, id=letter_id, notice=notice)
        letter_resend(letter_id=letter.id, actor=request.user.get_username())
        messages.success(
            request, f"The {letter.kind} letter to {letter.to_email} will be sent again."
        )
        return self._back(notice)

    def log_view(self, request):
        if not request.user.has_perm("notices.add_notice"):
            raise PermissionDenied
        form = LogNoticeForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            notice = intake.notice_submit(
                submission=form.submission(),
                channel=form.cleaned_data["channel"],
                actor=request.user.get_username(),
                received_at=form.cleaned_data["received_at"],
                original=form.cleaned_data["original"],
            )
            messages.success(request, f"Logged as {notice.reference}.")
            return self._back(notice)
        return desk_page(
            self,
            request,
            "admin/notices/notice/log.html",
            form=form,
            title="Log a notice received by e-mail, post or fax",
            intro=(
                "Copy what the original says. Leave empty what it lacks: the case's checklist "
                "will show the missing elements, and you can then send a deficiency letter or "
                "reject it."
            ),
            submit_label="Log the notice",
        )

    def _back(self, notice):
        return HttpResponseRedirect(reverse("admin:notices_notice_change", args=[notice.id]))

    def _bulk(self, request, queryset, name, **asked):
        service = getattr(cases, f"notice_{name}")
        done = 0
        for notice in queryset.only("id").order_by("received_at"):
            try:
                service(notice_id=notice.id, actor=request.user.get_username(), **asked)
                done += 1
            except cases.NoticeError as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, f"{TRANSITIONS[name].label}: {done} case(s).")

    @admin.action(description="Start review of the selected cases", permissions=["triage"])
    def start_review_action(self, request, queryset):
        self._bulk(request, queryset, "start_review")

    def _bulk_with_form(self, request, queryset, name, form_class):
        """A list action that asks one thing for every selected case (a reason), on a
        page that is also its confirmation; carried out when that page is sent."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._bulk(request, queryset, name, **form.cleaned_data)
            return None
        return desk_page(
            self,
            request,
            "admin/notices/notice/bulk_transition.html",
            form=form,
            cases=queryset.order_by("received_at")[:BULK_SHOWN],
            count=queryset.count(),
            action=f"{name}_action",
            transition=TRANSITIONS[name],
            selected=request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            select_across=request.POST.get("select_across", "0"),
            title=f"{TRANSITIONS[name].label}: the selected cases",
        )

    @admin.action(
        description="Send deficiency letters to the selected cases, with one reason",
        permissions=["triage"],
    )
    def mark_deficient_action(self, request, queryset):
        return self._bulk_with_form(request, queryset, "mark_deficient", BulkDeficiencyForm)

    @admin.action(description="Reject the selected cases, with one reason", permissions=["triage"])
    def reject_action(self, request, queryset):
        return self._bulk_with_form(request, queryset, "reject", BulkRejectForm)

    @admin.action(description="Accept the selected cases", permissions=["triage"])
    def accept_action(self, request, queryset):
        self._bulk(request, queryset, "accept")

    @admin.action(
        description="Match the selected cases' items to subscribers again", permissions=["triage"]
    )
    def rematch_action(self, request, queryset):
        ids = list(queryset.values_list("id", flat=True))
        changed = notices_rematch(notice_ids=ids, actor=request.user.get_username())
        self.message_user(request, f"{len(ids)} case(s): {_rematched(changed)}")

    @admin.action(description="Close the selected cases", permissions=["triage"])
    def close_action(self, request, queryset):
        self._bulk(request, queryset, "close")


def _rematched(changed: int) -> str:
    if not changed:
        return "no item's subscriber changed (matches set by hand are kept)."
    return f"{changed} item(s) matched anew; each change is in the case's history."


def _correction_initial(notice) -> tuple[dict, dict[str, str]]:
    """The correction form as the case stands, except where the e-mail reader found
    something else: there the reader's finding, and the stored value to show beside it. A
    field the agent corrected before keeps the agent's value."""
    initial = CorrectionForm.initial_of(notice)
    inbound = notice.inbound_messages.first()
    if inbound is None:
        return initial, {}
    corrected = set(
        notice.events.filter(action=correction.CORRECTED).values_list("data__field", flat=True)
    )
    found = reading_fields(inbound.reading, from_name=parseaddr(inbound.sender)[0])
    prefilled = {}
    for name, value in found.items():
        if name in initial and name not in corrected and value != initial[name]:
            prefilled[name], initial[name] = initial[name], value
    return initial, prefilled


def _corrected_message(notice, changed: list[str]) -> str:
    if not changed:
        return f"{notice.reference}: nothing was changed."
    labels = [correction.FIELDS.get(name, name) for name in changed if name != "signed_at"]
    missing = statutory.deficiencies(statutory.submission_of(notice))
    state = (
        "every element of the checklist is now present"
        if not missing
        else "still missing: " + ", ".join(c.element.citation for c in missing)
    )
    return f"{notice.reference}: corrected ({', '.join(labels).lower()}); {state}."


def _duplicates(notice, items) -> dict[int, list[Notice]]:
    """Other open or actioned cases that name the same location, per item."""
    hashes = {item.location_hash for item in items if item.location_hash}
    others = (
        InfringingItem.objects.filter(location_hash__in=hashes)
        .exclude(notice=notice)
        .exclude(notice__status__in=[Status.REJECTED, Status.WITHDRAWN, Status.CLOSED])
        .select_related("notice")
    )
    by_hash: dict[str, list[Notice]] = {}
    for other in others:
        by_hash.setdefault(other.location_hash, []).append(other.notice)
    return {item.id: by_hash.get(item.location_hash, []) for item in items}


def _resubmission_of(notice) -> Notice | None:
    """An earlier case from the same sender naming exactly the same locations."""
    hashes = set(notice.items.values_list("location_hash", flat=True))
    if not hashes or not notice.email:
        return None
    candidates = (
        Notice.objects.filter(email__iexact=notice.email, received_at__lt=notice.received_at)
        .exclude(id=notice.id)
        .order_by("-received_at")[:20]
    )
    for candidate in candidates:
        if set(candidate.items.values_list("location_hash", flat=True)) == hashes:
            return candidate
    return None


# Evidence that is the person's own details: hidden, not redacted, for roles without
# personal data (the reader's text is not the stored fields, so redaction could miss some).
PERSONAL_ELEMENTS = {"contact_information", "signature"}


def _reading(inbound: InboundMessage, readable: Readable) -> dict:
    """What the e-mail reader found, as this user may read it."""
    elements = []
    for element_id, finding in inbound.reading.get("elements", {}).items():
        evidence = finding.get("evidence", "")
        if not readable.as_written and element_id in PERSONAL_ELEMENTS and evidence:
            evidence = "Present (personal data hidden for your role)"
        else:
            evidence = readable(evidence)
        elements.append((element_id, finding.get("present"), evidence))
    return {"subject": readable(inbound.subject), "elements": elements}


class EventActionFilter(LabelledFilter):
    title = "what"
    parameter_name = "action"
    labels = NoticeEvent.DESK_LABELS


@admin.register(NoticeEvent)
class NoticeEventAdmin(AppendOnlyAdmin):
    """The audit trail of the cases."""

    list_display = ["at", "notice", "actor", "what", "status_change"]
    list_filter = [EventActionFilter]
    list_select_related = ["notice"]
    search_fields = ["notice__reference", "actor"]
    readonly_fields = ["readable_note", "readable_data"]

    def get_fields(self, request, obj=None):
        fields = ["notice", "at", "actor", "action", "from_status", "to_status", "note", "data"]
        if sees_personal_data(request):
            return fields
        return fields[:-2] + self.readonly_fields

    @admin.display(description="What", ordering="action")
    def what(self, event):
        return event.label

    @admin.display(description="Status")
    def status_change(self, event):
        if event.from_status:
            return f"{event.from_status_label} → {event.to_status_label}"
        return event.to_status_label

    @admin.display(description="note")
    def readable_note(self, event):
        return self._redact(event, event.note)

    @admin.display(description="data")
    def readable_data(self, event):
        return self._redact(event, json.dumps(event.data, ensure_ascii=False))

    def _redact(self, event, text):
        notice = event.notice
        return redact_text(text, frozenset([notice.reference]), notice.personal_values())
