"""Forms of the agent's desk: what a transition asks for, logging a paper notice."""

from django import forms
from django.utils import timezone

from iija_compliance.lib.forms import country_field
from notices.core import statutory
from notices.core.subscribers import network_range
from notices.models import ActingAs, Channel, Document, NetworkResource, Notice, Subscriber
from notices.models.workflow import ItemAction, RejectionReason

ORIGINAL_TYPES = {
    ".pdf": "PDF",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".gif": "image",
    ".eml": "e-mail",
}
MAX_ORIGINAL_BYTES = 20 * 1024 * 1024


class ExportForm(forms.Form):
    received_from = forms.DateField(
        label="Received from", widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="Received to (inclusive)", widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.ChoiceField(choices=Document.Version.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RejectForm(NoteForm):
    reason = forms.ChoiceField(choices=RejectionReason.choices)


TRANSITION_FORMS = {
    "mark_deficient": NoteForm,
    "reject": RejectForm,
    "withdraw": NoteForm,
    "close": NoteForm,
}


class DisableMaterialForm(forms.Form):
    """One choice per item: what was done to it."""

    def __init__(self, notice: Notice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(notice.items.select_related("subscriber"))
        for item in self.items:
            default = ItemAction.ACCESS_DISABLED if item.subscriber else ItemAction.NOT_ACTIONED
            self.fields[f"item_{item.id}"] = forms.ChoiceField(
                label=item.location, choices=ItemAction.choices, initial=default
            )

    def rows(self):
        return [(item, self[f"item_{item.id}"]) for item in self.items]

    def actions(self) -> dict[int, str]:
        return {item.id: self.cleaned_data[f"item_{item.id}"] for item in self.items}


class ItemSubscriberForm(forms.Form):
    """The agent's manual match of each item to a subscriber."""

    def __init__(self, notice: Notice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(notice.items.select_related("subscriber"))
        subscribers = Subscriber.objects.order_by("name")
        for item in self.items:
            self.fields[f"item_{item.id}"] = forms.ModelChoiceField(
                label=item.location,
                queryset=subscribers,
                required=False,
                initial=item.subscriber_id,
                empty_label="— not on our network —",
                disabled=bool(item.action),
            )

    def rows(self):
        return [(item, self[f"item_{item.id}"]) for item in self.items]

    def changes(self) -> list[tuple[int, int | None]]:
        changed = []
        for item in self.items:
            subscriber = self.cleaned_data.get(f"item_{item.id}")
            subscriber_id = subscriber.id if subscriber else None
            if subscriber_id != item.subscriber_id and not item.action:
                changed.append((item.id, subscriber_id))
        return changed


class NetworkResourceForm(forms.ModelForm):
    class Meta:
        model = NetworkResource
        fields = ["kind", "value"]

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip().lower()
        if kind == NetworkResource.Kind.NETWORK:
            try:
                first, last = network_range(value)
            except ValueError:
                self.add_error("value", "Give an IP network in CIDR form, e.g. 198.51.100.0/24.")
                return data
            self.instance.first_address, self.instance.last_address = first, last
        elif kind:
            from notices.core.locations import parse_location

            try:
                location = parse_location(value)
            except ValueError:
                location = None
            if location is None or location.kind != "host":
                self.add_error("value", "Give a host or domain name, e.g. example.com.")
                return data
            value = location.host
            self.instance.first_address = self.instance.last_address = None
        data["value"] = value
        return data


class GroupedForm(forms.Form):
    """A desk form shown in titled groups: `groups` names each group's fields in order."""

    groups: list[tuple[str, list[str]]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                field.label_suffix = ""  # a statement beside its box, not a label before it

    def field_groups(self):
        if not self.groups:
            return [("", list(self))]
        return [(title, [self[name] for name in names]) for title, names in self.groups]


RECEIVED_BY = [(c.value, c.label) for c in (Channel.EMAIL, Channel.POST, Channel.FAX)]


class LogNoticeForm(GroupedForm):
    """A notice that came by e-mail, post or fax, logged as the original has it."""

    groups = [
        ("The original", ["channel", "received_at", "original"]),
        (
            "Who sent it (§ 512(c)(3)(A)(iv))",
            [
                "complainant_name",
                "complainant_organization",
                "acting_as",
                "street",
                "city",
                "region",
                "postal_code",
                "country",
                "phone",
                "email",
            ],
        ),
        ("What it names (§ 512(c)(3)(A)(ii), (iii))", ["works", "locations"]),
        (
            "Statements and signature (§ 512(c)(3)(A)(v), (vi), (i))",
            ["good_faith_statement", "accuracy_statement", "signature_name"],
        ),
    ]

    channel = forms.ChoiceField(label="Came by", choices=RECEIVED_BY)
    received_at = forms.DateTimeField(
        label="Received on",
        help_text="New York time. For post and fax, when it arrived, not when it was sent.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    original = forms.FileField(
        label="Original document",
        help_text="The notice as received: PDF, image or .eml file, up to 20 MB.",
    )
    complainant_name = forms.CharField(label="Name", max_length=200, required=False)
    complainant_organization = forms.CharField(label="Organization", max_length=200, required=False)
    acting_as = forms.ChoiceField(
        label="Writes as",
        choices=[
            ("", "Not stated"),
            (ActingAs.OWNER, "The copyright owner"),
            (ActingAs.AGENT, "Authorized to act for the owner"),
        ],
        required=False,
    )
    street = forms.CharField(label="Street address", max_length=300, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="ZIP or postal code", max_length=20, required=False)
    country = country_field()
    phone = forms.CharField(label="Telephone", max_length=32, required=False)
    email = forms.EmailField(label="E-mail", max_length=254, required=False)
    works = forms.CharField(
        label="Copyrighted works",
        help_text="One per line.",
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    locations = forms.CharField(
        label="Infringing locations",
        help_text="One per line: URLs, host names or IP addresses.",
        max_length=MAX_ORIGINAL_BYTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    good_faith_statement = forms.BooleanField(
        label="It states a good faith belief that the use is not authorized (v)",
        required=False,
    )
    accuracy_statement = forms.BooleanField(
        label="It states, under penalty of perjury, that it is accurate and the signer "
        "authorized (vi)",
        required=False,
    )
    signature_name = forms.CharField(
        label="Signed by", max_length=200, required=False, help_text="As signed on the original."
    )

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError("The time received cannot be in the future.")
        return received_at

    def clean_original(self):
        original = self.cleaned_data["original"]
        suffix = "." + original.name.rsplit(".", 1)[-1].lower() if "." in original.name else ""
        if suffix not in ORIGINAL_TYPES:
            raise forms.ValidationError("Attach the original as a PDF, an image or an .eml file.")
        if original.size > MAX_ORIGINAL_BYTES:
            raise forms.ValidationError("The original can be at most 20 MB.")
        return original

    def submission(self) -> statutory.NoticeSubmission:
        data = self.cleaned_data
        return statutory.NoticeSubmission(
            complainant=statutory.Complainant(
                **{
                    name: data[f"complainant_{name}" if name in ("name", "organization") else name]
                    for name in (
                        "name",
                        "organization",
                        "acting_as",
                        "street",
                        "city",
                        "region",
                        "postal_code",
                        "country",
                        "phone",
                        "email",
                    )
                }
            ),
            works=[statutory.Work(line) for line in _lines(data["works"])],
            items=[statutory.Item(line) for line in _lines(data["locations"])],
            good_faith_statement=data["good_faith_statement"],
            accuracy_statement=data["accuracy_statement"],
            signature_name=data["signature_name"],
        )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class AcknowledgementAddressForm(forms.Form):
    email = forms.EmailField(
        label="Acknowledge to",
        max_length=254,
        help_text=(
            "A mailed notice is acknowledged only to the address it came from. Confirm "
            "another (the one its text gives, say) only when you know it is the "
            "complainant's: the case's letters go there from now on."
        ),
    )


class MailUploadForm(GroupedForm):
    file = forms.FileField(
        label="Messages", help_text="An .eml file (one message) or an mbox file (many)."
    )
