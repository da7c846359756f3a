"""The registry of network notice senders: the agent decides, with a reason, how the
desk treats each; Legal staff and Auditors read it (an Auditor without the senders'
addresses, and the reasons without personal data)."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from notices.desk.forms import NetworkSenderForm
from notices.models import NetworkSender, NetworkSenderDecision
from notices.network.senders import DecisionRefused, sender_decide
from notices.records.redaction import redact_text

from .common import AppendOnlyAdmin, DeskPermissions, sees_personal_data

SETTLEMENT = "settlement_demand"


class DemandsSettlement(admin.SimpleListFilter):
    title = "notices demanding a settlement"
    parameter_name = "settlement"

    def lookups(self, request, model_admin):
        return [("yes", "Some"), ("no", "None")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(settlement_demands__gt=0)
        if self.value() == "no":
            return queryset.filter(settlement_demands=0)
        return queryset


def reason_field(request) -> str:
    """The reason as written for a role that sees personal data, else without it."""
    return "reason" if sees_personal_data(request) else "readable_reason"


def describe_changes(changes: dict) -> str:
    labels = {"name": "Name", "facts_only": "Facts only", "reply": "Reply"}
    words = {True: "yes", False: "no", **dict(NetworkSender.Reply.choices)}
    return "; ".join(
        f"{labels.get(field, field)}: {words.get(before, before)} → {words.get(after, after)}"
        for field, (before, after) in changes.items()
    )


@admin.register(NetworkSender)
class NetworkSenderAdmin(DeskPermissions, admin.ModelAdmin):
    """Every sender of network notices, entered when its first notice arrives."""

    form = NetworkSenderForm
    list_display = [
        "name",
        "sender_addresses",
        "formats",
        "notice_count",
        "settlement_count",
        "facts_only",
        "reply",
    ]
    list_filter = ["facts_only", "reply", DemandsSettlement]
    search_fields = ["name", "addresses__address"]
    readonly_fields = [
        "sender_addresses",
        "formats",
        "notice_count",
        "settlement_count",
        "first_notice",
        "decisions",
        "readable_decisions",
    ]
    PERSONAL = ["sender_addresses"]  # the sender's own e-mail addresses

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("addresses")
            .annotate(
                notices=Count("events", distinct=True),
                settlement_demands=Count(
                    "events", filter=Q(events__flags__icontains=SETTLEMENT), distinct=True
                ),
            )
        )

    def get_fields(self, request, obj=None):
        facts = ["sender_addresses", "formats", "notice_count", "settlement_count", "first_notice"]
        if not sees_personal_data(request):
            facts.remove("sender_addresses")
        history = "decisions" if sees_personal_data(request) else "readable_decisions"
        return ["name", *facts, "facts_only", "reply", "reason", history]

    def get_list_display(self, request):
        if sees_personal_data(request):
            return self.list_display
        return [column for column in self.list_display if column not in self.PERSONAL]

    def get_search_fields(self, request):
        if sees_personal_data(request):
            return self.search_fields
        return ["name"]

    def has_add_permission(self, request):
        return False  # entered by the mailbox and the API

    def has_delete_permission(self, request, obj=None):
        return False  # a sender is never struck off: its decisions stay with it

    @admin.display(description="addresses")
    def sender_addresses(self, sender):
        return ", ".join(one.address for one in sender.addresses.all())

    @admin.display(description="formats seen")
    def formats(self, sender):
        return ", ".join(sender.formats_seen) or "none yet"

    @admin.display(description="events reported", ordering="notices")
    def notice_count(self, sender):
        return sender.notices

    @admin.display(description="demanding a settlement", ordering="settlement_demands")
    def settlement_count(self, sender):
        return sender.settlement_demands

    @admin.display(description="first notice received")
    def first_notice(self, sender):
        return date_format(timezone.localtime(sender.created_at), "DATETIME_FORMAT")

    @admin.display(description="decisions")
    def decisions(self, sender):
        return _history(sender, lambda reason: reason)

    @admin.display(description="decisions")
    def readable_decisions(self, sender):
        return _history(sender, redact_text)

    def save_model(self, request, obj, form, change):
        """The decision and its record, at once (notices/network/senders.py)."""
        try:
            decision = sender_decide(
                sender_id=obj.id,
                actor=request.user.get_username(),
                reason=form.cleaned_data.get("reason", ""),
                now=timezone.now(),
                **{field: form.cleaned_data[field] for field in NetworkSender.DECIDED},
            )
        except DecisionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        if decision:
            self.message_user(
                request,
                f"Decision recorded: {describe_changes(decision.changes)}.",
                messages.SUCCESS,
            )

    def save_related(self, request, form, formsets, change):
        pass  # decisions are only written by sender_decide


def _history(sender, readable):
    """Every decision about the sender, oldest first, each with its reason."""
    rows = [
        (
            date_format(timezone.localtime(decision.at), "DATETIME_FORMAT"),
            decision.actor,
            describe_changes(decision.changes),
            readable(decision.reason),
        )
        for decision in sender.decisions.all()
    ]
    if not rows:
        return "None yet."
    return format_html(
        '<ul class="desk-decisions" style="margin:0;padding:0;list-style:none;">{}</ul>',
        format_html_join("", "<li>{} by {}: {}. <em>{}</em></li>", rows),
    )


@admin.register(NetworkSenderDecision)
class NetworkSenderDecisionAdmin(AppendOnlyAdmin):
    """Every decision about a sender, with its reason: nobody changes or deletes one."""

    list_display = ["at", "sender", "actor", "what_changed"]
    list_select_related = ["sender"]
    search_fields = ["sender__name", "actor"]
    readonly_fields = ["what_changed", "readable_reason"]

    @admin.display(description="what changed")
    def what_changed(self, decision):
        return describe_changes(decision.changes)

    @admin.display(description="reason")
    def readable_reason(self, decision):
        return redact_text(decision.reason)

    def get_fields(self, request, obj=None):
        return ["sender", "at", "actor", "what_changed", reason_field(request)]
