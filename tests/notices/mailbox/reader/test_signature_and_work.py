"""The signature and the work as the case takes them: the typed name, the work as named."""

import pytest

from notices.mailbox.reader import read_text

BODY = """\
Dear Designated Agent,

Copies of our film are hosted on your network at https://stream.example.net/v/1 and must
be removed. I have a good faith belief that this use is not authorized by the copyright
owner, its agent, or the law. Under penalty of perjury, the information in this notice is
accurate and I am authorized to act on behalf of the owner. You can reach me at
rights@harborline.example or +1 212 555 0100.
"""


@pytest.mark.parametrize(
    ("closing", "signer"),
    [
        ("/s/ Maria Delgado", "Maria Delgado"),
        ("Signed: Maria Delgado", "Maria Delgado"),
        ("Kind regards,\n\nMaria Delgado\nEnforcement Manager", "Maria Delgado"),
        ("Sincerely,\n/s/ Maria Delgado\nHarborline Pictures LLC", "Maria Delgado"),
        ("Maria Delgado, Harborline Pictures LLC", "Maria Delgado"),
    ],
    ids=["/s/", "Signed:", "under the sign-off", "/s/ under the sign-off", "closing name"],
)
def test_the_typed_signature_gives_the_signers_name(closing, signer):
    reading = read_text(BODY + "\n" + closing)
    assert reading.elements["signature"].present
    assert reading.signer == signer


# Typed names the sender wrote in other ways: each with the company or title beside it.
OTHER_SIGNATURES = {
    "/Name/": ("Very truly yours,\n/Maria Delgado/\nVale & Ortiz LLP", "Maria Delgado"),
    "// Name //": ("// Maria Delgado //", "Maria Delgado"),
    "blank lines under the sign-off": (
        "Yours sincerely,\n\n \n\n\n\nMaria Delgado\n\nInternet Investigator",
        "Maria Delgado",
    ),
    "name | title": ("Sincerely,\nMaria Delgado | Partner | Vale & Ortiz LLP", "Maria Delgado"),
    "on behalf of": (
        "Kind regards,\nMaria Delgado (on behalf of Harborline Pictures LLC)",
        "Maria Delgado",
    ),
    "name and web address": (
        "Best regards,\nMaria Delgado  https://harborline.example",
        "Maria Delgado",
    ),
    "Signed, name, company": ("Signed, Maria Delgado, Harborline foundry", "Maria Delgado"),
    "another language": ("Cordialement,\n\nMaria Delgado", "Maria Delgado"),
    "closing word before the name": (
        "Thank you.\n\nTruthfully,\n\n/Maria Delgado/",
        "Maria Delgado",
    ),
    "a form's SIGNATURE heading": (
        "I swear all of this is accurate. SIGNATURE\nName: Maria Delgado\nCountry: US",
        "Maria Delgado",
    ),
    "legal signature with a full-width colon": ("legal signature：Maria Delgado", "Maria Delgado"),
}


@pytest.mark.parametrize(
    ("closing", "signer"), OTHER_SIGNATURES.values(), ids=OTHER_SIGNATURES.keys()
)
def test_a_typed_name_signs_however_it_is_set_out(closing, signer):
    reading = read_text(BODY + "\n" + closing)
    assert reading.elements["signature"].present
    assert reading.signer == signer


@pytest.mark.parametrize(
    "closing",
    [
        "Regards,\n\n\n\nExample Internet Enforcement Team",
        "Sincerely,\nHarborline Pictures LLC | Legal",
        "Best regards,\n\n Legal Department (on behalf of Example Media)",
    ],
    ids=["team", "company | department", "department on behalf of"],
)
def test_a_company_line_still_signs_nothing_however_it_is_set_out(closing):
    reading = read_text(BODY + "\n" + closing)
    assert not reading.elements["signature"].present
    assert reading.signer == ""


def test_i_name_state_is_a_signature():
    reading = read_text("I, Christina Example, wish to state that:\n\n" + BODY)
    assert reading.elements["signature"].present
    assert reading.signer == "Christina Example"


def test_a_company_or_department_sign_off_is_no_signature():
    reading = read_text(BODY + "\nKind Regards,\n\nLegal Department\n\nHarborline Media Corp\n")
    assert not reading.elements["signature"].present
    assert reading.signer == ""


def test_a_redacted_signature_is_present_but_gives_no_name():
    reading = read_text(BODY + "\nSincerely,\n\n[private]\n")
    assert reading.elements["signature"].present
    assert reading.signer == ""


def test_the_work_is_the_labels_value_not_the_label_or_the_authority_sentence():
    reading = read_text(
        "Harborline Agency is authorized to act on behalf of Northlight Pictures LLC, the "
        "copyright owner.\n\nCopyrighted work:\nThe Quiet Harbor (2025), a feature film\n\n"
        + BODY
        + "\n/s/ Maria Delgado"
    )
    assert reading.works == ["The Quiet Harbor (2025), a feature film"]
    assert "Copyrighted work:" in reading.elements["copyrighted_work"].evidence


def test_a_quoted_title_is_the_work():
    reading = read_text(
        'We own the copyright in the motion picture "The Quiet Harbor" (2025).\n\n'
        + BODY
        + "\n/s/ Maria Delgado"
    )
    assert reading.works == ["“The Quiet Harbor” (2025)"]


def test_our_content_alone_names_no_work():
    reading = read_text("This is our content and it is being copied.\n\n" + BODY + "\n/s/ Ann Lee")
    assert not reading.elements["copyrighted_work"].present
    assert reading.works == []


def test_accuracy_without_the_oath_is_not_the_sworn_statement():
    reading = read_text(
        BODY.replace("Under penalty of perjury, the", "The") + "\n/s/ Maria Delgado"
    )
    assert not reading.elements["accuracy_statement"].present


def test_every_finding_carries_the_sentence_that_carries_it():
    reading = read_text(
        'We own the copyright in the motion picture "The Quiet Harbor" (2025).\n\n'
        + BODY
        + "\n/s/ Maria Delgado"
    )
    evidence = {key: finding.evidence for key, finding in reading.elements.items()}
    assert "Quiet Harbor" in evidence["copyrighted_work"]
    assert "stream.example.net" in evidence["infringing_material"]
    assert "good faith" in evidence["good_faith_statement"]
    assert "penalty of perjury" in evidence["accuracy_statement"]
    assert "rights@harborline.example" in evidence["contact_information"]
    assert evidence["signature"] == "/s/ Maria Delgado"
