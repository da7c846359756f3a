"""Free-text takedowns: the copyrighted work described in the sender's own words."""

import pytest

from notices.mailbox.reader import read_text

SWORN = """\
I have a good faith belief that use of the material is not authorized by the copyright
owner, its agent, or the law. Under penalty of perjury, the information in this notice is
accurate and I am authorized to act on behalf of the owner.

/s/ Lena Fischer"""


@pytest.mark.parametrize(
    "sentence",
    [
        "Your network hosts our HARBOR server files without a licence.",
        "Every single file in the repository belongs to Examplecorp, Inc.",
        "The code there is the same as my code, I am the copyright owner of the source "
        "code, but they are infringing:",
    ],
    ids=["a name in capitals", "a company owner", "the clause before a turn"],
)
def test_a_vague_description_of_the_senders_own_work_is_the_work(sentence):
    reading = read_text(
        sentence + "\nThe copies to remove:\nhttps://git.example.net/h/harbor\n\n" + SWORN
    )
    assert reading.elements["copyrighted_work"].present
    assert sentence in reading.sources["copyrighted_work"]


def test_an_acronym_of_the_law_names_no_work():
    reading = read_text(
        "This DMCA notice concerns our content.\n\nCopies are hosted at:\n"
        "https://git.example.net/h/harbor\n\n" + SWORN
    )
    assert not reading.elements["copyrighted_work"].present


def test_copyright_works_label_gives_the_title_on_the_next_line():
    reading = read_text(
        "1. Copyright work(s):\n\nHarbor Lights for Beginners\n\n"
        "2. Infringing material found at the following location:\n"
        "https://git.example.net/h/harbor-notebooks\n\n" + SWORN
    )
    assert reading.works == ["Harbor Lights for Beginners"]
