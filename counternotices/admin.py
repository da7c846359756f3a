"""Counter notices and court actions in the desk. Changes go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from iija_compliance.lib.forms import country_field
from notices.core.cases import NoticeError
from notices.desk.admin.common import DeskPermissions, ReadOnly, desk_page
from notices.desk.forms import ORIGINAL_TYPES, RECEIVED_BY, GroupedForm
from notices.models import Notice, PersonalDataView, Subscriber

from . import statutory
from .forms import CourtActionForm
from .hosted import HostedCounterError, hosted_counter_stop
from .models import CounterNotice, CourtAction, HostedCounterNotice
from .services import counter_notice_confirm_restored, counter_notice_submit, court_action_report


class LogCounterNoticeForm(GroupedForm):
    """A counter notice that came by e-mail, post or fax, logged as the original has it."""

    groups = [
        ("The case", ["reference", "account_id"]),
        ("The original", ["channel", "received_at", "original"]),
        ("What it covers (§ 512(g)(3)(B))", ["locations"]),
        (
            "Who sent it (§ 512(g)(3)(D))",
            ["name", "street", "city", "region", "postal_code", "country", "phone", "email"],
        ),
        (
            "Statements and signature (§ 512(g)(3)(C), (D), (A))",
            [
                "mistake_statement",
                "consent_to_jurisdiction",
                "signature_name",
                "signed_for_organization",
            ],
        ),
    ]

    reference = forms.CharField(label="Case reference", max_length=20)
    account_id = forms.CharField(label="Subscriber account", max_length=64)
    channel = forms.ChoiceField(label="Came by", choices=RECEIVED_BY)
    received_at = forms.DateTimeField(
        label="Received on",
        help_text="New York time. The restoration window counts from here.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    original = forms.FileField(label="Original document", help_text="PDF, image or .eml file.")
    locations = forms.CharField(
        label="Material",
        help_text="One location per line, as the case lists it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=100_000,
    )
    name = forms.CharField(label="Name", max_length=200, required=False)
    street = forms.CharField(label="Street address", max_length=300, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="ZIP or postal code", max_length=20, required=False)
    country = country_field()
    phone = forms.CharField(label="Telephone", max_length=32, required=False)
    email = forms.EmailField(label="E-mail", max_length=254, required=False)
    mistake_statement = forms.BooleanField(
        label="It states, under penalty of perjury, that the material was removed by mistake "
        "or misidentification",
        required=False,
    )
    consent_to_jurisdiction = forms.BooleanField(
        label="It consents to jurisdiction and to service of process", required=False
    )
    signature_name = forms.CharField(label="Signed by", max_length=200, required=False)
    signed_for_organization = forms.BooleanField(
        label="Signed by a person acting for the company or organisation named above",
        required=False,
    )

    def clean(self):
        data = super().clean()
        notice = Notice.objects.filter(reference__iexact=data.get("reference", "")).first()
        subscriber = Subscriber.objects.filter(account_id=data.get("account_id", "")).first()
        if notice is None:
            self.add_error("reference", "No case has this reference.")
        if subscriber is None:
            self.add_error("account_id", "No subscriber has this account.")
        original = data.get("original")
        if original and "." + original.name.rsplit(".", 1)[-1].lower() not in ORIGINAL_TYPES:
            self.add_error("original", "Attach the original as a PDF, an image or an .eml file.")
        if data.get("received_at") and data["received_at"] > timezone.now():
            self.add_error("received_at", "The time received cannot be in the future.")
        if notice and subscriber:
            wanted = {
                line.strip() for line in data.get("locations", "").splitlines() if line.strip()
            }
            items = notice.items.filter(subscriber=subscriber, location__in=wanted)
            if len(items) != len(wanted):
                self.add_error(
                    "locations", "Each line must be a location of this subscriber in the case."
                )
            data["notice"], data["subscriber"], data["item_ids"] = (
                notice,
                subscriber,
                [i.id for i in items],
            )
        return data

    def submission(self) -> statutory.CounterNoticeSubmission:
        data = self.cleaned_data
        fields = (
            "name",
            "street",
            "city",
            "region",
            "postal_code",
            "phone",
            "email",
            "signature_name",
        )
        return statutory.CounterNoticeSubmission(
            **{name: data[name] for name in fields},
            country=data["country"],
            mistake_statement=data["mistake_statement"],
            consent_to_jurisdiction=data["consent_to_jurisdiction"],
            signed_for_organization=data["signed_for_organization"],
        )


class RecordCourtActionForm(GroupedForm, CourtActionForm):
    reference = forms.CharField(label="Case reference", max_length=20)
    subscriber = forms.CharField(
        label="Subscriber (account id)",
        max_length=100,
        required=False,
        help_text="Whose counter notice the action answers; needed when several subscribers "
        "sent one.",
    )
    received_at = forms.DateTimeField(
        label="Received by the Designated Agent",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="When the notice of the action reached the agent (New York time). It stops "
        "a restoration only if it came before the material was replaced.",
    )
    field_order = ["reference", "subscriber", "received_at", "court", "case_number", "filed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_reference(self):
        notice = Notice.objects.filter(reference__iexact=self.cleaned_data["reference"]).first()
        if notice is None:
            raise forms.ValidationError("No case has this reference.")
        return notice

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError("This time is still to come.")
        return received_at

    def counter_notice_id(self) -> int | None:
        """The counter notice named by the subscriber's account id, or None to let the
        service take the case's only one."""
        notice, account = self.cleaned_data["reference"], self.cleaned_data["subscriber"].strip()
        if not account:
            return None
        counter = notice.counter_notices.filter(subscriber__account_id__iexact=account).first()
        if counter is None:
            raise NoticeError(f"{notice.reference}: {account} sent no counter notice in this case.")
        return counter.id


