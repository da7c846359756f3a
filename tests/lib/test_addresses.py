"""One-line addresses split into their parts only when they are whole US addresses."""

import pytest

from iija_compliance.lib.addresses import AddressParts, split_address


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        (
            "55 East 59th Street, Suite 18C, New York, NY 10022",
            AddressParts("55 East 59th Street, Suite 18C", "New York", "NY", "10022", "US"),
        ),
        (
            "27 Linden Court, Oakland, California 94610-1234, USA",
            AddressParts("27 Linden Court", "Oakland", "CA", "94610-1234", "US"),
        ),
        (
            "PO Box 123, Springfield, IL 62701",
            AddressParts("PO Box 123", "Springfield", "IL", "62701", "US"),
        ),
        (
            "1 Calle Luna, San Juan, PR 00901",
            AddressParts("1 Calle Luna", "San Juan", "PR", "00901", "US"),
        ),
    ],
)
def test_a_us_address_is_split(line, parts):
    assert split_address(line) == parts


@pytest.mark.parametrize(
    "line",
    [
        "10 Downing Street, London SW1A 2AA, United Kingdom",
        "Friedrichstraße 123, 10117 Berlin, Germany",
        "1 Rue de Rivoli, 75001 Paris, France",
        "27 Linden Court, Oakland, CA",  # no ZIP code: a guess, not an address
        "call me on the number below",
        "",
    ],
)
def test_anything_else_is_not_split(line):
    assert split_address(line) is None
