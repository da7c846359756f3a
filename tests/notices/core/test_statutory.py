"""§ 512(c)(3)(A) as a table: each element missing, alone and together, flags exactly it."""

from itertools import combinations

import pytest

from notices.core.statutory import (
    Item,
    Work,
    check_notice,
    substantial_gaps,
    substantially_complies,
)
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
        (("contact_information",), True),  # the form's missing telephone: not the statute's
    ],
)
def test_substantial_compliance_needs_ii_iii_and_iv(missing, complies):
    changes = {}
    for element_id in missing:
        changes.update(REMOVE[element_id])
    assert substantially_complies(submission(**changes)) is complies
    assert not substantially_complies(submission(**{**changes, **NO_CONTACT_AT_ALL}))


NO_CONTACT_AT_ALL = {"street": "", "phone": "", "email": ""}


# § 512(c)(3)(A)(iv): "information reasonably sufficient to permit the service provider to
# contact the complaining party, such as an address, telephone number, and, if available,
# an electronic mail address". Which ways of contact satisfy it, per channel: our forms
# ask for all of them; a notice that came as a letter needs any one.
NO_CONTACT = {"street": "", "city": "", "country": "", "phone": "", "email": ""}
CONTACT_TABLE = [
    # channel, what the sender gave, satisfied
    ("web", {}, True),
    ("web", {"email": ""}, False),
    ("api", {"phone": ""}, False),
    ("post", {**NO_CONTACT, "street": "12 Quay Street, Portland ME 04101"}, True),
    ("post", {**NO_CONTACT, "phone": "+12075550100"}, True),
    ("post", {"email": ""}, True),  # street address and telephone, no e-mail
    ("email", {**NO_CONTACT, "email": "rights@example.com"}, True),
    ("fax", {**NO_CONTACT, "phone": "+12075550100"}, True),
    ("post", NO_CONTACT, False),
    ("email", {**NO_CONTACT, "name": ""}, False),
]


@pytest.mark.parametrize("channel, given, satisfied", CONTACT_TABLE)
def test_which_ways_of_contact_satisfy_iv_per_channel(channel, given, satisfied):
    notice = submission(channel=channel, **given)
    assert ("contact_information" not in failing(notice)) is satisfied


def test_a_letter_without_e_mail_is_told_to_go_by_post():
    (check,) = [
        c
        for c in check_notice(submission(channel="post", email=""))
        if c.element.id == "contact_information"
    ]
    assert check.satisfied
    assert check.advice == ["No e-mail address: letters to the sender go by post."]


# § 512(c)(3)(A)(i): "a physical or electronic signature of a person authorized to act on
# behalf of the owner". Equal to the sender's name, owner or agent declared: our forms'
# checks, advice on a letter.
SIGNATURE_TABLE = [
    ("web", {"signature_name": "Someone Else"}, False, 0),
    ("web", {"acting_as": ""}, False, 0),
    ("email", {"signature_name": "Someone Else"}, True, 1),
    ("post", {"acting_as": ""}, True, 1),
    ("fax", {"signature_name": "Someone Else", "acting_as": ""}, True, 2),
    ("post", {"signature_name": ""}, False, 0),
]


@pytest.mark.parametrize("channel, changes, satisfied, advice", SIGNATURE_TABLE)
def test_signature_checks_are_advice_on_a_notice_that_came_as_a_letter(
    channel, changes, satisfied, advice
):
    (check,) = [
        c
        for c in check_notice(submission(channel=channel, **changes))
        if c.element.id == "signature"
    ]
    assert check.satisfied is satisfied
    assert len(check.advice) == advice


def test_one_unreadable_line_among_many_locations_does_not_fail_a_letter():
    """(iii): information "reasonably sufficient to permit the service provider to locate
    the material": the located items are acted on, the other is listed as not located."""
    items = [Item(f"https://files.example.com/{n}.zip") for n in range(999)]
    notice = submission(channel="email", items=[*items, Item("files.example.com/a b.zip")])
    (check,) = [c for c in check_notice(notice) if c.element.id == "infringing_material"]
    assert check.satisfied
    assert "999 located, 1 not located" in check.evidence
    assert check.advice == [
        "Not located: “files.example.com/a b.zip”: " + check.advice[0].split(": ", 2)[2]
    ]
    assert substantially_complies(notice)


def test_a_letter_with_no_locatable_item_fails_iii():
    notice = submission(channel="post", items=[Item("the usual place")])
    assert failing(notice) == {"infringing_material"}
    assert [gap.element.id for gap in substantial_gaps(notice)] == ["infringing_material"]


def test_substantial_compliance_reads_the_statute_not_the_form():
    """A web notice's form asks for every way of contact; the statute asks for one."""
    notice = submission(channel="web", email="", phone="")
    assert failing(notice) == {"contact_information"}
    assert substantially_complies(notice)
