"""The subscriber's counter-notice form, filed under the four elements of § 512(g)(3)."""

from typing import NamedTuple

from django import forms

from iija_compliance.lib.forms import (
    PlainTextForm,
    SignedPublicForm,
    country_field,
    phone_as_e164,
)
from notices.models import InfringingItem

from . import statutory

FIELD_ELEMENTS = {
    "items": "material_identification",
    "name": "consent_to_jurisdiction",
    "street": "consent_to_jurisdiction",
    "city": "consent_to_jurisdiction",
    "region": "consent_to_jurisdiction",
    "postal_code": "consent_to_jurisdiction",
    "country": "consent_to_jurisdiction",
    "phone": "consent_to_jurisdiction",
    "email": "consent_to_jurisdiction",
    "consent_to_jurisdiction": "consent_to_jurisdiction",
    "mistake_statement": "mistake_statement",
    "signature_name": "signature",
    "signed_for_organization": "signature",
}
PROBLEM_FIELDS = {
    "locations": "items",
    "name": "name",
    "street": "street",
    "city": "city",
    "country": "country",
    "phone": "phone",
    "mistake_statement": "mistake_statement",
    "consent_to_jurisdiction": "consent_to_jurisdiction",
    "signature_name": "signature_name",
}


class CounterNoticeForm(SignedPublicForm):
    items = forms.MultipleChoiceField(
        label="The material your counter notice is about",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    name = forms.CharField(
        label="Your full legal name, or your company's",
        max_length=200,
        required=False,
    )
    street = forms.CharField(label="Street address", max_length=300, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="ZIP or postal code", max_length=20, required=False)
    country = country_field()
    phone = forms.CharField(label="Telephone", max_length=32, required=False)
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        required=False,
        help_text="Optional. We write to you here about the restoration.",
    )
    mistake_statement = forms.BooleanField(label=statutory.MISTAKE_STATEMENT, required=False)
    consent_to_jurisdiction = forms.BooleanField(
        label="I consent to the jurisdiction and to service of process as stated above.",
        required=False,
    )

    signed_for_organization = forms.BooleanField(
        label="I sign for the company or organisation named above, as a person authorised "
        "to act for it",
        required=False,
    )

    def __init__(self, items: list[InfringingItem], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature_name"].help_text = (
            "This is your electronic signature. It must match your name above, or, for a "
            "company, be the name of the person who signs for it."
        )
        self.item_rows = items
        self.fields["items"].choices = [
            (str(item.id), f"{item.location} ({item.get_action_display().lower()})")
            for item in items
        ]
        self.element_problems: dict[str, list[str]] = {}

    def clean(self):
        data = super().clean()
        phone_as_e164(self, data)
        for check in statutory.check_counter_notice(self.submission()):
            for problem in check.problems:
                field = PROBLEM_FIELDS.get(problem.field)
                if field and not self.has_error(field):
                    self.add_error(field, problem.message)
                elif not field:
                    self.element_problems.setdefault(check.element.id, []).append(problem.message)
        return data

    def item_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("items") or []]

    def submission(self) -> statutory.CounterNoticeSubmission:
        data = getattr(self, "cleaned_data", {})
        chosen = set(data.get("items") or [])
        return statutory.CounterNoticeSubmission(
            **{
                name: data.get(name) or ""
                for name in (
                    "name",
                    "street",
                    "city",
                    "region",
                    "postal_code",
                    "country",
                    "phone",
                    "email",
                )
            },
            locations=[item.location for item in self.item_rows if str(item.id) in chosen],
            mistake_statement=bool(data.get("mistake_statement")),
            consent_to_jurisdiction=bool(data.get("consent_to_jurisdiction")),
            signature_name=data.get("signature_name") or "",
            signed_for_organization=bool(data.get("signed_for_organization")),
        )

    def error_groups(self):
        grouped = {element.id: [] for element in statutory.ELEMENTS}
        for field, errors in self.errors.items():
            if field in FIELD_ELEMENTS:
                label = self.fields[field].label
                boolean = isinstance(self.fields[field], forms.BooleanField)
                grouped[FIELD_ELEMENTS[field]] += [
                    e if boolean else f"{label}: {e}" for e in errors
                ]
        for element_id, messages in self.element_problems.items():
            grouped[element_id] += messages
        return [(statutory.ELEMENTS_BY_ID[k], v) for k, v in grouped.items() if v]

    def general_errors(self):
        return [
            e
            for field, errors in self.errors.items()
            if field not in FIELD_ELEMENTS
            for e in errors
        ]


class CourtActionForm(PlainTextForm):
    """A filed court action, and the counter notice it answers (§ 512(g)(2)(C): it stops
    the restoration of the subscriber it restrains, not every subscriber's)."""

    counter_notice = forms.TypedChoiceField(
        label="The counter notice the action answers", coerce=int, required=False
    )
    court = forms.CharField(
        label="Court",
        max_length=200,
        help_text="e.g. U.S. District Court for the Southern District of New York",
    )
    case_number = forms.CharField(label="Case number", max_length=100)
    filed_on = forms.DateField(label="Date filed", widget=forms.DateInput(attrs={"type": "date"}))
    complaint = forms.FileField(
        label="The complaint (PDF)", required=False, help_text="Optional here; up to 20 MB."
    )

    def __init__(self, *args, counters=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["counter_notice"]
        field.choices = [
            (c.id, f"{c.name or c.subscriber.name}, received {c.received_at:%B %-d, %Y}")
            for c in counters
        ]
        if len(field.choices) > 1:
            field.required = True
            field.error_messages["required"] = "Choose the subscriber the action is against."
        else:
            del self.fields["counter_notice"]  # one counter notice: nothing to choose

    def clean_filed_on(self):
        from django.utils import timezone

        filed_on = self.cleaned_data["filed_on"]
        if filed_on > timezone.localdate():
            raise forms.ValidationError("The filing date cannot be in the future.")
        return filed_on

    def clean_complaint(self):
        complaint = self.cleaned_data.get("complaint")
        if complaint:
            if not complaint.name.lower().endswith(".pdf"):
                raise forms.ValidationError("Attach the complaint as a PDF file.")
            if complaint.size > 20 * 1024 * 1024:
                raise forms.ValidationError("The file can be at most 20 MB.")
        return complaint


class Material(NamedTuple):
    """A reported event as a line of the form: where it was seen, and its files."""

    id: int
    location: str


class HostedCounterNoticeForm(CounterNoticeForm):
    """The same four elements, about what a network notice reported at an address we
    host (a removal request): the customer ticks the reported events it disputes."""

    def __init__(self, material: list[tuple[int, str]], *args, **kwargs):
        super().__init__([], *args, **kwargs)
        self.item_rows = [Material(event_id, line) for event_id, line in material]
        self.fields["items"].label = "The reported material your counter notice is about"
        self.fields["items"].choices = [(str(row.id), row.location) for row in self.item_rows]


class NotMineForm(PlainTextForm):
    reason = forms.CharField(
        label="Why the material is not yours",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: the address was not yours at that time, or the server "
        "holds no such files. Up to 2,000 characters.",
        error_messages={
            "required": "Say why the material is not yours.",
            "max_length": "Keep it to 2,000 characters (it has %(show_value)d).",
        },
    )
