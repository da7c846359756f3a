"""The outbox: every letter, for the roles that may see the parties' contact details."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import Truncator

from notices.models import Letter, PersonalDataView
from notices.models.case import LETTER_KINDS
from notices.outbox.letters import letter_mark_posted

from .common import LabelledFilter, ReadOnly


class LetterKindFilter(LabelledFilter):
    title = "letter"
    parameter_name = "kind"
    labels = LETTER_KINDS


@admin.register(Letter)
class LetterAdmin(ReadOnly, admin.ModelAdmin):
    """Letters carry the parties' contact details: only roles that may see them see these."""

    list_display = [
        "concerns",
        "kind_label",
        "to_email",
        "state",
        "attempts",
        "next_attempt_at",
        "problem",
        "created_at",
        "sent_at",
    ]
    list_filter = ["state", LetterKindFilter]
    list_select_related = ["notice", "subscriber", "network_case", "inbound"]
    search_fields = ["notice__reference", "subscriber__account_id", "to_email"]
    show_full_result_count = False
    actions = ["mark_posted_action"]

    @admin.action(description="Mark as posted (printed and sent by post)", permissions=["triage"])
    def mark_posted_action(self, request, queryset):
        for letter in queryset:
            try:
                letter_mark_posted(letter_id=letter.id, actor=request.user.get_username())
            except ValueError as error:
                self.message_user(request, f"{letter.concerns}: {error}", messages.WARNING)
            else:
                self.message_user(request, f"{letter.concerns}: {letter.get_kind_label()} posted.")

    def has_triage_permission(self, request):
        return request.user.has_perm("notices.triage_notice")

    @admin.display(description="Letter", ordering="kind")
    def kind_label(self, letter):
        return letter.get_kind_label()

    @admin.display(description="About")
    def concerns(self, letter):
        return letter.concerns

    @admin.display(description="Last error")
    def problem(self, letter):
        return Truncator(letter.last_error).chars(100) if letter.last_error else ""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Letter._meta.fields]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and request.user.has_perm(
            "notices.view_personal_data"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        letter = get_object_or_404(Letter, id=object_id)
        if self.has_view_permission(request, letter):
            what = f"Letter {letter.id}"
            if letter.notice_id:
                PersonalDataView.record(user=request.user, notice_ids=[letter.notice_id], what=what)
            elif letter.subscriber_id:  # a letter about an account: the access is the account's
                PersonalDataView.objects.create(
                    subscriber_id=letter.subscriber_id,
                    user=request.user,
                    at=timezone.now(),
                    what=what,
                )
        return super().change_view(request, object_id, form_url, extra_context)
