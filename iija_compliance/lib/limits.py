"""Per-address limits on the public forms.

What is limited is what was filed: a rights holder who corrects a refused form again and
again has filed nothing, and must not be turned away for it. Every attempt is counted
too, under a looser limit, so that a flood of posts (valid or not) is still refused.
The counters live in the shared cache; if it cannot be read, the limits let requests in
(RATELIMIT_FAIL_OPEN): a notice turned away is worse than a missed count.
"""

from django.http import HttpRequest
from django_ratelimit.core import get_usage


def submission_refusal(request: HttpRequest, group: str, filed_rate: str, attempt_rate: str) -> str:
    """Count this attempt; "" if it may go on, otherwise why not ("attempts" or "filed")."""
    attempts = get_usage(
        request, group=f"{group}-attempt", key="ip", rate=attempt_rate, increment=True
    )
    if attempts and attempts["should_limit"]:
        return "attempts"
    filed = get_usage(request, group=f"{group}-filed", key="ip", rate=filed_rate)
    if filed and filed["count"] >= filed["limit"]:
        return "filed"
    return ""


def count_filed(request: HttpRequest, group: str, filed_rate: str) -> None:
    """Count one submission that was stored, against `filed_rate`."""
    get_usage(request, group=f"{group}-filed", key="ip", rate=filed_rate, increment=True)
