"""Network notices on the desk: the address plan (and its import), the network cases and
every event with its outcome. For a role without personal data the reported addresses
and who reported them are left out."""

from django.contrib import admin, messages
from django.contrib.admin import ShowFacets
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from notices.desk.forms import AddressPlanForm
from notices.models import AddressAssignment, NetworkCase, NetworkEvent
from notices.network.plan import PlanRefused, import_plan

from .common import DeskPermissions, ReadOnly, desk_page, sees_personal_data

PERSONAL = ["ip", "port", "sender"]  # the subscriber's address, and the reporter's


@admin.register(AddressAssignment)
class AddressAssignmentAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    """The address plan as imported; it changes only by importing it again."""

    list_display = ["network", "subscriber", "valid_from", "valid_until", "service"]
    list_filter = ["service"]
    list_select_related = ["subscriber"]
    search_fields = ["network", "subscriber__account_id", "subscriber__name"]
    fields = ["network", "subscriber", "valid_from", "valid_until", "service", "imported_at"]
    change_list_template = "admin/notices/addressassignment/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="notices_addressassignment_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("notices.add_addressassignment"):
            raise PermissionDenied
        post = request.method == "POST"
        form = AddressPlanForm(request.POST if post else None, request.FILES if post else None)
        refused = None
        if post and form.is_valid():
            try:
                result = import_plan(form.cleaned_data["file"].read())
            except PlanRefused as error:
                refused = error.as_json()["bad_lines"]
            else:
                created, updated = result.assignments["created"], result.assignments["updated"]
                messages.success(
                    request,
                    f"{result.lines} line(s) read: {created} assignment(s) added, {updated} "
                    f"changed, {result.assignments['unchanged']} unchanged; "
                    f"{result.subscribers['created']} new subscriber(s).",
                )
                return HttpResponseRedirect(reverse("admin:notices_addressassignment_changelist"))
        return desk_page(
            self,
            request,
            "admin/notices/addressassignment/import.html",
            form=form,
            refused=refused,
            title="Import the address plan",
        )


class NetworkEventInline(admin.TabularInline):
    model = NetworkEvent
    fk_name = "case"
    fields = ["occurred_at", "ip", "port", "protocol", "complainant", "vendor_case_id", "format"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    show_change_link = True

    def get_fields(self, request, obj=None):
        if sees_personal_data(request):
            return self.fields
        return [field for field in self.fields if field not in PERSONAL]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NetworkCase)
class NetworkCaseAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    """Each subscriber's network case: the events traced to them, newest first."""

    list_display = ["reference", "subscriber", "opened_at", "event_count", "closed_at"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__account_id", "subscriber__name"]
    fields = ["reference", "subscriber", "opened_at", "closed_at"]
    readonly_fields = ["reference"]
    inlines = [NetworkEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(events_count=Count("events"))

    @admin.display(description="Events", ordering="events_count")
    def event_count(self, case):
        return case.events_count


@admin.register(NetworkEvent)
class NetworkEventAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    """Every reported event, whatever became of it: counted by outcome in the filters."""

    list_display = [
        "received_at",
        "outcome",
        "format",
        "complainant",
        "vendor_case_id",
        "ip",
        "occurred_at",
        "case",
        "subscriber",
    ]
    list_filter = ["outcome", "format", "received_at"]
    show_facets = ShowFacets.ALWAYS  # the count of each outcome
    list_select_related = ["case", "subscriber"]
    search_fields = ["vendor_case_id", "complainant", "ip", "subscriber__account_id"]
    date_hierarchy = "received_at"
    fields = [
        "received_at",
        "outcome",
        "format",
        "sender",
        "api_sender",
        "inbound",
        "complainant",
        "vendor_case_id",
        "ip",
        "port",
        "protocol",
        "occurred_at",
        "files",
        "flags",
        "case",
        "subscriber",
        "assignment",
        "duplicate_of",
        "hosted_removal",
    ]

    def get_list_display(self, request):
        if sees_personal_data(request):
            return self.list_display
        return [column for column in self.list_display if column not in PERSONAL]

    def get_fields(self, request, obj=None):
        # The mail it came by is the mailbox's, which only roles with personal data open.
        hidden = [] if sees_personal_data(request) else [*PERSONAL, "inbound", "assignment"]
        return [field for field in self.fields if field not in hidden]

    def get_search_fields(self, request):
        if sees_personal_data(request):
            return self.search_fields
        return [field for field in self.search_fields if field not in PERSONAL]
