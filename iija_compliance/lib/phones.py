"""Telephone numbers, read with Google's libphonenumber rules (the `phonenumbers` package)."""

import phonenumbers


def to_e164(number: str, country: str = "") -> str | None:
    """The number in international form (+12125550123), or None if it is not a real one.

    `country` (ISO 3166-1 alpha-2) is where a number without a country code is read."""
    try:
        parsed = phonenumbers.parse(number, country.upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
