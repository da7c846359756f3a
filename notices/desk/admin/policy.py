"""The repeat-infringer policy on the desk: the steps taken (reviews waiting for the
agent first), the agent's decisions, and suspensions and terminations with their
lifecycle and appeals. Nobody edits these rows: each change goes through its service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from notices.core.cases import NoticeError
from notices.core.policy import (
    DECISIONS,
    mitigation_appeal,
    mitigation_lift,
    policy_step_decide,
)
from notices.desk.forms import MitigationAppealForm, MitigationLiftForm, PolicyDecisionForm
from notices.models import Mitigation, PolicyStep
from notices.models.policy import WAITING_FOR_AGENT
from notices.records.redaction import redact_text

from .common import DeskPermissions, ReadOnly, desk_page, sees_personal_data


class WaitingFilter(admin.SimpleListFilter):
    title = "waiting for the agent"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", "Reviews to decide")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(WAITING_FOR_AGENT)
        return queryset


@admin.register(PolicyStep)
class PolicyStepAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    list_display = ["taken_at", "subscriber", "step", "count", "review"]
    list_filter = [WaitingFilter, "step"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__account_id"]
    fields = ["subscriber", "step", "count", "threshold", "taken_at", "taken_by", "letter"]
    fields += ["acknowledged_at", "due_at", "decided_at", "decided_by", "decision"]
    readonly_fields = ["readable_reason"]
    change_form_template = "admin/notices/policystep/change_form.html"

    def get_fields(self, request, obj=None):
        if sees_personal_data(request):
            return [*self.fields, "decision_reason"]
        # A letter is shown by its addressee's e-mail.
        return [*(field for field in self.fields if field != "letter"), "readable_reason"]

    @admin.display(description="reason for the decision")
    def readable_reason(self, step):
        return redact_text(step.decision_reason, known=step.subscriber.personal_values())

    @admin.display(description="Agent's review", ordering="due_at")
    def review(self, step):
        if step.due_at is None:
            return "—"
        if step.decided_at:
            return f"{step.get_decision_display()} ({step.decided_at:%b %-d, %Y})"
        late = step.due_at < timezone.now()
        return format_html(
            '<strong class="{}">To decide by {}</strong>',
            "desk-flag" if late else "",
            timezone.localtime(step.due_at).strftime("%b %-d, %Y"),
        )

    def get_urls(self):
        decide = path(
            "<int:step_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="notices_policystep_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request, step_id):
        if not request.user.has_perm("notices.decide_policy_step"):
            raise PermissionDenied
        step = get_object_or_404(PolicyStep.objects.select_related("subscriber"), id=step_id)
        if step.step not in DECISIONS or step.decided_at:
            self.message_user(request, "This step has no decision waiting.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:notices_policystep_change", args=[step.id]))
        form = PolicyDecisionForm(
            request.POST if request.method == "POST" else None, decisions=DECISIONS[step.step]
        )
        if request.method == "POST" and form.is_valid():
            try:
                policy_step_decide(
                    step_id=step.id, actor=request.user.get_username(), **form.cleaned_data
                )
            except NoticeError as error:
                form.add_error(None, str(error))
            else:
                decision = PolicyStep.Decision(form.cleaned_data["decision"]).label
                self.message_user(request, f"{step.subscriber}: {decision}, recorded.")
                return HttpResponseRedirect(reverse("admin:notices_policystep_changelist"))
        return desk_page(
            self,
            request,
            "admin/notices/policystep/decide.html",
            form=form,
            step=step,
            title=f"Decide the {step.step.replace('_', ' ')} of {step.subscriber}",
        )


@admin.register(Mitigation)
class MitigationAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    list_display = ["decided_at", "subscriber", "kind", "scope", "state", "effective_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__account_id"]
    change_form_template = "admin/notices/mitigation/change_form.html"

    WORDS = ["target", "reason", "lift_reason", "appeal_text"]  # may hold personal data
    readonly_fields = ["readable_words"]

    def get_fields(self, request, obj=None):
        fields = ["subscriber", "kind", "scope", "hosting", "state", "decided_at", "decided_by"]
        fields += ["effective_at", "data_retrieval_until", "activated_at", "lifted_at"]
        fields += ["lifted_by", "appeal_reason", "appealed_at", "appeal_recorded_by"]
        return fields + (self.WORDS if sees_personal_data(request) else ["readable_words"])

    @admin.display(description="what was written (reasons, appeal)")
    def readable_words(self, mitigation):
        known = mitigation.subscriber.personal_values()
        parts = [
            ("Reason", mitigation.reason),
            ("Lifted because", mitigation.lift_reason),
            ("Appeal", mitigation.appeal_text),
        ]
        return " · ".join(
            f"{label}: {redact_text(value, known=known)}" for label, value in parts if value
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:mitigation_id>/lift/", view(self.lift_view), name="notices_mitigation_lift"),
            path(
                "<int:mitigation_id>/appeal/",
                view(self.appeal_view),
                name="notices_mitigation_appeal",
            ),
            *super().get_urls(),
        ]

    def _change(self, request, mitigation_id, form_class, service, template_title, done):
        if not request.user.has_perm("notices.manage_mitigation"):
            raise PermissionDenied
        mitigation = get_object_or_404(
            Mitigation.objects.select_related("subscriber"), id=mitigation_id
        )
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                service(
                    mitigation_id=mitigation.id,
                    actor=request.user.get_username(),
                    **form.cleaned_data,
                )
            except NoticeError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"{mitigation}: {done}.")
                return HttpResponseRedirect(
                    reverse("admin:notices_mitigation_change", args=[mitigation.id])
                )
        return desk_page(
            self,
            request,
            "admin/notices/mitigation/change.html",
            form=form,
            mitigation=mitigation,
            title=f"{template_title}: {mitigation}",
        )

    def lift_view(self, request, mitigation_id):
        return self._change(
            request, mitigation_id, MitigationLiftForm, mitigation_lift, "Lift", "lifted"
        )

    def appeal_view(self, request, mitigation_id):
        return self._change(
            request,
            mitigation_id,
            MitigationAppealForm,
            mitigation_appeal,
            "Record the customer's appeal",
            "appeal recorded",
        )
