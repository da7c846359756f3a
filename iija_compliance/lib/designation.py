"""The Designated Agent's designation with the Copyright Office, and when it lapses.

A designation expires three years after it was filed or last amended or renewed unless
it is renewed (37 C.F.R. § 201.38(c)(4), 81 FR 75695): the desk warns ahead of that day.
"""

from dataclasses import dataclass
from datetime import date

WARN_DAYS = 60
LIFETIME_YEARS = 3


@dataclass(frozen=True)
class Designation:
    number: str
    filed_on: date | None
    today: date

    @property
    def expires_on(self) -> date | None:
        if self.filed_on is None:
            return None
        try:
            return self.filed_on.replace(year=self.filed_on.year + LIFETIME_YEARS)
        except ValueError:  # filed on February 29: three years on there is none
            return self.filed_on.replace(year=self.filed_on.year + LIFETIME_YEARS, day=28)

    @property
    def days_left(self) -> int | None:
        return None if self.expires_on is None else (self.expires_on - self.today).days

    @property
    def needs_attention(self) -> bool:
        """Unknown, lapsed, or lapsing within WARN_DAYS: renew it or record the renewal."""
        return self.days_left is None or self.days_left <= WARN_DAYS
