from django.contrib import admin

from .models import InfringingItem, Letter, Notice, NoticeEvent, Work


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkInline(ReadOnlyInline):
    model = Work
    fields = ["position", "description", "url"]


class ItemInline(ReadOnlyInline):
    model = InfringingItem
    fields = ["position", "location", "kind", "host", "description"]


class EventInline(ReadOnlyInline):
    model = NoticeEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]


class LetterInline(ReadOnlyInline):
    model = Letter
    fields = ["kind", "to_email", "subject", "state", "attempts", "sent_at", "last_error"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "channel", "received_at", "complainant_organization"]
    list_filter = ["status", "channel"]
    search_fields = ["reference", "complainant_name", "complainant_organization"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    inlines = [WorkInline, ItemInline, LetterInline, EventInline]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["notice", "kind", "to_email", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["notice"]
    search_fields = ["notice__reference", "to_email"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
