"""The case list's search box: each kind of value the agent types finds its cases, for the
roles that may search it, and each is answered from an index (migration 0010)."""

import pytest
from django.db import connection
from django.urls import reverse

from notices.core.search import search_cases
from notices.core.statutory import Item
from notices.models import Notice
from tests.factories import subscriber, web_notice
from tests.notices.desk.test_admin import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    subscriber("NS-4471", "Nightshare Hosting", [("domain", "nightshare.example")])
    target = web_notice(
        name="Imani Castellanos",
        signature_name="Imani Castellanos",
        organization="Harbor Lights Pictures Inc",
        email="imani@harbor-lights.example",
        items=[Item("https://files.nightshare.example/season-1.zip")],
    )
    other = web_notice(items=[Item("https://files.other-site.example/x.zip")])
    return target, other


def found(client, term: str, cases) -> set[str]:
    page = client.get(reverse("admin:notices_notice_changelist"), {"q": term}).text
    return {case.reference for case in cases if case.reference in page}


def test_the_search_finds_a_domain_surname_reference_fragment_account_and_e_mail(client, cases):
    target, other = cases
    login(client, "Designated agent")
    fragment = target.reference.removeprefix("DMCA-")  # 2026-000001
    for term in [
        "nightshare.example",
        "NIGHTSHARE.example",
        "files.nightshare.example",
        "Castellanos",
        fragment,
        "NS-4471",
        "ns-4471",
        "Imani@Harbor-Lights.example",
    ]:
        assert found(client, term, cases) == {target.reference}, term
    assert found(client, "other-site.example", cases) == {other.reference}


def test_a_domain_search_finds_no_other_domain_and_no_public_suffix(client, cases):
    login(client, "Designated agent")
    web_notice(items=[Item("https://evilnightshare.example/x")])
    assert found(client, "hare.example", cases) == set()
    # "example" and "github.io" are public suffixes: no site of their own.
    assert found(client, "example", cases) == set()
    assert search_cases(Notice.objects.all(), "evilnightshare.example", personal=True).count() == 1


@pytest.mark.parametrize(
    "role, sees", [("Designated agent", True), ("Legal staff", True), ("Auditor", False)]
)
def test_personal_fields_are_searched_only_for_roles_that_see_them(client, cases, role, sees):
    target, _ = cases
    login(client, role)
    assert (found(client, "Castellanos", cases) == {target.reference}) is sees
    assert (found(client, "imani@harbor-lights.example", cases) == {target.reference}) is sees
    # What every role may see is found by every role.
    assert found(client, "nightshare.example", cases) == {target.reference}
    assert found(client, "NS-4471", cases) == {target.reference}
    assert found(client, target.reference.removeprefix("DMCA-"), cases) == {target.reference}


def test_roles_without_the_desk_cannot_search(client, cases):
    url = reverse("admin:notices_notice_changelist")
    assert client.get(url, {"q": "nightshare.example"}).status_code == 302  # to the login
    login(client, None)
    assert client.get(url, {"q": "nightshare.example"}).status_code == 403


SEARCHES = {
    "nightshare.example": "item_reversed_host_idx",
    "Castellanos": "notice_name_trgm_idx",
    "Harbor Lights": "notice_organization_prefix_idx",
    "2026-000001": "notice_reference_prefix_idx",
    "imani@harbor-lights.example": "notice_email_idx",
}


@pytest.mark.parametrize("term, index", SEARCHES.items())
def test_each_search_is_answered_from_its_index(cases, term, index):
    if connection.vendor != "postgresql":
        pytest.fail("the search indexes are PostgreSQL's: run with PostgreSQL")
    query = search_cases(Notice.objects.order_by(), term, personal=True)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the index count
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
