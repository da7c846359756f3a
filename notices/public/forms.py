"""The public takedown form: field shapes and limits, mapped onto the statutory elements.

Presence of each element is decided by `statutory.check_notice`, not here; this module
checks formats and limits and files every error under the element it belongs to.
"""

from django import forms
from django.utils.functional import cached_property

from iija_compliance.lib.forms import (
    PlainTextForm,
    SignedPublicForm,
    country_field,
    phone_as_e164,
)
from notices.core import statutory
from notices.core.locations import LocationError, parse_location
from notices.models import ActingAs

MAX_WEB_ITEMS = 1000
MAX_WORKS = 100
MAX_BULK_CHARS = MAX_WEB_ITEMS * 2100

# Which element each form field belongs to, for grouping errors.
FIELD_ELEMENTS = {
    "complainant_name": "contact_information",
    "complainant_organization": "contact_information",
    "acting_as": "signature",
    "street": "contact_information",
    "city": "contact_information",
    "region": "contact_information",
    "postal_code": "contact_information",
    "country": "contact_information",
    "phone": "contact_information",
    "email": "contact_information",
    "locations_bulk": "infringing_material",
    "good_faith_statement": "good_faith_statement",
    "accuracy_statement": "accuracy_statement",
    "signature_name": "signature",
}
# Submission fields named by statutory problems, and the form field that shows each.
PROBLEM_FIELDS = {
    "complainant.name": "complainant_name",
    "complainant.acting_as": "acting_as",
    "complainant.street": "street",
    "complainant.city": "city",
    "complainant.country": "country",
    "complainant.phone": "phone",
    "complainant.email": "email",
    "good_faith_statement": "good_faith_statement",
    "accuracy_statement": "accuracy_statement",
    "signature_name": "signature_name",
}


