"""The notice reader: kind, statutory elements, URLs and which URLs are the material.

Every fixture below was written for these tests (invented senders, example domains)."""

import email
import email.policy
import json
import re
from email.message import EmailMessage

import pytest

from notices.mailbox.reader import (
    COUNTER_ELEMENTS,
    MAX_LOCATIONS,
    TAKEDOWN_ELEMENTS,
    read_message,
    read_text,
)
from notices.mailbox.reader.layout import READ_MAX_CHARS
from notices.mailbox.reader.message import (
    MAX_HEADER_CHARS,
    header,
    html_to_text,
    parse_message,
    sender_address,
)

STUDIO = """\
Subject: Notice of Copyright Infringement - Ref. NR-77120

Dear Designated Agent,

I write on behalf of Northlight Pictures LLC, the owner of the exclusive rights in the
motion picture "The Quiet Harbor" (2025). Our original work is located at our site:
https://www.northlightpictures.example/films/quiet-harbor

The following URLs are hosted on your network and offer unauthorized copies of the film:

1. https://streamvault.example.net/watch/quiet-harbor-2025-1080p
2. https://streamvault.example.net/watch/quiet-harbor-2025-720p
3. http://filedrop.example.org/f/8813/The.Quiet.Harbor.2025.mkv
4. https://cdn4.filedrop.example.org/dl/quiet_harbor(2025).mp4
5. https://mirror.example.com/movies/quiet-harbor/

The same files are also served from these IP addresses:
- 203.0.113.17
- 198.51.100.44

I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.

The information in this notification is accurate, and under penalty of perjury, I am
authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.

You can reach me at enforcement@northlight-agent.example or +1 (310) 555-0142.
Northlight Agency, 1200 Sunset Boulevard, Suite 400, Los Angeles, CA 90028

/s/ Maria Delgado
Maria Delgado, Enforcement Manager
"""

PHOTOGRAPHER = """\
hi there,

my name is Tom Whitfield, i'm a landscape photographer. somebody took my photo
"Fog over Glen Etive" and put it on a blog that is on your servers, without asking me.
my original is on my portfolio here: https://tomwhitfield-photo.example/gallery/glen-etive

the copy is here: https://wanderblog.example.info/2026/03/scotland-trip/ (third picture).
please remove it.

I believe in good faith that this use is not authorized by me, my agent or the law.
I swear under penalty of perjury that this is accurate and that I am the copyright owner.

thanks,
Tom Whitfield
tom.whitfield@mailbox.example
07700 900123
"""

VENDOR = """\
NOTICE OF INFRINGEMENT (automated report 2026-04-11, case 55-1903)

To the copyright agent of the hosting provider,

We are the authorized agent of Kestrel Books Ltd. The copyrighted works are the novels
"Salt Roads" and "The Lantern Keeper" by A. R. Moss, published by Kestrel Books.
Official product page: https://kestrelbooks.example/titles/salt-roads

We have identified the following infringing copies on your service:

| Title | Infringing URL | Detected |
|---|---|---|
| Salt Roads | https://ebookshare.example.net/dl/salt-roads.epub | 2026-04-10 |
| Salt Roads | https://ebookshare.example.net/dl/salt-roads.pdf | 2026-04-10 |
| The Lantern Keeper | https://ebookshare.example.net/dl/lantern_keeper.epub | 2026-04-11 |

We have a good faith belief that the use of the material described above is not
authorized by the copyright owner, its agent, or the law. We declare under penalty of
perjury that the information in this notice is accurate and that we are authorized to
act on behalf of the copyright owner.

More about how we work: https://www.lumendatabase.org/topics/14

Sincerely,
Anti-Piracy Operations, Quillguard Ltd
Electronic signature: /s/ Priya Raman
Quillguard Ltd, 8 Harbour Street, Leith, Edinburgh EH6 6QB, United Kingdom
Phone: +44 131 496 0018 | Email: notices@quillguard.example
"""

