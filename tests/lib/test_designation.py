"""The designation lapses three years after filing (81 FR 75695); the desk warns 60 days ahead."""

from datetime import date

import pytest

from iija_compliance.lib.designation import Designation


@pytest.mark.parametrize(
    "filed_on, today, expires_on, warn",
    [
        (date(2024, 5, 1), date(2026, 11, 30), date(2027, 5, 1), False),
        (date(2024, 1, 30), date(2026, 11, 30), date(2027, 1, 30), False),  # 61 days left
        (date(2024, 1, 29), date(2026, 11, 30), date(2027, 1, 29), True),  # 60 days left
        (date(2023, 11, 1), date(2026, 11, 30), date(2026, 11, 1), True),  # lapsed
        (date(2024, 2, 29), date(2026, 11, 30), date(2027, 2, 28), False),
        (None, date(2026, 11, 30), None, True),  # never recorded
    ],
)
def test_expiry_and_warning(filed_on, today, expires_on, warn):
    designation = Designation("DMCA-1000000", filed_on, today)
    assert designation.expires_on == expires_on
    assert designation.needs_attention is warn
