"""Subscribers, their network resources and the § 512(i) decisions on their accounts."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from notices.core import cases
from notices.core.policy import ledger_notices, waiting_for_agent
from notices.core.subscribers import (
    disputed_notices,
    is_repeat_infringer,
    ledger,
    resources_rematch,
    subscriber_reinstate,
    subscriber_terminate,
    with_decision,
    with_strikes,
)
from notices.desk.forms import NetworkResourceForm
from notices.models import Document, NetworkResource, PersonalDataView, Subscriber, SubscriberEvent
from notices.records.ledger import ledger_generate
from notices.records.redaction import redact_text

from .common import AppendOnlyAdmin, DeskPermissions, Readable, desk_page, sees_personal_data


class NetworkResourceInline(admin.TabularInline):
    model = NetworkResource
    form = NetworkResourceForm
    fields = ["kind", "value"]
    extra = 1


@admin.register(Subscriber)
class SubscriberAdmin(DeskPermissions, admin.ModelAdmin):
    list_display = ["name", "account_id", "notice_email", "strike_count", "account_state"]
    search_fields = ["name", "account_id", "notice_email", "resources__value"]
    inlines = [NetworkResourceInline]
    CONTACT = ["notice_email", "street", "city", "region", "postal_code", "country"]

    # The termination is shown, with its history, under the ledger; it changes only
    # through the actions.
    def get_fields(self, request, obj=None):
        if sees_personal_data(request):
            return ["account_id", "name", *self.CONTACT]
        return ["account_id", "name"]

    def get_list_display(self, request):
        if sees_personal_data(request):
            return self.list_display
        return [column for column in self.list_display if column != "notice_email"]

    def get_search_fields(self, request):
        if sees_personal_data(request):
            return self.search_fields
        return [field for field in self.search_fields if field not in self.CONTACT]

    actions = ["terminate_action", "reinstate_action"]
    change_form_template = "admin/notices/subscriber/change_form.html"

    def get_queryset(self, request):
        return with_decision(with_strikes(super().get_queryset(request)))

    def has_terminate_permission(self, request) -> bool:
        return request.user.has_perm("notices.terminate_subscriber")

    @admin.display(description="Notices actioned (§ 512(i))", ordering="strikes")
    def strike_count(self, subscriber):
        if is_repeat_infringer(subscriber.strikes):
            return format_html(
                '<strong class="desk-flag">{} · repeat infringer</strong>', subscriber.strikes
            )
        return subscriber.strikes

    @admin.display(description="Account", ordering="decided_at")
    def account_state(self, subscriber):
        if not subscriber.decision:
            return "Active"
        label = SubscriberEvent.Action(subscriber.decision).label
        return f"{label} {date_format(timezone.localtime(subscriber.decided_at), 'M j, Y')}"

    def save_related(self, request, form, formsets, change):
        """Networks and domains changed: the open cases they cover are matched again."""
        before = set(form.instance.resources.values_list("kind", "value"))
        super().save_related(request, form, formsets, change)
        after = set(form.instance.resources.values_list("kind", "value"))
        if before != after:
            changed = resources_rematch(resources=before ^ after, actor=request.user.get_username())
            self.message_user(
                request,
                f"Networks and domains changed: {changed} item(s) in open cases matched anew.",
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        subscriber = get_object_or_404(with_decision(Subscriber.objects.all()), id=object_id)
        extra_context = {
            **(extra_context or {}),
            "ledger": ledger(subscriber),
            "disputed": disputed_notices(subscriber),
            "state": self.account_state(subscriber),
            "decisions": subscriber.events.all(),
            "readable": Readable(request, known=subscriber.personal_values()),
            "policy_notices": ledger_notices(subscriber, timezone.now()),
            "window_days": settings.REPEAT_WINDOW_DAYS,
            "policy_steps": subscriber.policy_steps.select_related("letter"),
            "waiting": waiting_for_agent().filter(subscriber=subscriber),
            "mitigations": subscriber.mitigations.all(),
            "may_export": request.user.has_perm("notices.export_records"),
            "ledger_versions": Document.Version.choices,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        ledger_pdf = path(
            "<int:subscriber_id>/ledger/<str:version>/",
            self.admin_site.admin_view(self.ledger_view),
            name="notices_subscriber_ledger",
        )
        return [ledger_pdf, *super().get_urls()]

    def ledger_view(self, request, subscriber_id, version):
        """The ledger as PDF for counsel (POST: it is stored and logged, like the case
        records), for the roles that export records."""
        if not request.user.has_perm("notices.export_records"):
            raise PermissionDenied
        if request.method != "POST" or version not in Document.Version.values:
            raise Http404
        subscriber = get_object_or_404(Subscriber, id=subscriber_id)
        # The PDF is kept only with the record of who exported it.
        with transaction.atomic():
            document = ledger_generate(
                subscriber=subscriber, version=version, actor=request.user.get_username()
            )
            PersonalDataView.objects.create(
                subscriber=subscriber,
                user=request.user,
                at=document.created_at,
                what=f"Repeat-infringer ledger PDF, {version}",
            )
        return FileResponse(
            document.file.open("rb"),
            filename=document.file.name.rsplit("/", 1)[-1],
            content_type="application/pdf",
        )

    @admin.action(
        description="Record termination of the selected accounts (§ 512(i))",
        permissions=["terminate"],
    )
    def terminate_action(self, request, queryset):
        return self._decide(request, queryset, "terminate")

    @admin.action(
        description="Reinstate the selected terminated accounts", permissions=["terminate"]
    )
    def reinstate_action(self, request, queryset):
        return self._decide(request, queryset, "reinstate")

    DECISIONS = {
        "terminate": ("Record termination", "termination recorded", subscriber_terminate),
        "reinstate": ("Reinstate", "reinstated", subscriber_reinstate),
    }

    def _decide(self, request, queryset, decision):
        """Ask for the reason first; then record the decision for each account."""
        title, done, service = self.DECISIONS[decision]
        if "apply" not in request.POST:
            return desk_page(
                self,
                request,
                "admin/notices/subscriber/decision.html",
                subscribers=with_strikes(queryset),
                title=f"{title} (§ 512(i))",
                action=f"{decision}_action",
                submit=title,
            )
        for subscriber in queryset:
            try:
                service(
                    subscriber_id=subscriber.id,
                    reason=request.POST.get("reason", ""),
                    actor=request.user.get_username(),
                )
            except cases.NoticeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"{subscriber}: {done}.")
        return None


@admin.register(SubscriberEvent)
class SubscriberEventAdmin(AppendOnlyAdmin):
    """Terminations and reinstatements of accounts under § 512(i)."""

    list_display = ["at", "subscriber", "actor", "action"]
    list_filter = ["action"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__account_id", "actor"]
    readonly_fields = ["readable_reason"]

    def get_fields(self, request, obj=None):
        fields = ["subscriber", "at", "actor", "action"]
        return fields + ["reason" if sees_personal_data(request) else "readable_reason"]

    @admin.display(description="reason")
    def readable_reason(self, event):
        return redact_text(event.reason, known=event.subscriber.personal_values())
