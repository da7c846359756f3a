"""§ 512(g)(3) as a table: each requirement missing, alone and together."""

from itertools import combinations

import pytest

from counternotices.statutory import check_counter_notice, consent_statement
from tests.factories import counter_submission

REMOVE = {
    "signature": {"signature_name": ""},
    "material_identification": {"locations": []},
    "mistake_statement": {"mistake_statement": False},
    "consent_to_jurisdiction": {"consent_to_jurisdiction": False},
}
CITATIONS = {
    "signature": "§ 512(g)(3)(A)",
    "material_identification": "§ 512(g)(3)(B)",
    "mistake_statement": "§ 512(g)(3)(C)",
    "consent_to_jurisdiction": "§ 512(g)(3)(D)",
}


def failing(counter) -> set[str]:
    return {c.element.id for c in check_counter_notice(counter) if not c.satisfied}


def test_a_complete_counter_notice_satisfies_all_four():
    checks = check_counter_notice(counter_submission())
    assert [c.element.id for c in checks] == list(CITATIONS)
    assert [c.element.citation for c in checks] == list(CITATIONS.values())
    assert all(c.satisfied for c in checks)


@pytest.mark.parametrize("size", range(1, 5))
def test_each_combination_of_missing_requirements_flags_exactly_those(size):
    for missing in combinations(REMOVE, size):
        changes = {}
        for element_id in missing:
            changes.update(REMOVE[element_id])
        assert failing(counter_submission(**changes)) == set(missing), missing


@pytest.mark.parametrize("field", ["name", "street", "city", "country", "phone"])
def test_name_address_and_telephone_belong_to_the_consent_element(field):
    assert failing(counter_submission(**{field: ""})) == {"consent_to_jurisdiction"}


def test_the_signature_must_match_the_name():
    assert failing(counter_submission(signature_name="Someone Else")) == {"signature"}


def test_a_company_signs_through_a_person_who_acts_for_it():
    company = {"name": "Whitfield Media LLC", "signature_name": "Dana Whitfield"}
    assert failing(counter_submission(**company)) == {"signature"}
    assert failing(counter_submission(**company, signed_for_organization=True)) == set()
    unsigned = {**company, "signature_name": "", "signed_for_organization": True}
    assert failing(counter_submission(**unsigned)) == {"signature"}


def test_consent_follows_the_address():
    us = consent_statement("US")
    assert "Federal District Court for the judicial district in which my address is located" in us
    assert "accept service of process" in us
    abroad = consent_statement("DE")
    assert "outside the United States" in abroad
    assert "any judicial district in which IIJ America Inc. may be found" in abroad
    assert "Southern District of New York" in abroad
    assert "accept service of process" in abroad


# § 512(g)(3)(D): the district of the subscriber's address, "or if the subscriber's address
# is outside of the United States, for any judicial district in which the service provider
# may be found". 17 U.S.C. § 101 counts Puerto Rico and the organized territories as the
# United States.
@pytest.mark.parametrize(
    "country, own_district",
    [
        ("US", True),
        ("PR", True),  # Commonwealth of Puerto Rico
        ("GU", True),  # Guam
        ("VI", True),  # U.S. Virgin Islands
        ("MP", True),  # Northern Mariana Islands
        ("AS", False),  # American Samoa: unorganized, no federal district court
        ("UM", False),
        ("CA", False),
        ("DE", False),
    ],
)
def test_which_addresses_consent_to_their_own_district(country, own_district):
    statement = consent_statement(country)
    assert ("judicial district in which my address is located" in statement) is own_district
    assert ("My address is outside the United States" in statement) is not own_district
