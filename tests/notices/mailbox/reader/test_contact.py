"""The sender's contact details: not the agent's own, not the addressee's block."""

from notices.mailbox.reader import read_text

STATEMENTS = """\
Copies of our film "Night Ferry" are at https://stream.example.net/v/2; please remove them.
I have a good faith belief that this use is not authorized by the copyright owner, its
agent, or the law. Under penalty of perjury, the information in this notice is accurate and
I am authorized to act on behalf of the owner.
"""


def test_a_publishers_personal_information_mark_is_contact_given():
    reading = read_text(STATEMENTS + "\nSincerely,\n\nSam Drew\n<personal information redacted>\n")
    assert reading.elements["contact_information"].present
    assert reading.signer == "Sam Drew"


def test_the_addressee_block_is_not_the_senders_contact():
    reading = read_text(
        "DMCA takedown notice\n\nc/o Registered DMCA agent\nHost Example Inc.\n"
        "913 Elm Street, Suite 506, Manchester, NH 03101\nagent@host.example\n\n"
        "Dear agent,\n\n" + STATEMENTS + "\n/s/ Mark Archer"
    )
    assert not reading.elements["contact_information"].present
    assert "email" not in reading.contact


def test_the_designated_agents_own_address_is_not_the_senders_contact(settings):
    settings.DESIGNATED_AGENT = {
        **settings.DESIGNATED_AGENT,
        "street": "55 Example Street, Suite 18C",
        "email": "copyright@provider.example",
    }
    reading = read_text(
        "To: copyright@provider.example, 55 Example Street, Suite 18C, New York, NY 10022\n\n"
        + STATEMENTS
        + "\n/s/ Mark Archer"
    )
    assert not reading.elements["contact_information"].present


def test_a_name_alone_redacted_is_not_contact():
    reading = read_text(STATEMENTS + "\nContact Information Name: [redacted]\n\n/s/ Mark Archer")
    assert not reading.elements["contact_information"].present


def test_links_to_the_providers_own_domains_from_settings_are_never_material(settings):
    text = (
        "Our film is copied at https://files.example.net/v/7 as explained in "
        "https://www.provider-one.example/copyright. Please remove it.\n\n" + STATEMENTS
    )
    settings.PROVIDER_DOMAINS = ["provider-one.example"]
    assert "https://www.provider-one.example/copyright" not in read_text(text).infringing
    settings.PROVIDER_DOMAINS = ["provider-two.example"]
    assert "https://www.provider-one.example/copyright" in read_text(text).infringing
