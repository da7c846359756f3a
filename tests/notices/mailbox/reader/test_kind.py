"""What a message is: a notice, or a text about notices. One invented text per rule."""

import pytest

from notices.mailbox.reader import read_text

TAKEDOWN_STATEMENTS = """\
I have a good faith belief that use of the material is not authorized by the copyright
owner, its agent, or the law. Under penalty of perjury, the information in this notice is
accurate and I am authorized to act on behalf of the owner.

/s/ Lena Fischer"""

# Each of these only talks about notices, answers one, or concerns another right.
NOT_NOTICES = {
    "instructions": """\
How to answer a takedown

If you believe your video was removed by mistake, you can send a counter notification.
Your counter notification must include your name, address and telephone number. You will
need to include a statement that you consent to the jurisdiction of the federal court.
You should also include the following statement:
"I swear, under penalty of perjury, that I have a good faith belief that the material was
removed or disabled as a result of mistake or misidentification."
""",
    "blank form": """\
Copyright complaint form
- [ ] I am the copyright owner or authorized to act for the owner
- [ ] I have a good faith belief that the use is not authorized by the owner or the law
Work: ______________________
Infringing URL: ____________________
""",
    "provider reply": """\
Hi there,

Your DMCA notice has been received and reviewed. We have disabled access to the
allegedly infringing material at https://blog.example.net/2026/harbor-photos and
notified the user.

Thanks, the Trust team
""",
    "transparency prose": """\
Transparency report, first half of 2026

In the first half of 2026 we received 412 copyright takedown notices and complied with
71% of them. Requests we received from agencies made up most of the total; 9% were
rejected as incomplete.
""",
    "trademark demand": """\
Dear Sir or Madam,

We own the registered trademark NORTHWIND and the Northwind logo. The store at
https://northwind-outlet.example.shop/ uses our trademark and brand name to sell
counterfeit goods, which is likely to cause confusion. Please take this store down under
your DMCA and trademark policy.

Regards, Brand Protection, Northwind AG
""",
    "privacy request": """\
To whom it may concern,

Under Article 17 of the GDPR I request the erasure of my personal data: my photograph and
home address appear at https://people.example.org/profile/8812 without my consent.
This is a privacy matter; please remove my personal information.

Ola Nordmann
""",
    "abuse report": """\
Phishing report

The page at https://login-secure.example.top/verify is a phishing page that imitates a
bank and collects passwords. It is hosted on your network; spam e-mails link to it.
Please take it down.
""",
    "court action": """\
Dear Designated Agent,

Regarding the counter notice filed by the user of https://files.example.net/a/99, we
have filed an action seeking a court order to restrain the subscriber from engaging in
infringing activity, in the District Court for the Southern District of New York.
Please do not restore the material.

Mira Jansen, Counsel
""",
}


@pytest.mark.parametrize("text", NOT_NOTICES.values(), ids=NOT_NOTICES.keys())
def test_a_text_about_notices_is_other_and_says_why(text):
    reading = read_text(text)
    assert reading.kind == "other"
    assert reading.kind_evidence  # the sentence (or words) that decided it
    assert reading.infringing == []


def test_a_takedown_that_mentions_a_trademark_once_is_still_a_takedown():
    reading = read_text(
        'Our novel "The Salt Road" is copied at https://books.example.net/salt-road.pdf; '
        "the copyright is ours (the title is also our trademark). Please remove it.\n\n"
        + TAKEDOWN_STATEMENTS
    )
    assert reading.kind == "takedown"
    assert reading.infringing == ["https://books.example.net/salt-road.pdf"]


# § 512(g)(3) in the words people use.
COUNTERS = [
    """\
Hello, my repository https://code.example.org/ana/plotkit was disabled. I swear under
penalty of perjury that I have a good faith belief it was removed as a result of a
misidentification, as the code is my own. I consent to the jurisdiction of the Federal
District Court for my district and will accept service of process from the complainant.
Ana Souza, 12 Rua Exemplo, Lisboa, +351 210 000 000""",
    """\
Please put back my video https://video.example.net/v/5531. It was taken down by mistake;
I have a good faith belief of that, under penalty of perjury. I agree to the jurisdiction
of the federal court in my district and to accept service of process.
/s/ Tom Berg""",
    """\
DMCA Counter-Notification

I am writing about the removal of my page https://pages.example.com/tberg/essay. The
complaint is wrong: the essay is mine, written in 2019, and I ask you to restore it.

Tom Berg""",
]


@pytest.mark.parametrize("text", COUNTERS, ids=["misidentification", "put back", "titled"])
def test_counter_notices_in_free_text(text):
    reading = read_text(text)
    assert reading.kind == "counter_notice"
    assert reading.kind_evidence


RETRACTIONS = [
    "We withdraw our DMCA notice of 3 March about https://files.example.net/a/1.\nThanks.",
    "Hi, please disregard my earlier takedown request.\nThe matter has been settled.",
    "We hereby rescind the takedown notice sent on 2 May.\n\nJo Smith, Example Films",
    "We no longer request the removal of https://media.example.org/clip/7. Regards, Ivy Lane",
    "I retract the counter notice I submitted for my repository.\n\nAna Souza",
]


@pytest.mark.parametrize("text", RETRACTIONS, ids=lambda t: t[:24])
def test_retractions_in_free_text(text):
    assert read_text(text).kind == "retraction"


def test_no_longer_wanting_to_share_is_not_a_retraction():
    text = (
        "I am the author of https://code.example.org/lee/engine and no longer want to share "
        "this code. The copy at https://mirror.example.net/engine infringes my copyright; "
        "please remove it.\n\n" + TAKEDOWN_STATEMENTS
    )
    assert read_text(text).kind == "takedown"


# The body of a mail whose notice travels as an attachment (the mailbox reads those).
COVER_NOTES = [
    "Please see the attached notice of infringement, sent on behalf of Example Games Inc.\n\n"
    "Rowan Vale | Vale & Ortiz LLP | 1 Example Plaza, Los Angeles, CA 90067",
    "Hello,\n\nAttached please find our DMCA takedown notice concerning "
    "https://code.example.org/kit/engine.\n\nBest regards,\nIvy Lane",
    "Our copyright complaint is in the enclosed PDF.\nThanks, Jo Smith",
]


@pytest.mark.parametrize("text", COVER_NOTES, ids=["see attached", "with a URL", "enclosed"])
def test_a_cover_note_is_no_notice_and_says_the_notice_is_attached(text):
    reading = read_text(text)
    assert reading.kind == "other"
    assert reading.cover_note
    assert reading.kind_evidence.startswith("A cover note: the notice is in an attachment.")


def test_a_notice_that_attaches_a_power_of_attorney_is_still_a_takedown():
    text = (
        "The copy of our game at https://files.example.net/g/salt.zip infringes our "
        "copyright; please remove it. Please find our power of attorney letter attached.\n\n"
        + TAKEDOWN_STATEMENTS
    )
    reading = read_text(text)
    assert reading.kind == "takedown"
    assert not reading.cover_note
