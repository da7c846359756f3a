"""What a notice sent to the API must look like, and how it is read: every problem at
once, its shape and the six elements together, filed under the statute's element ids."""

import re
from collections.abc import Iterator
from functools import cache

from django_countries import countries
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from iija_compliance.lib.phones import to_e164
from iija_compliance.lib.text import (
    control_character,
    refuse_control_characters,
    refuse_control_characters_but_line_breaks,
)
from notices.core import statutory
from notices.models import ActingAs

MAX_API_ITEMS = 10_000
MAX_API_WORKS = 1_000
MAX_BATCH = 1_000

# Where a field error belongs among the statute's elements (longest prefix first).
ELEMENT_OF_FIELD = [
    ("complainant.acting_as", "signature"),
    ("complainant", "contact_information"),
    ("works", "copyrighted_work"),
    ("infringing_material", "infringing_material"),
    ("signature", "signature"),
    ("good_faith_statement", "good_faith_statement"),
    ("accuracy_statement", "accuracy_statement"),
]


def _printable(key: str) -> str:
    """A name safe to echo and to store: no control or surrogate characters."""
    return "".join(
        c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "?" for c in key[:100]
    )


def _text(max_length: int, multiline: bool = False, **kwargs):
    return _required(max_length, multiline, required=False, allow_blank=True, default="", **kwargs)


def _required(max_length: int, multiline: bool = False, **kwargs):
    plain = refuse_control_characters_but_line_breaks if multiline else refuse_control_characters
    return serializers.CharField(max_length=max_length, validators=[plain], **kwargs)


# The request's shapes, for the schema and for validate() below (which refuses unknown
# fields and keeps what is valid; DRF's is_valid() would stop at the first bad part).
class AddressSerializer(serializers.Serializer):
    street = _required(300, multiline=True)  # bulk senders' addresses may keep their lines
    city = _required(100)
    region = _text(100)
    postal_code = _text(20)
    country = serializers.ChoiceField(
        choices=[code for code, _ in countries], help_text="ISO 3166-1 alpha-2, e.g. US"
    )


class ComplainantSerializer(serializers.Serializer):
    name = _required(200)
    organization = _text(200)
    acting_as = serializers.ChoiceField(choices=ActingAs.values)
    email = serializers.EmailField(max_length=254)
    phone = _required(32, help_text="With the country code, e.g. +1 212 555 0123")
    address = AddressSerializer()

    def validate(self, data):
        if data.get("phone"):
            e164 = to_e164(data["phone"], (data.get("address") or {}).get("country", ""))
            if e164 is None:
                raise serializers.ValidationError(
                    {"phone": ["Not a telephone number we can use; include the country code."]}
                )
            data["phone"] = e164
        return data


class WorkSerializer(serializers.Serializer):
    description = _required(2000, multiline=True)
    url = serializers.URLField(
        max_length=2048,
        required=False,
        allow_blank=True,
        default="",
        validators=[refuse_control_characters],
    )


class ItemSerializer(serializers.Serializer):
    location = _required(2048, help_text="A URL, host name, IP address or path")
    description = _text(1000, multiline=True)


class SignatureSerializer(serializers.Serializer):
    name = _required(200, help_text="The full name of the person in complainant.name")


class NoticeInputSerializer(serializers.Serializer):
    complainant = ComplainantSerializer()
    works = serializers.ListField(child=WorkSerializer(), min_length=1, max_length=MAX_API_WORKS)
    infringing_material = serializers.ListField(
        child=ItemSerializer(), min_length=1, max_length=MAX_API_ITEMS
    )
    good_faith_statement = serializers.BooleanField(help_text="Must be true: § 512(c)(3)(A)(v)")
    accuracy_statement = serializers.BooleanField(help_text="Must be true: § 512(c)(3)(A)(vi)")
    signature = SignatureSerializer()


def validate(field, data) -> tuple[object, object]:
    """Validate `data` as DRF would, but keep going past the first bad part: returns what
    is valid (partial objects, lists of their valid members; `empty` for nothing) and DRF's
    error detail for the rest (None if there is none), so that the six elements can still
    be checked on the valid parts. A list's length is checked before its members are read.
    """
    try:
        is_empty, value = field.validate_empty_values(data)
    except serializers.ValidationError as exc:
        return empty, exc.detail
    except SkipField:
        return empty, None
    if is_empty:
        return value, None
    if isinstance(field, serializers.Serializer):
        return _validate_object(field, data)
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.Serializer):
        return _validate_list(field, data)
    try:
        return field.run_validation(data), None
    except serializers.ValidationError as exc:
        return empty, exc.detail


def _validate_object(serializer: serializers.Serializer, data) -> tuple[object, object]:
    if not isinstance(data, dict):
        return empty, [f"Expected a JSON object, got {type(data).__name__}."]
    # Unknown fields are refused rather than silently dropped.
    unknown = sorted(set(data) - set(serializer.fields))
    errors = {_printable(key): ["This field is not part of the API."] for key in unknown[:20]}
    values = {}
    for name, field in serializer.fields.items():
        value, error = validate(field, data.get(name, empty))
        if value is not empty:
            values[name] = value
        if error:
            errors[name] = error
    try:
        values = serializer.validate(values)  # written to read partial values too
    except serializers.ValidationError as exc:
        for name, messages in exc.detail.items():
            errors.setdefault(name, []).extend(messages)
    return values, errors or None


