"""§ 512(c)(3)(A) as a table: each element missing, alone and together, flags exactly it."""

from itertools import combinations

import pytest

from notices.core.statutory import Item, Work, check_notice, substantially_complies
from tests.factories import submission

# For each element, a change to a complete notice that removes only that element.
REMOVE = {
    "signature": {"signature_name": ""},
    "copyrighted_work": {"works": []},
    "infringing_material": {"items": []},
    "contact_information": {"phone": ""},
    "good_faith_statement": {"good_faith_statement": False},
    "accuracy_statement": {"accuracy_statement": False},
}
CITATIONS = {
    "signature": "§ 512(c)(3)(A)(i)",
    "copyrighted_work": "§ 512(c)(3)(A)(ii)",
    "infringing_material": "§ 512(c)(3)(A)(iii)",
    "contact_information": "§ 512(c)(3)(A)(iv)",
    "good_faith_statement": "§ 512(c)(3)(A)(v)",
    "accuracy_statement": "§ 512(c)(3)(A)(vi)",
}


def failing(notice) -> set[str]:
    return {check.element.id for check in check_notice(notice) if not check.satisfied}


def test_a_complete_notice_satisfies_all_six_elements():
    checks = check_notice(submission())
    assert [check.element.id for check in checks] == list(CITATIONS)
    assert all(check.satisfied for check in checks)
    assert all(check.evidence for check in checks)


@pytest.mark.parametrize("size", range(1, 7))
def test_each_combination_of_missing_elements_flags_exactly_those(size):
    for missing in combinations(REMOVE, size):
        changes = {}
        for element_id in missing:
            changes.update(REMOVE[element_id])
        assert failing(submission(**changes)) == set(missing), missing


@pytest.mark.parametrize("element_id", list(CITATIONS))
def test_each_element_cites_its_subsection(element_id):
    (check,) = [c for c in check_notice(submission(**REMOVE[element_id])) if not c.satisfied]
    assert check.element.citation == CITATIONS[element_id]
    assert check.problems and all(problem.message for problem in check.problems)


@pytest.mark.parametrize(
    "field, words",
    [
        ("name", "your name"),
        ("street", "a street address"),
        ("city", "a city"),
        ("country", "a country"),
        ("phone", "a telephone number"),
        ("email", "an e-mail address"),
    ],
)
def test_contact_information_names_each_missing_part(field, words):
    (check,) = [c for c in check_notice(submission(**{field: "  "})) if not c.satisfied]
    assert check.element.id == "contact_information"
    assert [p.message for p in check.problems] == [f"Give {words}."]
    assert [p.field for p in check.problems] == [f"complainant.{field}"]


def test_signature_must_match_the_person_sending_ignoring_case_and_spacing():
    assert failing(submission(signature_name="  maria   OKAFOR ")) == set()
    assert failing(submission(signature_name="Someone Else")) == {"signature"}


def test_signer_must_say_whether_owner_or_agent():
    assert failing(submission(acting_as="")) == {"signature"}


def test_blank_descriptions_and_locations_do_not_count():
    notice = submission(works=[Work("   ")], items=[Item("  ")])
    assert failing(notice) == {"copyrighted_work", "infringing_material"}


def test_an_unreadable_location_fails_the_infringing_material_element():
    notice = submission(items=[Item("https://ok.example.com/a"), Item("not a location")])
    (check,) = [c for c in check_notice(notice) if not c.satisfied]
    assert check.element.id == "infringing_material"
    assert "not a location" in check.problems[0].message


@pytest.mark.parametrize(
    "missing, complies",
    [
        ((), True),
        (("signature", "good_faith_statement", "accuracy_statement"), True),
        (("copyrighted_work",), False),
        (("infringing_material",), False),
        (("contact_information",), False),
    ],
)
def test_substantial_compliance_needs_ii_iii_and_iv(missing, complies):
    changes = {}
    for element_id in missing:
        changes.update(REMOVE[element_id])
    assert substantially_complies(check_notice(submission(**changes))) is complies
