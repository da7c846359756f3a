"""The case search: what the agent types into the desk's search box, read as the one kind
of value it can be, each kind answered from an index at any number of cases (migration
0010 on PostgreSQL).

- an e-mail address: the complainant's (only for a role that sees personal data);
- a reference or its fragment: `DMCA-2026-000042`, `2026-000042`, `2026-0000`;
- an infringing location: a URL (exactly), an IP address, or a host name with every
  host under it: `nightshare.example` finds `files.nightshare.example`. A public suffix
  (`co.uk`, `github.io`) finds only a host of that very name, not all its subdomains;
- a subscriber's account id (`C-1001`);
- otherwise the start of an organization's name, or any part of a complainant's name
  (a surname).
"""

import re

from django.db.models import Q, QuerySet
from django.db.models.functions import Reverse
from publicsuffixlist import PublicSuffixList

from notices.core.locations import LocationError, parse_location
from notices.models import InfringingItem, Subscriber

REFERENCE = re.compile(r"(DMCA-)?(\d{4}-\d{1,6}|\d{4}-?)", re.IGNORECASE)
E_MAIL = re.compile(r"[^@\s]+@[^@\s]+")
# Names are matched by trigrams: below three characters no index can answer.
SHORTEST_NAME_PART = 3
CASES_AS_A_LIST = 10_000  # a subscriber's cases named one by one up to this many

_public_suffixes = PublicSuffixList()  # the list shipped with the package: no network


def search_cases(cases: QuerySet, term: str, *, personal: bool) -> QuerySet:
    """The cases of `cases` the term finds; `personal` says whether personal fields
    (complainant's name and e-mail) may be searched."""
    term = term.strip()
    if not term:
        return cases
    if E_MAIL.fullmatch(term):
        return cases.filter(email__iexact=term) if personal else cases.none()
    if REFERENCE.fullmatch(term):
        return _by_reference(cases, term)
    items = _items_at(term)
    if items is not None:
        return cases.filter(id__in=items.values("notice_id"))
    accounts = Subscriber.objects.filter(account_id__iexact=term)
    if accounts.exists():
        return _by_subscribers(cases, accounts)
    return cases.filter(_by_name(term, personal))


def _by_subscribers(cases: QuerySet, accounts: QuerySet) -> QuerySet:
    """The subscribers' cases. Taken as a list of ids when there are not too many: as a
    subquery, PostgreSQL plans for an average subscriber's share of all items (50,000 at
    ten million), hashes them against every case and takes 5 s for an account with three."""
    items = InfringingItem.objects.filter(subscriber__in=accounts)
    ids = list(items.values_list("notice_id", flat=True).distinct()[: CASES_AS_A_LIST + 1])
    if len(ids) <= CASES_AS_A_LIST:
        return cases.filter(id__in=ids)
    return cases.filter(id__in=items.values("notice_id"))


def _by_reference(cases: QuerySet, term: str) -> QuerySet:
    term = term.upper()
    if not term.startswith("DMCA-"):
        term = f"DMCA-{term}"
    return cases.filter(reference__istartswith=term)


def _items_at(term: str) -> QuerySet | None:
    """The items at the location the term names, or None if it names none."""
    if "." not in term and ":" not in term:
        return None
    try:
        location = parse_location(term)
    except LocationError:
        return None
    if location.kind in ("url", "path"):
        key = InfringingItem.hash_location(location.normalized)
        return InfringingItem.objects.filter(location_hash=key)
    host = location.host
    if location.kind == "ip" or _public_suffixes.is_public(host):
        return InfringingItem.objects.filter(host=host)
    # Its subdomains: the host reversed begins with the term reversed and a dot, which a
    # btree on reverse(host) answers as a range.
    under = Q(reversed_host__startswith=f".{host}"[::-1])
    return InfringingItem.objects.alias(reversed_host=Reverse("host")).filter(Q(host=host) | under)


def _by_name(term: str, personal: bool) -> Q:
    """An organization by its start; a person by any part of the name (a surname)."""
    matches = Q(complainant_organization__istartswith=term)
    if not personal:
        return matches
    if len(term) < SHORTEST_NAME_PART:
        return matches | Q(complainant_name__istartswith=term)
    return matches | Q(complainant_name__icontains=term)
