"""What the desk's pages share: who sees personal data, free text as a user may
read it, the desk's permissions, and the admin of records nobody changes."""

from django.contrib import admin
from django.template.response import TemplateResponse

from notices.records.redaction import redact_text


def desk_page(model_admin, request, template: str, **context) -> TemplateResponse:
    """One of the desk's own pages (a form, a confirmation), in the admin's frame: its
    header and the breadcrumbs of the model it belongs to."""
    frame = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta}
    return TemplateResponse(request, template, {**frame, **context})


def sees_personal_data(request) -> bool:
    return request.user.has_perm("notices.view_personal_data")


class Readable:
    """Free text as one user may read it: as written for a role that sees personal data;
    for any other, without e-mail addresses, telephone numbers, IP addresses and the
    personal values the record is known to hold (notices/records/redaction.py)."""

    do_not_call_in_templates = True  # used as `{{ text|readable:readable }}`

    def __init__(self, request, known=frozenset(), keep=frozenset()):
        self.as_written = sees_personal_data(request)
        self.known, self.keep = frozenset(known), frozenset(keep)

    def __call__(self, text: str) -> str:
        return text if self.as_written else redact_text(text, self.keep, self.known)


class DeskPermissions:
    """The desk's permissions, for Django's `permissions` on admin actions, and filters
    in the address limited to the list's own for roles without personal data: the admin
    would otherwise filter on any field (`?complainant_name__startswith=…`)."""

    def has_triage_permission(self, request) -> bool:
        return request.user.has_perm("notices.triage_notice")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("notices.export_records")

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and not sees_personal_data(request):
            offered = [self.date_hierarchy or ""] + [
                spec.parameter_name  # a SimpleListFilter names its own parameter
                if isinstance(spec, type)
                else spec
                if isinstance(spec, str)
                else spec[0]
                for spec in self.get_list_filter(request)
            ]
            if lookup.split("__")[0] not in {path.split("__")[0] for path in offered if path}:
                return False
        return super().lookup_allowed(lookup, value, request)


class ReadOnly:
    """Rows nobody may add, change or delete on the desk, not even a superuser: only the
    services write them. Mixed in before admin.ModelAdmin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    """Records nobody may add, change or delete, ever."""

    show_full_result_count = False


class LabelledFilter(admin.SimpleListFilter):
    """A filter on a stored code, offered in words: `labels` maps each code to them."""

    labels: dict[str, str] = {}

    def lookups(self, request, model_admin):
        return sorted(self.labels.items(), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value() in self.labels:
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset
