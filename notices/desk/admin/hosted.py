"""Removal requests for hosted material on the desk: the overdue ones are the agent's to
decide (disable the address, or leave it enabled, with a reason). For a role without
personal data the address and the customer's and agent's words are left out."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from notices.core.hosted import REASON_MAX, HostedRemovalError, hosted_address_decide
from notices.models import HostedRemoval

from .common import DeskPermissions, ReadOnly, desk_page, sees_personal_data

PERSONAL = ["ip", "answer_reason", "decision_reason"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("disable", "Disable access to the address (runs the disable action)"),
            ("keep", "Leave the address enabled"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to disable the address."},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={
            "required": "Give the reason for the decision.",
            "max_length": "Keep the reason to 2,000 characters (it has %(show_value)d).",
        },
    )


@admin.register(HostedRemoval)
class HostedRemovalAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    list_display = [
        "requested_at",
        "ip",
        "subscriber",
        "state",
        "remove_by",
        "act_by",
        "network_case",
    ]
    list_filter = ["state", "remove_by"]
    list_select_related = ["subscriber", "network_case"]
    search_fields = ["subscriber__account_id", "subscriber__name", "ip"]
    fields = [
        "network_case",
        "subscriber",
        "ip",
        "state",
        "requested_at",
        "remove_by",
        "letter",
        "answered_at",
        "answer_reason",
        "overdue_at",
        "act_by",
        "decided_at",
        "decided_by",
        "decision_reason",
        "disabled_at",
    ]
    change_form_template = "admin/notices/hostedremoval/change_form.html"

    def get_list_display(self, request):
        if sees_personal_data(request):
            return self.list_display
        return [column for column in self.list_display if column not in PERSONAL]

    def get_fields(self, request, obj=None):
        hidden = [] if sees_personal_data(request) else [*PERSONAL, "letter"]
        return [field for field in self.fields if field not in hidden]

    def get_search_fields(self, request):
        if sees_personal_data(request):
            return self.search_fields
        return [field for field in self.search_fields if field not in PERSONAL]

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("notices.decide_hostedremoval")

    def get_urls(self):
        view = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:removal_id>/decide/", view, name="notices_hostedremoval_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_decide": self.has_decide_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, removal_id: int):
        """The agent decides an overdue request: the disable action runs, or not, and
        the decision is recorded with who, when and why."""
        if not self.has_decide_permission(request):
            raise PermissionDenied
        removal = get_object_or_404(
            HostedRemoval.objects.select_related("subscriber"), id=removal_id
        )
        form = DecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                hosted_address_decide(
                    removal_id=removal.id,
                    disable=form.cleaned_data["decision"] == "disable",
                    actor=request.user.get_username(),
                    reason=form.cleaned_data["reason"],
                )
            except HostedRemovalError as error:
                form.add_error(None, str(error))
            else:
                removal.refresh_from_db()
                messages.success(request, f"{removal}: {removal.get_state_display().lower()}.")
                return HttpResponseRedirect(
                    reverse("admin:notices_hostedremoval_change", args=[removal.id])
                )
        return desk_page(
            self,
            request,
            "admin/notices/hostedremoval/decide.html",
            form=form,
            removal=removal,
            events=removal.events.order_by("occurred_at"),
            title=f"Disable address {removal.ip}?",
        )
