"""The mailbox as read: what each message was taken for, and where it went; uploads."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from notices.desk.forms import MailUploadForm
from notices.models import Channel, InboundMessage, PersonalDataView

from .common import DeskPermissions, ReadOnly, desk_page


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    """The mailbox as read: what each message was taken for, and where it went."""

    list_display = [
        "received_at",
        "kind",
        "urgent",
        "subject",
        "problem_summary",
        "notice",
        "created_case",
        "handled_at",
    ]
    list_filter = [
        "urgent",
        "kind",
        "channel",
        "created_case",
        ("notice", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["notice"]
    search_fields = ["subject", "notice__reference"]
    actions = ["mark_handled_action"]
    change_list_template = "admin/notices/inboundmessage/change_list.html"
    fields = [
        "received_at",
        "arrival_note",
        "kind",
        "channel",
        "problem",
        "sender",
        "subject",
        "message_id",
        "original_file",
        "sha256",
        "notice",
        "created_case",
        "handled_at",
        "reading",
    ]
    readonly_fields = ["original_file"]

    @admin.display(description="Why it could not be read")
    def problem_summary(self, inbound):
        return Truncator(inbound.problem).chars(300)

    @admin.display(description="Original")
    def original_file(self, inbound):
        url = reverse("admin:notices_inboundmessage_original", args=[inbound.id])
        name, _ = _download(inbound)
        what = "report" if inbound.channel == Channel.API else "message"
        suffix = name.rpartition(".")[2]
        return format_html('<a href="{}">Download the {} as received (.{})</a>', url, what, suffix)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("notices.view_personal_data")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        inbound = InboundMessage.objects.filter(id=object_id).first()
        if inbound and inbound.notice_id and self.has_view_permission(request, inbound):
            PersonalDataView.record(
                user=request.user,
                notice_ids=[inbound.notice_id],
                what=f"Inbound message {inbound.id}",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="notices_inboundmessage_upload"),
            path(
                "<int:inbound_id>/original/",
                view(self.original_view),
                name="notices_inboundmessage_original",
            ),
            *super().get_urls(),
        ]

    def original_view(self, request, inbound_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        inbound = get_object_or_404(InboundMessage, id=inbound_id)
        if inbound.notice_id:
            PersonalDataView.record(
                user=request.user,
                notice_ids=[inbound.notice_id],
                what=f"Original of inbound message {inbound.id}",
            )
        filename, content_type = _download(inbound)
        return FileResponse(
            inbound.original.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )

    def upload_view(self, request):
        if not request.user.has_perm("notices.add_notice"):
            raise PermissionDenied
        post = request.method == "POST"
        form = MailUploadForm(request.POST if post else None, request.FILES if post else None)
        if post and form.is_valid():
            from notices.mailbox.intake import intake_mbox, intake_raw

            upload = form.cleaned_data["file"]
            data = upload.read()
            if upload.name.lower().endswith(".eml"):
                taken = [inbound for inbound in [intake_raw(data)] if inbound]
            else:
                taken = intake_mbox(data)
            cases = sum(1 for inbound in taken if inbound.created_case)
            messages.success(
                request,
                f"{len(taken)} new message(s) read; {cases} became case(s). "
                "Messages read before were skipped.",
            )
            return HttpResponseRedirect(reverse("admin:notices_inboundmessage_changelist"))
        return desk_page(
            self,
            request,
            "admin/notices/notice/log.html",
            form=form,
            title="Upload mail (.eml or mbox)",
            intro=(
                "Messages saved from another mailbox are read as if they had reached the "
                "Designated Agent's: each takedown becomes a case, each counter notice or "
                "retraction goes to its case. A message read before is skipped."
            ),
            submit_label="Read the messages",
        )

    @admin.action(description="Mark as handled", permissions=["triage"])
    def mark_handled_action(self, request, queryset):
        queryset.filter(handled_at=None).update(handled_at=timezone.now())


def _download(inbound: InboundMessage) -> tuple[str, str]:
    """The original's file name and type: a mail, or a report filed through the API as
    the XML or JSON it was sent as."""
    if inbound.channel != Channel.API:
        return f"message-{inbound.id}.eml", "message/rfc822"
    if inbound.original.name.endswith(".json"):
        return f"report-{inbound.id}.json", "application/json"
    return f"report-{inbound.id}.xml", "application/xml"
