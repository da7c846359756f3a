"""How a mailed takedown's reading fills the case: the typed signature over the From
header, the address split into its parts, or kept whole with the case saying so."""

import pytest
from django.contrib.auth.models import Group

from notices.mailbox.intake import intake_raw, typed_signature
from notices.models import Notice

pytestmark = pytest.mark.django_db


def takedown(address_line: str, signed: str = "/s/ Maria Okafor", message_id="t1") -> bytes:
    return f"""\
From: Rights Desk <desk@lanternrow.example>
To: copyright@iij-america.com
Subject: DMCA takedown notice
Message-ID: <{message_id}@lanternrow.example>

Dear Designated Agent,

Our client Lantern Row Records LLC owns the copyright in the album "Night Roads" (2024).

Infringing material:
https://files.example-host.net/share/night-roads.zip

I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.

The information in this notification is accurate, and under penalty of perjury, I am
authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.

Address: {address_line}
Phone: +1 718 555 0143

{signed}
""".encode()


def test_the_typed_signature_signs_the_case_not_the_from_header():
    notice = intake_raw(takedown("410 Harbor Avenue, Floor 3, Brooklyn, NY 11201")).notice
    assert notice.signature_name == "Maria Okafor"
    assert notice.complainant_name == "Maria Okafor"
    assert notice.email == "desk@lanternrow.example"  # letters go where it came from


def test_a_us_address_on_one_line_is_split_into_its_parts():
    notice = intake_raw(takedown("410 Harbor Avenue, Floor 3, Brooklyn, NY 11201")).notice
    parts = (notice.street, notice.city, notice.region, notice.postal_code, notice.country)
    assert parts == ("410 Harbor Avenue, Floor 3", "Brooklyn", "NY", "11201", "US")
    assert not notice.events.filter(action="notice.address_not_split").exists()


def test_an_address_abroad_is_kept_whole_and_the_case_says_so(client, django_user_model):
    notice = intake_raw(takedown("1 Rue de Rivoli, 75001 Paris, France")).notice
    assert notice.street == "1 Rue de Rivoli, 75001 Paris, France"
    assert (notice.city, notice.region, notice.postal_code, str(notice.country)) == ("",) * 4
    event = notice.events.get(action="notice.address_not_split")
    assert "kept whole under Street" in event.note and "Rivoli" not in event.note
    agent = django_user_model.objects.create_user("agent", password="x", is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(agent)
    page = client.get(f"/admin/notices/notice/{notice.id}/change/").content.decode()
    assert "is not one the desk can split into its parts" in page


def test_a_mail_without_a_typed_name_is_signed_by_the_name_it_gives():
    raw = takedown("27 Linden Court, Oakland, CA 94610", signed="Signed: [REDACTED]")
    notice = intake_raw(raw).notice
    assert Notice.objects.count() == 1
    assert notice.signature_name == "Rights Desk"


@pytest.mark.parametrize(
    ("signed", "name"),
    [
        ("/s/ Maria Okafor", "Maria Okafor"),
        ("s/ Sam Okoye", "Sam Okoye"),
        ("Signed: Maria Okafor", "Maria Okafor"),
        ("Electronic signature: /s/ Maria Okafor", "Maria Okafor"),
        ("Sincerely,\nMaria Okafor\nHead of Rights", "Maria Okafor"),
        ("Best regards, Maria Okafor", "Maria Okafor"),
        ("/s/", ""),
        ("Signed: [REDACTED]", ""),
        ("Kind regards,", ""),
    ],
)
def test_the_name_typed_in_a_signature(signed, name):
    assert typed_signature(signed) == name
