"""Forms of the agent's desk: what a transition asks for, logging a paper notice."""

import ipaddress

from django import forms
from django.utils import timezone
from django_countries import countries

from iija_compliance.lib.forms import country_field
from notices.core import statutory
from notices.core.locations import LocationError, parse_location
from notices.core.subscribers import network_range
from notices.models import (
    ActingAs,
    Channel,
    Document,
    Mitigation,
    NetworkResource,
    NetworkSender,
    Notice,
    PolicyStep,
    Subscriber,
)
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


class BulkDeficiencyForm(forms.Form):
    """One reason for every selected case; each letter still names its own missing elements."""

    note = forms.CharField(
        label="What to tell each complainant",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the reason each deficiency letter gives."},
    )


class BulkRejectForm(NoteForm):
    reason = forms.ChoiceField(
        choices=RejectionReason.choices,
        error_messages={"required": "Choose the reason every rejection letter gives."},
    )


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
        self.items = list(notice.items.select_related("subscriber", "notice"))
        subscribers = Subscriber.objects.order_by("name")
        for item in self.items:
            self.fields[f"item_{item.id}"] = forms.ModelChoiceField(
                label=item.location,
                queryset=subscribers,
                required=False,
                initial=item.subscriber_id,
                empty_label="— not on our network —",
                disabled=not item.matchable,
            )

    def rows(self):
        return [(item, self[f"item_{item.id}"]) for item in self.items]

    def changes(self) -> list[tuple[int, int | None]]:
        changed = []
        for item in self.items:
            subscriber = self.cleaned_data.get(f"item_{item.id}")
            subscriber_id = subscriber.id if subscriber else None
            if subscriber_id != item.subscriber_id and item.matchable:
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
            value = _pasted_host(value)
            if not value:
                self.add_error(
                    "value",
                    "Give a host or domain name, e.g. example.com (a web address such as "
                    "https://example.com/ is read as its host).",
                )
                return data
            self.instance.first_address = self.instance.last_address = None
        data["value"] = value
        return data


def _pasted_host(text: str) -> str:
    """The host name in what people paste for a domain: "https://nightshare.example/",
    "*.nightshare.example", "www.nightshare.example."; "" if there is none."""
    text = text.removeprefix("*.").rstrip(".")
    try:
        location = parse_location(text)
    except LocationError:
        return ""
    if location.kind not in ("host", "url") or _is_address(location.host):
        return ""  # an IP address is a network resource, not a name
    return location.host


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


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


MAX_CORRECTED_ITEMS = 10_000  # as many as the API takes in one notice
PAIR = " | "  # "location | description", "work | URL of the original"


