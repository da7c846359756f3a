"""Free-text takedowns: the sender's own words mark which URLs are the material to remove."""

from notices.mailbox.reader import read_text

SWORN = """\
I have a good faith belief that use of the material is not authorized by the copyright
owner, its agent, or the law. Under penalty of perjury, the information in this notice is
accurate and I am authorized to act on behalf of the owner.

/s/ Lena Fischer"""


def test_urls_under_link_to_infringement_are_the_material_not_the_work_above():
    reading = read_text(
        "Original Work Infringed:\n\nHarbor Lights, 3rd Edition, Fischer\n\n"
        "Link to Infringement:\n\nhttps://files.example.net/u/7/harbor-lights.pdf\n"
        "https://files.example.net/u/9/harbor-lights-3e.pdf\n\n" + SWORN
    )
    assert reading.infringing == [
        "https://files.example.net/u/7/harbor-lights.pdf",
        "https://files.example.net/u/9/harbor-lights-3e.pdf",
    ]
    assert reading.elements["infringing_material"].present


def test_the_clause_after_but_labels_the_urls_under_it():
    reading = read_text(
        "The code there is the same as my code, I am the copyright owner of the source code, "
        "but they are infringing:\n\nhttps://git.example.net/bob/engine\n"
        "https://git.example.net/carol/engine\n\n" + SWORN
    )
    assert reading.infringing == [
        "https://git.example.net/bob/engine",
        "https://git.example.net/carol/engine",
    ]


def test_reposted_code_is_the_material_even_when_the_sentence_says_our_source_code():
    reading = read_text(
        "On 4 May I discovered that a former contractor has reposted our source code at:\n"
        "https://git.example.net/former/harbor-app\n\n" + SWORN
    )
    assert reading.infringing == ["https://git.example.net/former/harbor-app"]


def test_the_url_where_my_work_is_infringed_is_the_material():
    reading = read_text(
        "1. The copyrighted work at issue is the text that appears on:\n"
        "https://quiz.example.org/hundred-questions\n\n"
        "2. The URLs where my copyrighted work is being infringed upon include:\n"
        "https://git.example.net/eve/quiz/blob/main/questions.txt\n\n" + SWORN
    )
    assert reading.infringing == ["https://git.example.net/eve/quiz/blob/main/questions.txt"]


def test_the_url_at_which_a_user_published_our_content_is_the_material():
    reading = read_text(
        "One of your users is posting portions of our assessment questions. The URL at "
        "which this user has published our copyrighted content is:\n\n"
        "https://git.example.net/frank/katas/blob/main/Prime.java\n\n" + SWORN
    )
    assert reading.infringing == ["https://git.example.net/frank/katas/blob/main/Prime.java"]