class WithdrawForm(PlainTextForm):
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeForm(SignedPublicForm):
    complainant_name = forms.CharField(
        label="Your full legal name",
        max_length=200,
        required=False,
        help_text="The person sending this notice. You will sign with this name below.",
    )
    complainant_organization = forms.CharField(
        label="Organization",
        max_length=200,
        required=False,
        help_text="Optional. The company you work for, or the owner you represent.",
    )
    acting_as = forms.ChoiceField(
        label="You are",
        choices=ActingAs.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    street = forms.CharField(label="Street address", max_length=300, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="ZIP or postal code", max_length=20, required=False)
    country = country_field()
    phone = forms.CharField(
        label="Telephone",
        max_length=32,
        required=False,
        help_text="Include the country code if you are outside the country chosen above.",
    )
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        required=False,
        help_text="We send the acknowledgement and your private status link here.",
    )
    locations_bulk = forms.CharField(
        label="Or paste many locations, one per line",
        max_length=MAX_BULK_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    good_faith_statement = forms.BooleanField(label=statutory.GOOD_FAITH_STATEMENT, required=False)
    accuracy_statement = forms.BooleanField(label=statutory.ACCURACY_STATEMENT, required=False)

    def clean_locations_bulk(self) -> list[statutory.Item]:
        lines = [line.strip() for line in self.cleaned_data["locations_bulk"].splitlines()]
        errors, items = [], []
        for number, line in enumerate(lines, start=1):
            if line:
                try:
                    # Each item keeps this reading, so the notice reads every line once.
                    items.append(statutory.Item(line, reading=parse_location(line)))
                except LocationError as exc:
                    errors.append(f"Line {number} (“{line[:60]}”): {exc}")
        if errors:
            raise forms.ValidationError(errors[:20])
        return items

    def clean(self):
        data = super().clean()
        phone_as_e164(self, data)
        return data


class WorkForm(PlainTextForm):
    description = forms.CharField(
        label="Describe the work",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Title, author and kind of work, e.g. “Album ‘Night Roads’ by Jane Roe”.",
    )
    url = forms.URLField(
        label="Where the original can be seen (optional)",
        max_length=2048,
        required=False,
        assume_scheme="https",
    )

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("description", "").strip():
            self.add_error("description", "Describe the work this address points to.")
        return data


class ItemForm(PlainTextForm):
    location = forms.CharField(
        label="Location of the infringing material",
        max_length=2048,
        required=False,
        help_text="A web address, host name, IP address or file path.",
    )
    description = forms.CharField(
        label="Note (optional)",
        max_length=1000,
        required=False,
        help_text="Anything that helps us find it, e.g. a file name or a time code.",
    )

    reading = None  # the location as parse_location read it, for the notice's item

    def clean_location(self) -> str:
        location = self.cleaned_data["location"].strip()
        if location:
            try:
                self.reading = parse_location(location)
            except LocationError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return location

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("location") and not self.has_error("location"):
            self.add_error("location", "Give the location this note is about.")
        return data


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove this row"


WorkFormSet = forms.formset_factory(
    WorkForm,
    formset=RowFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_WORKS,
    absolute_max=MAX_WORKS,
)
ItemFormSet = forms.formset_factory(
    ItemForm,
    formset=RowFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_WEB_ITEMS,
    absolute_max=MAX_WEB_ITEMS,
)


class NoticeIntake:
    """The takedown form with its two repeatable sections, validated as one notice."""

    def __init__(self, data=None, start_from=None):
        """`start_from`: a stored notice whose content fills an unbound form (a revision)."""
        initial = _initial(start_from) if start_from and data is None else {}
        self.form = NoticeForm(data, initial=initial.get("form"))
        self.works = WorkFormSet(data, prefix="works", initial=initial.get("works"))
        self.items = ItemFormSet(data, prefix="items", initial=initial.get("items"))
        self.element_problems: dict[str, list[str]] = {}
        self.extra_errors: list[str] = []  # refusals from the service, after validation

    def is_valid(self) -> bool:
        parts_valid = all([self.form.is_valid(), self.works.is_valid(), self.items.is_valid()])
        submission = self.submission()
        if len(submission.items) > MAX_WEB_ITEMS:
            self._element_problem(
                "infringing_material",
                f"A notice sent through this form can list at most {MAX_WEB_ITEMS:,} "
                f"locations; this one has {len(submission.items):,}. Split it into several "
                "notices, or use the API for large notices.",
            )
        for check in statutory.check_notice(submission):
            for problem in check.problems:
                field = PROBLEM_FIELDS.get(problem.field)
                if field and not self.form.has_error(field):
                    self.form.add_error(field, problem.message)
                elif not field:
                    self._element_problem(check.element.id, problem.message)
        return parts_valid and not self.form.errors and not self.element_problems

    def _element_problem(self, element_id: str, message: str) -> None:
        self.element_problems.setdefault(element_id, []).append(message)

    def submission(self) -> statutory.NoticeSubmission:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}

        def value(name: str) -> str:
            return data.get(name) or ""

        return statutory.NoticeSubmission(
            complainant=statutory.Complainant(
                name=value("complainant_name"),
                organization=value("complainant_organization"),
                acting_as=value("acting_as"),
                street=value("street"),
                city=value("city"),
                region=value("region"),
                postal_code=value("postal_code"),
                country=value("country"),
                phone=value("phone"),
                email=value("email"),
            ),
            works=[
                statutory.Work(form.cleaned_data["description"], form.cleaned_data.get("url") or "")
                for form in self._valid(self.works)
                if form.cleaned_data.get("description")
            ],
            items=self._items(data),
            good_faith_statement=bool(data.get("good_faith_statement")),
            accuracy_statement=bool(data.get("accuracy_statement")),
            signature_name=value("signature_name"),
        )

    def _items(self, data: dict) -> list[statutory.Item]:
        items = [
            statutory.Item(
                form.cleaned_data["location"],
                form.cleaned_data.get("description") or "",
                form.reading,
            )
            for form in self._valid(self.items)
            if form.cleaned_data.get("location")
        ]
        items += data.get("locations_bulk") or []
        # The same location given twice is one item.
        seen, unique = set(), []
        for item in items:
            key = item.read().normalized
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return unique

    @staticmethod
    def _valid(formset) -> list[forms.Form]:
        return [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and not form.errors
        ]

    @cached_property
    def error_groups(self) -> list[tuple[statutory.Element, list[str]]]:
        """Every error, filed under its element in statutory order."""
        grouped: dict[str, list[str]] = {element.id: [] for element in statutory.ELEMENTS}
        for field, errors in self.form.errors.items():
            if field in FIELD_ELEMENTS:
                grouped[FIELD_ELEMENTS[field]] += [self._summary_line(field, e) for e in errors]
        grouped["copyrighted_work"] += _formset_errors(self.works, "Work")
        grouped["infringing_material"] += _formset_errors(self.items, "Location")
        for element_id, messages in self.element_problems.items():
            grouped[element_id] += messages
        return [
            (statutory.ELEMENTS_BY_ID[element_id], messages)
            for element_id, messages in grouped.items()
            if messages
        ]

    def _summary_line(self, field: str, error: str) -> str:
        # A checkbox's label is a whole statement; its error says enough alone.
        if isinstance(self.form.fields[field], forms.BooleanField):
            return error
        return f"{self.form.fields[field].label}: {error}"

    @property
    def general_errors(self) -> list[str]:
        """Errors that belong to no element (the honeypot, say)."""
        return [
            error
            for field, errors in self.form.errors.items()
            if field not in FIELD_ELEMENTS
            for error in errors
        ] + self.extra_errors


def _initial(notice) -> dict:
    form = {
        "complainant_name": notice.complainant_name,
        "complainant_organization": notice.complainant_organization,
        "acting_as": notice.acting_as,
        "street": notice.street,
        "city": notice.city,
        "region": notice.region,
        "postal_code": notice.postal_code,
        "country": str(notice.country or ""),
        "phone": notice.phone,
        "email": notice.email,
    }
    works = [{"description": w.description, "url": w.url} for w in notice.works.all()]
    items = [{"location": i.location, "description": i.description} for i in notice.items.all()]
    return {"form": form, "works": works, "items": items[:MAX_WEB_ITEMS]}


def _formset_errors(formset, noun: str) -> list[str]:
    messages = list(formset.non_form_errors())
    for number, errors in enumerate(formset.errors, start=1):
        for field_errors in errors.values():
            messages += [f"{noun} {number}: {error}" for error in field_errors]
    return messages
