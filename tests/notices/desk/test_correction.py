"""The correction page: who may open it, what it starts from, what saving does."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.mailbox.intake import intake_raw
from notices.models import Notice
from tests.factories import mailed_takedown, web_notice

pytestmark = pytest.mark.django_db

ROLES = ["Designated agent", "Legal staff", "Auditor"]


def login(client, role: str | None) -> User:
    user = User.objects.create_user(username=f"user-{role or 'none'}", password="x", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


@pytest.fixture
def mailed():
    """A mailed takedown stored as the desk used to read it: signed by the From header's
    name, its whole address under Street."""
    notice = intake_raw(mailed_takedown("410 Harbor Avenue, Floor 3, Brooklyn, NY 11201")).notice
    Notice.objects.filter(id=notice.id).update(
        signature_name="Rights Desk",
        complainant_name="Rights Desk",
        street="410 Harbor Avenue, Floor 3, Brooklyn, NY 11201",
        city="",
        region="",
        postal_code="",
        country="",
    )
    return Notice.objects.get(id=notice.id)


def form_of(client, notice) -> dict:
    """What the correction page's form would post as it is shown."""
    response = client.get(reverse("admin:notices_notice_correct", args=[notice.id]))
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.mark.parametrize("role", [*ROLES, None])
def test_only_the_designated_agent_corrects_a_case(client, mailed, role):
    url = reverse("admin:notices_notice_correct", args=[mailed.id])
    if role is None:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert client.post(url, {"city": "Queens"}).status_code == 302
    else:
        login(client, role)
        expected = 200 if role == "Designated agent" else 403
        assert client.get(url).status_code == expected
        if role != "Designated agent":
            assert client.post(url, {"city": "Queens"}).status_code == 403
    mailed.refresh_from_db()
    assert mailed.city == "" and not mailed.events.filter(action="notice.corrected").exists()


def test_the_page_starts_from_what_the_reader_found_where_it_differs(client, mailed):
    login(client, "Designated agent")
    page = client.get(reverse("admin:notices_notice_correct", args=[mailed.id]))
    data = {name: page.context["form"][name].value() for name in ("signature_name", "city")}
    assert data == {"signature_name": "Maria Okafor", "city": "Brooklyn"}
    assert "Stored: “Rights Desk”" in page.content.decode()
    case_page = client.get(reverse("admin:notices_notice_change", args=[mailed.id]))
    assert "Correct the case" in case_page.content.decode()


def test_saving_the_page_corrects_the_case_and_recomputes_the_checklist(client, mailed):
    login(client, "Designated agent")
    data = form_of(client, mailed)
    data.update(acting_as="agent", works="Album “Night Roads” by The Quiet Ferries (2024)")
    response = client.post(reverse("admin:notices_notice_correct", args=[mailed.id]), data)
    assert response.status_code == 302
    mailed.refresh_from_db()
    assert (mailed.signature_name, mailed.city, mailed.region) == ("Maria Okafor", "Brooklyn", "NY")
    fields = set(
        mailed.events.filter(action="notice.corrected").values_list("data__field", flat=True)
    )
    assert {"signature_name", "complainant_name", "street", "city", "works"} <= fields
    page = client.get(response["Location"]).content.decode()
    assert "every element of the checklist is now present" in page
    # Corrected once, the page keeps the agent's values, not the reader's again.
    client.post(
        reverse("admin:notices_notice_correct", args=[mailed.id]),
        {**form_of(client, mailed), "signature_name": "Maria O. Okafor"},
    )
    assert form_of(client, mailed)["signature_name"] == "Maria O. Okafor"


def test_a_web_form_case_is_refused_with_the_reason(client):
    notice = web_notice()
    login(client, "Designated agent")
    url = reverse("admin:notices_notice_correct", args=[notice.id])
    response = client.post(url, {"city": "Queens"}, follow=True)
    assert "only a revised notice from the sender corrects it" in response.content.decode()
    assert Notice.objects.get(id=notice.id).city == "Brooklyn"
    case_page = client.get(reverse("admin:notices_notice_change", args=[notice.id]))
    assert "Correct the case" not in case_page.content.decode()


def test_limits_are_refused_with_a_message(client, mailed):
    login(client, "Designated agent")
    data = {**form_of(client, mailed), "locations": "https://x.example/a | " + "d" * 1001}
    page = client.post(reverse("admin:notices_notice_correct", args=[mailed.id]), data)
    assert page.status_code == 200
    assert "at most 2,048 characters, and 1,000 for its description" in page.content.decode()
    assert not mailed.events.filter(action="notice.corrected").exists()


def test_an_auditor_does_not_read_the_replaced_values_in_the_history(client, mailed):
    login(client, "Designated agent")
    client.post(
        reverse("admin:notices_notice_correct", args=[mailed.id]),
        {**form_of(client, mailed), "street": "9 Pier Road"},
    )
    client.logout()
    login(client, "Auditor")
    page = client.get(reverse("admin:notices_notice_change", args=[mailed.id])).content.decode()
    assert "Case corrected by hand" in page
    assert "410 Harbor Avenue" not in page and "Rights Desk" not in page
