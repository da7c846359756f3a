"""How a mailed takedown's reading fills the case: the typed signature over the From
header, the address split into its parts, or kept whole with the case saying so."""

import pytest
from django.contrib.auth.models import Group

from notices.mailbox.intake import intake_raw, typed_signature
from notices.models import Notice
from tests.factories import mailed_takedown as takedown

pytestmark = pytest.mark.django_db


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