SOFTWARE = """\
To: copyright@iij-america.com
Re: DMCA takedown request - leaked source code

Kodiak Systems, Inc. owns the copyright in the Kodiak Ledger accounting software,
including its server source code (registration TX 9-123-456).

A customer of yours is distributing a copy of our source code, and the offending
archive is available at https://files.example-host.net/share/kodiak-ledger-src.zip
as well as at https://git.example-host.net/anon/ledger-server. Please disable access
to both locations. Our DMCA policy reading is based on
https://www.iij-america.com/policy/copyright and https://www.copyright.gov/512/.

I have a good faith belief that the use described above is not authorized by Kodiak
Systems, its agent, or the law. I state, under penalty of perjury, that this notice is
accurate and that I am authorized to act on behalf of Kodiak Systems, Inc.

Jane Okafor
General Counsel, Kodiak Systems, Inc.
44 Mill Road, Portland, OR 97201
jokafor@kodiak-systems.example | 503-555-0190
"""

COUNTER = """\
Counter notification under 17 U.S.C. 512(g)

My page https://members.example-host.net/~lina/recipes/ was disabled after a notice
(your reference DMCA-2026-000042). I wrote and photographed every recipe myself.

I swear, under penalty of perjury, that I have a good faith belief that the material was
removed or disabled as a result of a mistake or misidentification of the material.

I consent to the jurisdiction of the Federal District Court for the judicial district in
which my address is located, and I will accept service of process from the person who
provided the notification or an agent of that person.

Lina Haddad, 19 Cedar Lane, Ann Arbor, MI 48104, +1 734 555 0111

/s/ Lina Haddad
"""

RETRACTION = """\
Hello,

Regarding our notice DMCA-2026-000107 about https://mirror.example.com/movies/quiet-harbor/:
the site owner has now obtained a license from our client. We hereby withdraw our notice
and no longer request removal of this material. Please restore access.

Best regards,
Maria Delgado
"""

POLICY_PAGE = """\
# Copyright policy

We respect the intellectual property of others. If you believe that your work has been
copied in a way that constitutes copyright infringement, send a notice to our designated
agent. Your notice must include:

- a physical or electronic signature of the owner or a person authorized to act for them;
- a description of the copyrighted work that you claim has been infringed;
- the URL of the material you want removed;
- your address, telephone number and e-mail address;
- a statement that you have a good faith belief that the use is not authorized by the
  copyright owner, its agent, or the law;
- a statement, under penalty of perjury, that the information is accurate.

Our agent: Copyright Agent, copyright@provider.example. We terminate the accounts of
repeat infringers in appropriate circumstances. See https://provider.example/legal/terms.
"""

GUIDE = """\
How to write a DMCA takedown notice (a step-by-step guide)

Step 1: find the hosting provider of the site that copies your work.
Step 2: write an e-mail to its agent with the URLs of the copies and of your original.
Step 3: add the good faith statement and the statement under penalty of perjury, and sign.
This guide explains each element; see https://blog.example.org/dmca-guide for templates.
"""

TRADEMARK = """\
Dear Sir or Madam,

We represent Brightwater Outdoor GmbH, owner of the registered trademark BRIGHTWATER.
The website https://brightwater-sale.example.shop/ sells counterfeit jackets under our
brand name and logo. Please remove this website from your network.

Regards,
Legal Department, Brightwater Outdoor GmbH
"""

AUTO_REPLY = """\
Thank you for your message. I am out of the office until Monday 4 May with limited access
to e-mail. For urgent copyright matters please write to legal@vendor.example; otherwise I
will respond when I return.
"""

TEMPLATE = """\
To: [AGENT NAME]

I, [YOUR NAME], am the owner of the copyrighted work described as [DESCRIPTION OF WORK].
The infringing material is located at <insert URL>.

I have a good faith belief that use of the material is not authorized by the copyright
owner, its agent, or the law. Under penalty of perjury, the information is accurate and
I am authorized to act on behalf of the owner.

Signed: [SIGNATURE]
Address: [ADDRESS], phone: [PHONE]
"""


def _all_present(reading, ids):
    missing = [key for key in ids if not reading.elements[key].present]
    assert not missing, missing
    for key in ids:
        assert reading.elements[key].evidence, key
        assert len(reading.elements[key].evidence) <= 300