def _validate_list(field: serializers.ListField, data) -> tuple[object, object]:
    if not isinstance(data, list):
        return empty, [f"Expected a list, got {type(data).__name__}."]
    try:
        field.run_validators(data)  # its length: a list too long is refused unread
    except serializers.ValidationError as exc:
        return empty, exc.detail
    values, errors = [], {}
    plain = _plain_item if isinstance(field.child, ItemSerializer) else lambda _: None
    for index, member in enumerate(data):
        value = plain(member)
        if value is not None:
            values.append(value)
            continue
        value, error = validate(field.child, member)
        if error:
            errors[index] = error
        else:
            values.append(value)
    return values, errors or None


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _plain_item(member) -> dict | None:
    """An item as ItemSerializer would return it, read without DRF when it is plainly valid
    (as nearly every item of a bulk notice is: DRF took most of a 10,000-item notice's
    time); None for anything else, which DRF then reads and explains."""
    if type(member) is not dict or not set(member) <= {"location", "description"}:
        return None
    location, description = member.get("location"), member.get("description", "")
    if type(location) is not str or type(description) is not str:
        return None
    if not (0 < len(location) <= 2048 and len(description) <= 1000):
        return None
    if location != location.strip() or description != description.strip():
        return None  # DRF trims; its error for a blank location is DRF's to give
    if _SURROGATE_RE.search(location + description) or control_character(location, multiline=False):
        return None
    if control_character(description, multiline=True):
        return None
    return {"location": location, "description": description}


def _flatten(detail, path: str = "") -> Iterator[tuple[str, str]]:
    """DRF's nested error detail as (path, message) pairs, e.g. ("works[2].url", "...")."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            named = f"{path}.{key}" if path else key
            child = f"{path}[{key}]" if isinstance(key, int) else named
            yield from _flatten(value, child)
    else:
        for message in detail if isinstance(detail, list) else [detail]:
            yield path, str(message)


def _submission(values: dict) -> statutory.NoticeSubmission:
    complainant = values.get("complainant") or {}
    address = complainant.get("address") or {}
    return statutory.NoticeSubmission(
        complainant=statutory.Complainant(
            name=complainant.get("name", ""),
            organization=complainant.get("organization", ""),
            acting_as=complainant.get("acting_as", ""),
            street=address.get("street", ""),
            city=address.get("city", ""),
            region=address.get("region", ""),
            postal_code=address.get("postal_code", ""),
            country=address.get("country", ""),
            phone=complainant.get("phone", ""),
            email=complainant.get("email", ""),
        ),
        works=[statutory.Work(w["description"], w["url"]) for w in values.get("works", [])],
        items=[
            statutory.Item(i["location"], i["description"])
            for i in values.get("infringing_material", [])
        ],
        good_faith_statement=values.get("good_faith_statement", False),
        accuracy_statement=values.get("accuracy_statement", False),
        signature_name=(values.get("signature") or {}).get("name", ""),
    )


# Where in the request each submission field named by a statutory problem comes from. A
# problem is not reported when that part already has an error of its shape (an empty
# signature is not also "missing"). Problems with single locations come from valid items.
REQUEST_PATH = {
    "signature_name": "signature",
    "complainant.street": "complainant.address.street",
    "complainant.city": "complainant.address.city",
    "complainant.country": "complainant.address.country",
}
REQUEST_PATH_OF_ELEMENT = {
    "copyrighted_work": "works",
    "infringing_material": "infringing_material",
}
MAX_ERRORS_SHOWN = 100


def read_notice(data: dict) -> tuple[statutory.NoticeSubmission | None, dict[str, list[str]]]:
    """The notice in `data`, or every problem it has at once: its shape and the six
    elements, filed under the element ids (the first hundred of each)."""
    values, detail = validate(_notice_input(), data)
    errors: dict[str, list[str]] = {}
    in_error = set()
    for path, message in _flatten(detail) if detail else ():
        in_error.add(path)
        element = next((e for prefix, e in ELEMENT_OF_FIELD if path.startswith(prefix)), None)
        if element:
            citation = statutory.ELEMENTS_BY_ID[element].citation
            errors.setdefault(element, []).append(f"{citation}: {path}: {message}")
        else:
            errors.setdefault(path or "request", []).append(f"{path}: {message}")
    submission = _submission(values)
    for element_check in statutory.check_notice(submission):
        element = element_check.element
        for problem in element_check.problems:
            if problem.field == "items":
                part = None
            elif problem.field:
                part = REQUEST_PATH.get(problem.field, problem.field)
            else:
                part = REQUEST_PATH_OF_ELEMENT[element.id]
            if part and any(_within(path, part) or _within(part, path) for path in in_error):
                continue
            errors.setdefault(element.id, []).append(f"{element.citation}: {problem.message}")
    return (None if errors else submission), _shortened(errors)


@cache
def _notice_input() -> NoticeInputSerializer:
    """One instance for every request: its fields are copied from the class once instead of
    per request (they are only read while validating)."""
    return NoticeInputSerializer()


def _within(path: str, part: str) -> bool:
    return path == part or path.startswith((f"{part}.", f"{part}["))


def _shortened(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A few screens of errors, not a copy of a huge request: the rest are counted."""
    for messages in errors.values():
        if len(messages) > MAX_ERRORS_SHOWN:
            more = len(messages) - MAX_ERRORS_SHOWN
            messages[MAX_ERRORS_SHOWN:] = [f"… and {more:,} more like these, not listed."]
    return errors
