"""Plain text as people type it: no control characters.

A control character (a bell, an escape sequence, a stray CR in a one-line field) is never
part of a name, an address or a description; kept, it would travel into letters, PDFs and
log viewers. Tabs are allowed, and line breaks where the field takes several lines.
"""

import unicodedata

from django.core.exceptions import ValidationError

ALWAYS_ALLOWED = {"\t"}
LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029"}  # the last two: Unicode's line/paragraph breaks


def control_character(value: str, *, multiline: bool) -> str | None:
    """The first control character of `value` that does not belong, as U+XXXX, or None."""
    allowed = ALWAYS_ALLOWED | (LINE_BREAKS if multiline else set())
    for char in value:
        if char not in allowed and (char in LINE_BREAKS or unicodedata.category(char) == "Cc"):
            return f"U+{ord(char):04X}"
    return None


def control_character_error(value: str, *, multiline: bool) -> str | None:
    found = control_character(value, multiline=multiline)
    if found is None:
        return None
    return f"Remove the control character ({found}) from this text; it cannot be printed."


def refuse_control_characters(value: str) -> None:
    """A validator for one-line fields (the API's serializers)."""
    if error := control_character_error(value, multiline=False):
        raise ValidationError(error)


def refuse_control_characters_but_line_breaks(value: str) -> None:
    if error := control_character_error(value, multiline=True):
        raise ValidationError(error)