class ConfirmRestoredForm(forms.Form):
    """When operations put the material back: a court action received before this moment
    should have stopped it (§ 512(g)(2)(C), "first")."""

    replaced_at = forms.DateTimeField(
        label="Material replaced at",
        help_text="When operations actually put the material back (New York time).",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, counters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.counters = counters
        self.fields["replaced_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_replaced_at(self):
        replaced_at = self.cleaned_data["replaced_at"]
        if replaced_at > timezone.now():
            raise forms.ValidationError("This time is still to come.")
        for counter in self.counters:
            if counter.due_at and replaced_at < counter.due_at:
                opened = timezone.localtime(counter.due_at)
                raise forms.ValidationError(
                    f"{counter.notice.reference}: the restoration window opened on "
                    f"{opened:%B %-d, %Y at %H:%M:%S}: the material cannot have been "
                    "replaced before that."
                )
        return replaced_at


@admin.register(CounterNotice)
class CounterNoticeAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    list_display = [
        "notice",
        "subscriber",
        "channel",
        "received_at",
        "restore_not_before",
        "restore_not_after",
        "state_flag",
    ]
    list_filter = [
        "state",
        ("restore_not_before", admin.DateFieldListFilter),
        ("restore_not_after", admin.DateFieldListFilter),
    ]
    list_select_related = ["notice", "subscriber"]
    search_fields = ["notice__reference", "subscriber__account_id"]
    actions = ["confirm_restored_action"]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        fields = [f.name for f in CounterNotice._meta.fields]
        if not request.user.has_perm("notices.view_personal_data"):
            hidden = {"name", "street", "city", "region", "postal_code", "phone", "email"}
            hidden |= {"signature_name", "signature_ip", "signature_user_agent"}
            fields = [f for f in fields if f not in hidden]
        return fields + ["items"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        counter = CounterNotice.objects.filter(id=object_id).first()
        if counter and request.user.has_perm("notices.view_personal_data"):
            PersonalDataView.record(
                user=request.user,
                notice_ids=[counter.notice_id],
                what=f"Counter notice {counter.id}",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="State", ordering="state")
    def state_flag(self, counter):
        if counter.state == CounterNotice.State.DUE and counter.escalated_at:
            return format_html(
                '<strong class="desk-flag">{} · day 14 passed unconfirmed</strong>',
                counter.get_state_display(),
            )
        return counter.get_state_display()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("log/", view(self.log_view), name="counternotices_counternotice_log"),
            *super().get_urls(),
        ]

    def log_view(self, request):
        if not request.user.has_perm("counternotices.add_counternotice"):
            raise PermissionDenied
        post = request.method == "POST"
        form = LogCounterNoticeForm(request.POST if post else None, request.FILES if post else None)
        if post and form.is_valid():
            data = form.cleaned_data
            try:
                counter = counter_notice_submit(
                    notice_id=data["notice"].id,
                    subscriber_id=data["subscriber"].id,
                    item_ids=data["item_ids"],
                    submission=form.submission(),
                    channel=data["channel"],
                    actor=request.user.get_username(),
                    received_at=data["received_at"],
                    original=data["original"],
                )
            except NoticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Logged. Restore once {counter.restore_not_before:%A %B %-d, %Y} has ended, "
                    f"nor after {counter.restore_not_after:%A %B %-d, %Y}.",
                )
                return HttpResponseRedirect(
                    reverse("admin:notices_notice_change", args=[counter.notice_id])
                )
        return desk_page(
            self,
            request,
            "admin/notices/notice/log.html",
            form=form,
            title="Log a counter notice received by e-mail, post or fax",
            intro=(
                "Copy what the original says and name the material it covers. The restoration "
                "window is counted from when it was received; the complaining party gets a copy."
            ),
            submit_label="Log the counter notice",
        )

    @admin.action(description="Confirm the material is restored", permissions=["triage"])
    def confirm_restored_action(self, request, queryset):
        """Ask when the material was replaced (on a page that is also the confirmation);
        then confirm each selected restoration with that time."""
        counters = list(queryset.select_related("notice", "subscriber"))
        form = ConfirmRestoredForm(
            request.POST if "apply" in request.POST else None, counters=counters
        )
        if not form.is_valid():
            return desk_page(
                self,
                request,
                "admin/counternotices/counternotice/confirm_restored.html",
                form=form,
                counters=counters,
                action="confirm_restored_action",
                title="Confirm the material is restored",
            )
        for counter in counters:
            try:
                counter_notice_confirm_restored(
                    counter_notice_id=counter.id,
                    actor=request.user.get_username(),
                    replaced_at=form.cleaned_data["replaced_at"],
                )
            except NoticeError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, f"{counter.notice.reference}: restoration confirmed.")
        return None