def test_studio_agent_with_urls_and_ips():
    reading = read_text(STUDIO)
    assert reading.kind == "takedown"
    _all_present(reading, TAKEDOWN_ELEMENTS)
    assert reading.urls == [
        "https://www.northlightpictures.example/films/quiet-harbor",
        "https://streamvault.example.net/watch/quiet-harbor-2025-1080p",
        "https://streamvault.example.net/watch/quiet-harbor-2025-720p",
        "http://filedrop.example.org/f/8813/The.Quiet.Harbor.2025.mkv",
        "https://cdn4.filedrop.example.org/dl/quiet_harbor(2025).mp4",
        "https://mirror.example.com/movies/quiet-harbor/",
    ]
    assert reading.infringing == reading.urls[1:] + ["203.0.113.17", "198.51.100.44"]
    assert "good faith belief" in reading.elements["good_faith_statement"].evidence
    assert "perjury" in reading.elements["accuracy_statement"].evidence
    assert "/s/ Maria Delgado" in reading.elements["signature"].evidence
    assert reading.contact["email"] == "enforcement@northlight-agent.example"
    assert reading.contact["phone"] == "+1 (310) 555-0142"
    assert "Sunset Boulevard" in reading.contact["address"]
    assert reading.works


def test_photographer_writing_informally():
    reading = read_text(PHOTOGRAPHER)
    assert reading.kind == "takedown"
    _all_present(reading, TAKEDOWN_ELEMENTS)
    assert reading.urls == [
        "https://tomwhitfield-photo.example/gallery/glen-etive",
        "https://wanderblog.example.info/2026/03/scotland-trip/",
    ]
    assert reading.infringing == ["https://wanderblog.example.info/2026/03/scotland-trip/"]
    assert reading.contact["email"] == "tom.whitfield@mailbox.example"
    assert "Tom Whitfield" in reading.elements["signature"].evidence


def test_vendor_form_mail_with_a_table():
    reading = read_text(VENDOR)
    assert reading.kind == "takedown"
    _all_present(reading, TAKEDOWN_ELEMENTS)
    assert reading.urls == [
        "https://kestrelbooks.example/titles/salt-roads",
        "https://ebookshare.example.net/dl/salt-roads.epub",
        "https://ebookshare.example.net/dl/salt-roads.pdf",
        "https://ebookshare.example.net/dl/lantern_keeper.epub",
        "https://www.lumendatabase.org/topics/14",
    ]
    assert reading.infringing == reading.urls[1:4]
    assert "Priya Raman" in reading.elements["signature"].evidence


def test_software_company_policy_links_are_not_material():
    reading = read_text(SOFTWARE)
    assert reading.kind == "takedown"
    _all_present(reading, TAKEDOWN_ELEMENTS)
    assert reading.infringing == [
        "https://files.example-host.net/share/kodiak-ledger-src.zip",
        "https://git.example-host.net/anon/ledger-server",
    ]
    assert "https://www.copyright.gov/512/" in reading.urls
    assert reading.contact["email"] == "jokafor@kodiak-systems.example"
    assert "Jane Okafor" in reading.elements["signature"].evidence


def test_counter_notice():
    reading = read_text(COUNTER)
    assert reading.kind == "counter_notice"
    assert set(reading.elements) == set(COUNTER_ELEMENTS)
    _all_present(reading, COUNTER_ELEMENTS)
    assert reading.references == ["DMCA-2026-000042"]
    assert reading.infringing == []
    assert reading.as_json()["kind"] == "counter_notice"


def test_retraction():
    reading = read_text(RETRACTION)
    assert reading.kind == "retraction"
    assert reading.elements == {}
    assert reading.references == ["DMCA-2026-000107"]


@pytest.mark.parametrize(
    "text", [POLICY_PAGE, GUIDE, TRADEMARK, AUTO_REPLY, TEMPLATE], ids=lambda t: t[:20]
)
def test_texts_that_are_not_notices(text):
    reading = read_text(text)
    assert reading.kind == "other"
    assert reading.elements == {}
    assert reading.infringing == []


# Ablation: delete one element's sentence; exactly that element goes missing.

GOOD_FAITH = (
    "I have a good faith belief that use of the material in the manner complained of is not\n"
    "authorized by the copyright owner, its agent, or the law."
)
PERJURY = """The information in this notification is accurate, and under penalty of perjury, I am
authorized to act on behalf of the owner of an exclusive right that is allegedly infringed."""
SIGNATURE = """/s/ Maria Delgado
Maria Delgado, Enforcement Manager
"""
CONTACT = """You can reach me at enforcement@northlight-agent.example or +1 (310) 555-0142.
Northlight Agency, 1200 Sunset Boulevard, Suite 400, Los Angeles, CA 90028"""


