"""What every public form shares (the takedown form, the counter-notice form, the
court-action report): text without control characters, a typed signature, a honeypot, a
telephone number as E.164."""

from django import forms
from django_countries import countries

from .phones import to_e164
from .text import control_character_error

PHONE_ERROR = (
    "This is not a telephone number we can use. Include the country code, "
    "for example +1 212 555 0123."
)


class LongSelect(forms.Select):
    """A select with a long, fixed list of choices (the countries). Its HTML for a value
    and attributes is rendered once per process: rendered one option template at a time,
    the country list took most of the public form's rendering time."""

    _rendered: dict[tuple, str] = {}
    MAX_REMEMBERED = 1000  # values come from visitors' posts: bounded

    def render(self, name, value, attrs=None, renderer=None):
        given = self.build_attrs(self.attrs, attrs)
        key = (name, str(value), tuple(sorted(given.items())), tuple(self.choices))
        html = self._rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._rendered) < self.MAX_REMEMBERED:
                self._rendered[key] = html
        return html


def country_field() -> forms.ChoiceField:
    """The country, chosen from the list (ISO 3166 codes stored), not typed."""
    return forms.ChoiceField(
        label="Country",
        choices=_country_choices,
        required=False,
        widget=LongSelect,
    )


def _country_choices() -> list[tuple[str, str]]:
    # Given as a function: every form instance deep-copies a list of choices (the countries'
    # copies were a third of the time a posted notice took to check), a function it keeps.
    return COUNTRY_CHOICES


COUNTRY_CHOICES = [("", "Choose a country"), *countries]


class PlainTextForm(forms.Form):
    """A public form whose text fields refuse control characters, each with its own error."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                if error := control_character_error(value, multiline=multiline):
                    self.add_error(name, error)
        return data


class SignedPublicForm(PlainTextForm):
    """What every public form has: a typed electronic signature, and a honeypot."""

    signature_name = forms.CharField(
        label="Type your full legal name to sign",
        max_length=200,
        required=False,
        help_text="This is your electronic signature. It must match your name above.",
    )
    # Hidden from people, filled in by naive bots.
    website = forms.CharField(
        required=False,
        max_length=200,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError("This submission looks automated and was not accepted.")
        return ""


def phone_as_e164(form: forms.Form, data: dict) -> None:
    """The form's telephone number written as E.164, read with the country chosen (a
    national number needs one); an error on the field if it is none we can use."""
    if data.get("phone"):
        e164 = to_e164(data["phone"], data.get("country", ""))
        if e164 is None:
            form.add_error("phone", PHONE_ERROR)
        else:
            data["phone"] = e164
