"""The desk's records: PDF records and ZIP exports of case files, and the record of
who looked at a case's personal data."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from notices.desk.forms import ExportForm
from notices.models import Document, ExportJob, Notice, PersonalDataView
from notices.records.documents import document_generate
from notices.records.exports import export_create

from .common import AppendOnlyAdmin, desk_page


class CaseRecords:
    """The case list's and the case page's records: each PDF record, and exports of case
    files as ZIP, for the roles with the export permission (part of NoticeAdmin)."""

    def record_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:notice_id>/record/<str:kind>/<str:version>/",
                view(self.record_view),
                name="notices_notice_record",
            ),
            path("exports/new/", view(self.export_new_view), name="notices_export_new"),
            path("exports/<int:job_id>/", view(self.export_view), name="notices_export"),
            path(
                "exports/<int:job_id>/download/",
                view(self.export_download_view),
                name="notices_export_download",
            ),
        ]

    def record_view(self, request, notice_id, kind, version):
        """Generate one record as PDF (POST: it is stored and logged), and show it.

        Each one is in the access record, shareable ones too: they still name the parties."""
        if not request.user.has_perm("notices.export_records"):
            raise PermissionDenied
        if request.method != "POST" or kind not in Document.Kind.values:
            raise Http404
        if version not in Document.Version.values:
            raise Http404
        notice = get_object_or_404(Notice, id=notice_id)
        subject_id = request.POST.get("subject_id") or None
        try:
            document = document_generate(
                notice=notice,
                kind=kind,
                version=version,
                subject_id=int(subject_id) if subject_id else None,
                actor=request.user.get_username(),
            )
        except (ValueError, ObjectDoesNotExist) as error:
            raise Http404 from error
        subject = f" {document.subject_id}" if document.subject_id else ""
        PersonalDataView.record(
            user=request.user,
            notice_ids=[notice.id],
            what=f"{document.get_kind_display()}{subject} PDF, {version}",
        )
        return FileResponse(
            document.file.open("rb"),
            filename=document.file.name.rsplit("/", 1)[-1],
            content_type="application/pdf",
        )

    def export_new_view(self, request):
        if not request.user.has_perm("notices.export_records"):
            raise PermissionDenied
        form = ExportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            job = export_create(
                actor=request.user.get_username(),
                version=form.cleaned_data["version"],
                received_from=form.cleaned_data["received_from"],
                received_to=form.cleaned_data["received_to"],
            )
            return HttpResponseRedirect(reverse("admin:notices_export", args=[job.id]))
        return desk_page(
            self,
            request,
            "admin/notices/notice/export_new.html",
            form=form,
            title="Export case files by date received",
            jobs=ExportJob.objects.filter(created_by=request.user.get_username())[:20],
        )

    def _own_export(self, request, job_id) -> ExportJob:
        """Only the user who made an export may see it or download it: the agent too can
        make their own in a minute, and a ZIP passed from hand to hand is what the access
        record could not follow."""
        if not request.user.has_perm("notices.export_records"):
            raise PermissionDenied
        job = get_object_or_404(ExportJob, id=job_id)
        if job.created_by != request.user.get_username():
            raise PermissionDenied
        return job

    def export_view(self, request, job_id):
        job = self._own_export(request, job_id)
        return desk_page(
            self,
            request,
            "admin/notices/notice/export.html",
            job=job,
            keep_days=settings.EXPORT_KEEP_DAYS,
            title=f"Export {job.id}",
        )

    def export_download_view(self, request, job_id):
        job = self._own_export(request, job_id)
        if job.state != ExportJob.State.DONE or not job.file:
            raise Http404
        PersonalDataView.record(
            user=request.user,
            notice_ids=list(job.notices.values_list("id", flat=True)),
            what=f"export {job.id}: case files, {job.version} (ZIP)",
        )
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=f"dmca-export-{job.id}.zip"
        )

    def _export(self, request, queryset, version):
        job = export_create(
            actor=request.user.get_username(),
            version=version,
            notice_ids=list(queryset.values_list("id", flat=True)),
        )
        return HttpResponseRedirect(reverse("admin:notices_export", args=[job.id]))

    @admin.action(description="Export case files as ZIP (internal)", permissions=["export"])
    def export_internal_action(self, request, queryset):
        return self._export(request, queryset, Document.Version.INTERNAL)

    @admin.action(description="Export case files as ZIP (shareable)", permissions=["export"])
    def export_shareable_action(self, request, queryset):
        return self._export(request, queryset, Document.Version.SHAREABLE)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(AppendOnlyAdmin):
    list_display = ["at", "notice", "subscriber", "user", "what"]
    list_select_related = ["notice", "subscriber", "user"]
    search_fields = ["notice__reference", "subscriber__account_id", "user__username"]