@pytest.mark.parametrize(
    ("element", "deleted"),
    [
        ("good_faith_statement", GOOD_FAITH),
        ("accuracy_statement", PERJURY),
        ("signature", SIGNATURE),
        ("contact_information", CONTACT),
    ],
)
def test_ablation_reports_exactly_that_element_missing(element, deleted):
    assert deleted in STUDIO
    reading = read_text(STUDIO.replace(deleted, ""))
    assert reading.kind == "takedown"
    missing = [key for key in TAKEDOWN_ELEMENTS if not reading.elements[key].present]
    assert missing == [element]


def test_ablation_of_every_infringing_location():
    reading = read_text(STUDIO)
    text = STUDIO
    for location in reading.infringing:
        text = text.replace(location, "")
    after = read_text(text)
    missing = [key for key in TAKEDOWN_ELEMENTS if not after.elements[key].present]
    assert missing == ["infringing_material"]


def test_counter_notice_good_faith_is_not_a_takedown_statement():
    text = STUDIO.replace(
        GOOD_FAITH,
        "I have a good faith belief that the material was removed by mistake.",
    )
    reading = read_text(text)
    assert not reading.elements["good_faith_statement"].present


# URL edge cases


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("See [the copy](https://a.example/x/y) now.", ["https://a.example/x/y"]),
        ("Links: https://a.example/one, https://a.example/two; end.", None),
        ("At https://a.example/wiki/Film_(2025). Also (https://b.example/p).", None),
        ("见 https://a.example/路径/文件。然后 https://b.example/x，完", None),
        ("Gone: https://a.example/[private] and https://b.example/ok", ["https://b.example/ok"]),
        ("Escaped: https://a.example/my\\_file\\_name.zip", ["https://a.example/my_file_name.zip"]),
        ("Quoted “https://a.example/q” and <https://b.example/r>.", None),
        ("Stars **https://a.example/s** _https://b.example/t_", None),
    ],
)
def test_url_edge_cases(text, urls):
    expected = {
        "Links: https://a.example/one, https://a.example/two; end.": [
            "https://a.example/one",
            "https://a.example/two",
        ],
        "At https://a.example/wiki/Film_(2025). Also (https://b.example/p).": [
            "https://a.example/wiki/Film_(2025)",
            "https://b.example/p",
        ],
        "见 https://a.example/路径/文件。然后 https://b.example/x，完": [
            "https://a.example/路径/文件",
            "https://b.example/x",
        ],
        "Quoted “https://a.example/q” and <https://b.example/r>.": [
            "https://a.example/q",
            "https://b.example/r",
        ],
        "Stars **https://a.example/s** _https://b.example/t_": [
            "https://a.example/s",
            "https://b.example/t",
        ],
    }
    assert read_text(text).urls == (urls if urls is not None else expected[text])


def test_urls_are_distinct_in_order_of_first_appearance():
    text = "https://b.example/2 https://a.example/1 https://b.example/2"
    assert read_text(text).urls == ["https://b.example/2", "https://a.example/1"]


# E-mail


