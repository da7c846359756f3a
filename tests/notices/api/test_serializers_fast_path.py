"""Items read without DRF when plainly valid: the same value DRF gives, and anything else
left to DRF (which explains what is wrong)."""

import pytest
from rest_framework.fields import empty

from notices.api import serializers
from notices.api.serializers import ItemSerializer, validate

MEMBERS = [
    {"location": "https://files.example-host.net/a.mkv", "description": "full film"},
    {"location": "https://files.example-host.net/a.mkv"},
    {"location": "198.51.100.23", "description": "two\nlines"},
    {"location": " https://cdn.example/padded ", "description": "x"},
    {"location": "https://cdn.example/x", "description": " padded "},
    {"location": ""},
    {"location": "   "},
    {"location": "x" * 2049},
    {"location": "https://cdn.example/x", "description": "d" * 1001},
    {"location": "https://cdn.example/\x07bell"},
    {"location": "https://cdn.example/x", "description": "tab\tand\x1bescape"},
    {"location": "https://cdn.example/\ud800"},
    {"location": "https://cdn.example/\x00"},
    {"location": 42},
    {"location": None},
    {"location": "https://cdn.example/x", "colour": "red"},
    {"description": "no location"},
    ["https://cdn.example/x"],
    "https://cdn.example/x",
]


@pytest.mark.parametrize("member", MEMBERS)
def test_an_item_read_without_drf_is_read_as_drf_reads_it(member):
    fast = serializers._plain_item(member)
    value, error = validate(ItemSerializer(), member)
    if fast is not None:
        assert (fast, error) == (value, None)
    else:
        assert error is not None or value is not empty  # DRF reads it, and explains


def test_the_plain_items_are_the_common_ones():
    assert [serializers._plain_item(m) is not None for m in MEMBERS[:3]] == [True] * 3
    assert not any(serializers._plain_item(m) for m in MEMBERS[3:])
