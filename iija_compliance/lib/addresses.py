"""A postal address written on one line, split into its parts.

usaddress (a conditional-random-field tagger trained on US addresses) tags each word; the
split is believed only when it is a whole US address: a street, a city, a state or
territory and a ZIP code, and no word the tagger could not place. Anything else (an
address abroad, a fragment) is not split: a wrong city is worse than an empty one."""

import re
from dataclasses import dataclass

import holidays
import usaddress

# The USPS state and territory codes, and their names (holidays' own table, pinned).
US_STATES = {
    **{code.casefold(): code for code in holidays.US.subdivisions},
    **{name.casefold(): code for name, code in holidays.US.subdivisions_aliases.items()},
}
US_NAMES = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america"}
ZIP_CODE = re.compile(r"\d{5}(?:-\d{4})?")
PLACE = {"PlaceName", "StateName", "ZipCode", "CountryName"}
STREET = {
    "AddressNumber",
    "AddressNumberPrefix",
    "AddressNumberSuffix",
    "BuildingName",
    "OccupancyType",
    "OccupancyIdentifier",
    "StreetName",
    "StreetNamePreDirectional",
    "StreetNamePreModifier",
    "StreetNamePreType",
    "StreetNamePostDirectional",
    "StreetNamePostModifier",
    "StreetNamePostType",
    "SubaddressIdentifier",
    "SubaddressType",
    "USPSBoxGroupID",
    "USPSBoxGroupType",
    "USPSBoxID",
    "USPSBoxType",
}


@dataclass(frozen=True)
class AddressParts:
    street: str
    city: str
    region: str
    postal_code: str
    country: str


def split_address(line: str) -> AddressParts | None:
    """The parts of a one-line US address, or None if it is not one."""
    try:
        tokens = usaddress.parse(line[:300])
    except Exception:  # the tagger refuses some inputs outright (no tokens, odd bytes)
        return None
    labels = {label for _, label in tokens}
    if not labels <= STREET | PLACE or not labels & STREET:
        return None
    parts: dict[str, list[str]] = {}
    for token, label in tokens:
        parts.setdefault(label, []).append(token)

    def part(label: str) -> str:
        return " ".join(parts.get(label, [])).strip(" ,;")

    state = US_STATES.get(part("StateName").casefold().rstrip("."), "")
    country = part("CountryName").casefold()
    if not (part("PlaceName") and state and ZIP_CODE.fullmatch(part("ZipCode"))):
        return None
    if country and country not in US_NAMES:
        return None
    street = " ".join(token for token, label in tokens if label in STREET).strip(" ,;")
    return AddressParts(street, part("PlaceName"), state, part("ZipCode"), "US")