class CorrectionForm(forms.Form):
    """Every field of a notice that came by e-mail, post or fax, as the agent corrects it.

    Works and locations are one per line; a line may add, after " | ", the work's URL or
    the location's description."""

    complainant_name = forms.CharField(label="Complainant", max_length=200, required=False)
    complainant_organization = forms.CharField(label="Organization", max_length=200, required=False)
    acting_as = forms.ChoiceField(choices=[("", "Not stated")] + ActingAs.choices, required=False)
    street = forms.CharField(max_length=300, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    country = forms.ChoiceField(choices=[("", "Not stated"), *countries], required=False)
    phone = forms.CharField(label="Telephone", max_length=32, required=False)
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        required=False,
        help_text="Letters to the complainant go here.",
    )
    signature_name = forms.CharField(
        label="Signed by", max_length=200, required=False, help_text="The name typed or signed."
    )
    good_faith_statement = forms.CharField(
        label="Good faith statement (§ 512(c)(3)(A)(v))",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As the notice words it; empty if it makes none.",
    )
    accuracy_statement = forms.CharField(
        label="Accuracy and authority under penalty of perjury (§ 512(c)(3)(A)(vi))",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As the notice words it; empty if it makes none.",
    )
    works = forms.CharField(
        label="Works (one per line)",
        max_length=200_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A line may end with “ | ” and the URL of the original.",
    )
    locations = forms.CharField(
        label="Infringing locations (one per line)",
        max_length=30_000_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "A URL, host name, IP address or path; a line may end with “ | ” and a "
            f"description. Up to {MAX_CORRECTED_ITEMS:,}."
        ),
    )

    SECTIONS = [
        ("Complainant", ["complainant_name", "complainant_organization", "acting_as"]),
        ("Contact (§ 512(c)(3)(A)(iv))", ["street", "city", "region", "postal_code", "country"]),
        ("", ["phone", "email"]),
        (
            "Signature and statements (§ 512(c)(3)(A)(i), (v), (vi))",
            ["signature_name", "good_faith_statement", "accuracy_statement"],
        ),
        ("Works and material (§ 512(c)(3)(A)(ii), (iii))", ["works", "locations"]),
    ]

    def __init__(self, *args, prefilled: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefilled = prefilled or {}

    def sections(self):
        """Each part of the page: its title, and each field with the stored value where
        the field is prefilled from the e-mail instead (None where it is not)."""
        return [
            (title, [(self[name], self.prefilled.get(name)) for name in names])
            for title, names in self.SECTIONS
        ]

    @staticmethod
    def initial_of(notice: Notice) -> dict:
        """The form as the case stands."""
        initial = {name: str(getattr(notice, name) or "") for name in _CORRECTED_FIELDS}
        initial["works"] = "\n".join(_pair(w.description, w.url) for w in notice.works.all())
        initial["locations"] = "\n".join(
            _pair(i.location, i.description) for i in notice.items.all()
        )
        return initial

    def clean_works(self):
        works = []
        for number, line in enumerate(_lines(self.cleaned_data["works"]), start=1):
            description, _, url = line.rpartition(PAIR) if PAIR in line else (line, "", "")
            if url and not url.startswith(("http://", "https://")):
                description, url = line, ""
            if len(description) > 2000 or len(url) > 2048:
                raise forms.ValidationError(
                    f"Work on line {number}: at most 2,000 characters, and 2,048 for its URL."
                )
            works.append(statutory.Work(description.strip(), url.strip()))
        return works

    def clean_locations(self):
        lines = _lines(self.cleaned_data["locations"])
        if len(lines) > MAX_CORRECTED_ITEMS:
            raise forms.ValidationError(
                f"At most {MAX_CORRECTED_ITEMS:,} locations ({len(lines):,} given)."
            )
        items = []
        for number, line in enumerate(lines, start=1):
            location, _, description = line.partition(PAIR)
            if len(location) > 2048 or len(description) > 1000:
                raise forms.ValidationError(
                    f"Location on line {number}: at most 2,048 characters, and 1,000 for its "
                    "description."
                )
            items.append(statutory.Item(location.strip(), description.strip()))
        return items

    def submission(self) -> statutory.NoticeSubmission:
        data = self.cleaned_data
        return statutory.NoticeSubmission(
            complainant=statutory.Complainant(
                name=data["complainant_name"],
                organization=data["complainant_organization"],
                acting_as=data["acting_as"],
                street=data["street"],
                city=data["city"],
                region=data["region"],
                postal_code=data["postal_code"],
                country=data["country"],
                phone=data["phone"],
                email=data["email"],
            ),
            works=data["works"],
            items=data["locations"],
            good_faith_statement=bool(data["good_faith_statement"].strip()),
            accuracy_statement=bool(data["accuracy_statement"].strip()),
            good_faith_text=data["good_faith_statement"],
            accuracy_text=data["accuracy_statement"],
            signature_name=data["signature_name"],
        )


_CORRECTED_FIELDS = [
    name for name in CorrectionForm.base_fields if name not in ("works", "locations")
]


def _pair(first: str, second: str) -> str:
    """One line of the works or locations box (a description's line breaks as spaces)."""
    first, second = " ".join(first.split()), " ".join(second.split())
    return f"{first}{PAIR}{second}" if second else first


class AddressPlanForm(forms.Form):
    file = forms.FileField(
        label="Address plan (CSV)",
        help_text=(
            "Columns: subscriber, name, email, network, valid_from, valid_until, service. "
            "A file with any bad line is refused whole."
        ),
    )


class NetworkSenderForm(forms.ModelForm):
    """What the agent decides about a sender, and why: no change without its reason."""

    reason = forms.CharField(
        label="Reason for the decision",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your name and the time in the sender's history, which "
        "nobody can change.",
    )

    class Meta:
        model = NetworkSender
        fields = ["name", "facts_only", "reply"]
        help_texts = {
            "facts_only": "Forward this sender's notices to customers without the original "
            "mail (for example when its notices demand a settlement). Its notices are still "
            "taken in, counted and forwarded.",
            "reply": "Whether the sender is answered when its notice is taken in.",
        }

    def clean(self):
        data = super().clean()
        decided = [field for field in self.changed_data if field in NetworkSender.DECIDED]
        if decided and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason for the decision: it is kept with it.")
        return data


class PolicyDecisionForm(forms.Form):
    """The agent's decision on a suspension or termination review (§ 512(i))."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision."},
    )
    scope = forms.ChoiceField(
        label="It covers",
        choices=Mitigation.Scope.choices,
        initial=Mitigation.Scope.ACCOUNT,
        help_text="For a suspension or termination only.",
    )
    target = forms.CharField(
        label="The address or server",
        max_length=255,
        required=False,
        help_text="When it covers one address or one server, e.g. 198.51.100.7 or web-12.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason: it is kept on the ledger."},
        help_text="Kept on the ledger; a suspension's or termination's letter gives it to the "
        "customer.",
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.value, d.label) for d in decisions]

    def clean(self):
        data = super().clean()
        mitigates = data.get("decision") not in (None, PolicyStep.Decision.NO_ACTION)
        if mitigates and data.get("scope") != Mitigation.Scope.ACCOUNT and not data.get("target"):
            self.add_error("target", "Name the address or server it covers.")
        return data


class MitigationLiftForm(forms.Form):
    reason = forms.CharField(
        label="Reason for lifting it",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for lifting it."},
    )


class MitigationAppealForm(forms.Form):
    reason_code = forms.ChoiceField(
        label="The customer's reason",
        choices=Mitigation.AppealReason.choices,
        error_messages={"required": "Choose the reason the customer gives."},
    )
    text = forms.CharField(
        label="What the customer says",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write down what the customer says."},
    )