def _message(body: str, *, html: str | None = None, sender="Tom <tom@photo.example>"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "copyright@iij-america.com"
    message["Subject"] = "Copyright infringement"
    if body:
        message.set_content(body)
        if html:
            message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    return message


def test_read_message_plain_text():
    reading = read_message(_message(PHOTOGRAPHER))
    assert reading.kind == "takedown"
    assert reading.infringing == ["https://wanderblog.example.info/2026/03/scotland-trip/"]


def test_read_message_html_only():
    html = (
        "<html><body><p>I own the copyright in my photograph <b>Harbour at Dawn</b>; "
        'the original is at <a href="https://me.example/harbour">my site</a>.</p>'
        "<p>The infringing copies are at:</p><ul>"
        '<li><a href="https://copycat.example/a.jpg">https://copycat.example/a.jpg</a></li>'
        '<li><a href="https://copycat.example/b.jpg">second copy</a></li></ul>'
        "<p>I have a good faith belief that this use is not authorized by the copyright "
        "owner, its agent, or the law. Under penalty of perjury, this notice is accurate "
        "and I am the copyright owner.</p><p>Sincerely,<br>Ana Pereira</p>"
        "</body></html>"
    )
    reading = read_message(_message("", html=html, sender="Ana Pereira <ana@me.example>"))
    assert reading.kind == "takedown"
    assert reading.urls == [
        "https://me.example/harbour",
        "https://copycat.example/a.jpg",
        "https://copycat.example/b.jpg",
    ]
    assert reading.infringing == reading.urls[1:]
    assert reading.contact["email"] == "ana@me.example"
    _all_present(reading, TAKEDOWN_ELEMENTS)


def test_read_message_ignores_quoted_reply_and_signature_block():
    body = (
        PHOTOGRAPHER
        + "\n-- \nTom Whitfield Photography\nhttps://tomwhitfield-photo.example/shop\n"
        + "Follow me: https://social.example/@tomw\n\n"
        + "On Mon, 4 May 2026 at 10:00, Agent <copyright@iij-america.com> wrote:\n"
        + "> Please send the URL of the copy: https://quoted.example/should-not-count\n"
    )
    reading = read_message(_message(body))
    assert "https://quoted.example/should-not-count" not in reading.urls
    assert "https://social.example/@tomw" not in reading.urls
    assert reading.infringing == ["https://wanderblog.example.info/2026/03/scotland-trip/"]


def test_from_address_is_contact_when_the_body_gives_none():
    body = PHOTOGRAPHER.replace("tom.whitfield@mailbox.example\n07700 900123\n", "")
    reading = read_message(_message(body))
    assert reading.contact["email"] == "tom@photo.example"
    assert reading.elements["contact_information"].present


# ---------------------------------------------------------------------------------------
# Bounded reading: hostile text is read up to a limit, and the reading says what was left.


def test_a_long_text_is_read_up_to_the_limit_and_the_reading_says_what_was_left():
    urls = "\n".join(f"https://files.example-host.net/s/{i:06d}" for i in range(20_000))
    text = f"The following infringing copies are hosted on your network:\n{urls}\n"
    reading = read_text(text)
    assert len(text) > READ_MAX_CHARS
    assert "was not read" in reading.not_read[0] and f"(of {len(text):,})" in reading.not_read[0]
    assert len(reading.infringing) == MAX_LOCATIONS
    assert any("Locations to remove after the first 10,000" in n for n in reading.not_read)
    # The cut falls between URLs: none is taken in half.
    assert all(re.fullmatch(r"https://files\.example-host\.net/s/\d{6}", u) for u in reading.urls)
    assert reading.as_json()["not_read"] == reading.not_read


def test_urls_all_on_one_line_are_read_up_to_the_limit_whole():
    urls = " ".join(f"https://files.example-host.net/s/{i:06d}" for i in range(20_000))
    reading = read_text(f"The following infringing copies are hosted on your network: {urls}")
    assert len(reading.infringing) == MAX_LOCATIONS
    assert all(re.fullmatch(r"https://files\.example-host\.net/s/\d{6}", u) for u in reading.urls)


def test_a_message_in_an_unknown_charset_with_broken_headers_is_read():
    raw = (
        b"From: " + b"(" * 5000 + b"\nSubject: DMCA\x00notice\nMessage-ID: <a\x00b@example>\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\n\n" + STUDIO.encode()
    )
    message = email.message_from_bytes(raw, policy=email.policy.default)
    reading = read_message(message)
    assert reading.kind == "takedown"
    assert "https://streamvault.example.net/watch/quiet-harbor-2025-1080p" in reading.infringing
    assert any("x-no-such-charset" in note for note in reading.not_read)
    assert header(message, "Subject") == "DMCAnotice"  # no NUL: no database stores one
    assert header(message, "From") == "(" * 5000  # as written, where the parser gives up
    assert sender_address(message) == ("", "")


def test_nul_bytes_in_the_text_are_dropped():
    reading = read_text(STUDIO.replace("good faith", "good\x00 faith"))
    assert "\x00" not in json.dumps(reading.as_json())
    assert reading.elements["good_faith_statement"].present


def test_html_that_makes_the_standard_parser_quadratic_is_read():
    # `<a ` repeated takes HTMLParser minutes; lxml reads it like any other markup.
    html = "<p>Infringing copy: https://copycat.example/a.jpg</p>" + "<a " * 100_000
    assert "https://copycat.example/a.jpg" in html_to_text(html)


def test_long_headers_are_read_up_to_a_limit_and_the_reading_says_so():
    raw = (
        b"From: " + b"a@b.example, " * 50_000 + b"\nSubject: " + b"=?utf-8?q?a?= " * 50_000
        + b"\n\n" + STUDIO.encode()
    )  # fmt: skip
    message = parse_message(raw)
    reading = read_message(message)
    assert reading.kind == "takedown"
    assert len(header(message, "Subject")) <= MAX_HEADER_CHARS
    assert any("The headers From, Subject past" in note for note in reading.not_read)