@admin.register(CourtAction)
class CourtActionAdmin(admin.ModelAdmin):
    list_display = [
        "notice",
        "counter_notice",
        "received_at",
        "court",
        "case_number",
        "filed_on",
        "reported_by",
        "stopped_restoration",
    ]
    list_select_related = ["notice"]
    search_fields = ["notice__reference", "case_number"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return request.user.has_perm("notices.record_court_action")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        post = request.method == "POST"
        form = RecordCourtActionForm(
            request.POST if post else None, request.FILES if post else None
        )
        if post and form.is_valid():
            data = form.cleaned_data
            try:
                action = court_action_report(
                    notice_id=data["reference"].id,
                    counter_notice_id=form.counter_notice_id(),
                    received_at=data["received_at"],
                    court=data["court"],
                    case_number=data["case_number"],
                    filed_on=data["filed_on"],
                    complaint=data["complaint"],
                    reported_by=request.user.get_username(),
                )
            except NoticeError as error:
                form.add_error(None, str(error))
            else:
                stopped = "Restoration stopped." if action.stopped_restoration else "Recorded."
                messages.success(request, f"{action.notice.reference}: {stopped}")
                return HttpResponseRedirect(
                    reverse("admin:notices_notice_change", args=[action.notice_id])
                )
        return desk_page(
            self,
            request,
            "admin/notices/notice/log.html",
            form=form,
            title="Record a court action",
            intro=(
                "The complaining party's notice that it filed an action seeking a court order "
                "against the subscriber (§ 512(g)(2)(C)): while a restoration is pending, it stops."
            ),
            submit_label="Record the court action",
        )


@admin.register(HostedCounterNotice)
class HostedCounterNoticeAdmin(ReadOnly, DeskPermissions, admin.ModelAdmin):
    """Counter notices on removal requests for hosted material, and their clock. A court
    action the sender reports first is recorded here, with what the agent received."""

    list_display = ["removal", "received_at", "restore_not_before", "restore_not_after", "state"]
    list_filter = ["state"]
    list_select_related = ["removal__subscriber"]
    search_fields = ["removal__subscriber__account_id"]
    actions = ["stop_action"]
    PERSONAL = {"name", "street", "city", "region", "postal_code", "phone", "email"}
    PERSONAL |= {"signature_name", "signature_ip", "signature_user_agent", "material"}

    def get_fields(self, request, obj=None):
        fields = [f.name for f in HostedCounterNotice._meta.fields]
        if not request.user.has_perm("notices.view_personal_data"):
            fields = [f for f in fields if f not in self.PERSONAL]
        return fields

    def has_stop_permission(self, request) -> bool:
        return request.user.has_perm("counternotices.stop_hostedcounternotice")

    @admin.action(
        description="Court action received first: stop the restoration (§ 512(g)(2)(C))",
        permissions=["stop"],
    )
    def stop_action(self, request, queryset):
        if "apply" not in request.POST:
            return desk_page(
                self,
                request,
                "admin/counternotices/hostedcounternotice/stop.html",
                counters=queryset,
                title="Court action received: stop the restoration",
            )
        for counter in queryset:
            try:
                hosted_counter_stop(
                    counter_id=counter.id,
                    actor=request.user.get_username(),
                    reason=request.POST.get("reason", "")[:2000],
                )
            except HostedCounterError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"{counter}: restoration stopped.")
        return None
