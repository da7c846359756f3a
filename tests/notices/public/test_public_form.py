import pytest
from django.urls import reverse

from notices.core.statutory import ACCURACY_STATEMENT, GOOD_FAITH_STATEMENT
from notices.models import InfringingItem, Notice, Work
from tests.factories import form_data

pytestmark = pytest.mark.django_db

URL = reverse("notices:new")


def test_the_form_shows_the_statements_the_warning_and_the_agent(client):
    page = client.get(URL).content.decode()
    assert GOOD_FAITH_STATEMENT in page
    assert ACCURACY_STATEMENT in page
    assert "knowingly misrepresent" in page
    assert page.index("knowingly misrepresent") < page.index("Send the notice")
    assert "copyright@iij-america.com" in page
    assert "55 East 59th Street, Suite 18C" in page
    for citation in ["(A)(i)", "(A)(ii)", "(A)(iii)", "(A)(iv)", "(A)(v) and (vi)"]:
        assert f"§ 512(c)(3){citation}" in page


def test_a_complete_notice_gets_a_receipt_with_its_reference(client):
    response = client.post(URL, form_data(), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox")
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:receipt", args=[notice.status_token])
    receipt = client.get(response["Location"]).content.decode()
    assert notice.reference in receipt
    assert "2 works and" in receipt and "2 locations" in receipt
    assert notice.phone == "+17185550143"  # stored in international form
    assert (notice.signature_ip, notice.signature_user_agent) == ("203.0.113.9", "Firefox")
    assert Work.objects.filter(notice=notice).count() == 2
    assert InfringingItem.objects.filter(notice=notice).count() == 2


def test_pasted_locations_join_the_rows_without_duplicates(client):
    pasted = (
        "https://a.example.com/1\n\nhttps://A.example.com:443/1\nb.example.org\n198.51.100.23\n"
    )
    client.post(URL, form_data(locations_bulk=pasted))
    locations = list(InfringingItem.objects.values_list("normalized", flat=True))
    assert locations == [
        "https://files.example-host.net/share/night-roads.zip",
        "198.51.100.23",
        "https://a.example.com/1",
        "b.example.org",
    ]


def test_errors_are_grouped_by_element_and_keep_what_was_typed(client):
    data = form_data(
        phone="", accuracy_statement=None, **{"works-0-description": "", "works-1-description": ""}
    )
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Notice.objects.count() == 0
    summary = page[page.index('id="errors"') : page.index("</form>")]
    assert "§ 512(c)(3)(A)(ii): The copyrighted work" in summary
    assert "Describe at least one copyrighted work" in summary
    assert "§ 512(c)(3)(A)(iv): How to contact you" in summary
    assert "Give a telephone number." in summary
    assert "§ 512(c)(3)(A)(vi): Statement of accuracy and authority" in summary
    assert "§ 512(c)(3)(A)(i):" not in page[: page.index('id="element-contact_information"')]
    # What the person typed is still in the form.
    assert 'value="410 Harbor Avenue, Floor 3"' in page
    assert "https://files.example-host.net/share/night-roads.zip" in page
    assert 'id="id_good_faith_statement" checked' in page


def test_the_signature_must_match_the_sender(client):
    response = client.post(URL, form_data(signature_name="Someone Else"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "§ 512(c)(3)(A)(i): Signature of a person authorized to act" in page
    assert "must be the same full name as the person sending the notice" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"phone": "12"}, "not a telephone number we can use"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        (
            {"items-0-location": "somewhere on the internet"},
            "Location 1: A location cannot contain spaces",
        ),
        ({"works-0-url": "ht!tp://bad"}, "Enter a valid URL."),
        ({"locations_bulk": "https://ok.example.com/\nnot a url"}, "Line 2"),
        ({"complainant_name": "x" * 201}, "at most 200 characters"),
        (
            {"items-0-location": "", "items-0-description": "the ZIP"},
            "Give the location this note is about.",
        ),
    ],
)
def test_each_field_is_checked_with_a_clear_message(client, changes, message):
    response = client.post(URL, form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Notice.objects.count() == 0


def test_more_than_a_thousand_locations_is_refused_with_a_pointer_to_the_api(client):
    pasted = "\n".join(f"https://cdn.example.net/f/{n}.mp4" for n in range(999))  # and 2 rows
    response = client.post(URL, form_data(locations_bulk=pasted))
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 1,000 locations; this one has 1,001" in page
    assert "use the API for large notices" in page
    assert Notice.objects.count() == InfringingItem.objects.count() == 0


def test_a_thousand_locations_are_accepted(client):
    pasted = "\n".join(f"https://cdn.example.net/f/{n}.mp4" for n in range(998))
    assert client.post(URL, form_data(locations_bulk=pasted)).status_code == 302
    assert InfringingItem.objects.count() == 1000


def test_removed_rows_are_not_stored(client):
    client.post(URL, form_data(**{"works-1-DELETE": "on", "items-1-DELETE": "on"}))
    notice = Notice.objects.get()
    assert [w.description for w in notice.works.all()] == [
        "Album “Night Roads” by The Quiet Ferries (2024)"
    ]
    assert notice.items.count() == 1


def test_without_javascript_add_another_returns_the_form_with_one_more_row(client):
    response = client.post(URL, form_data(add_works="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="works-TOTAL_FORMS" value="3"' in page
    assert 'name="works-2-description"' in page
    assert "410 Harbor Avenue, Floor 3" in page
    assert 'id="errors"' not in page
    assert Notice.objects.count() == 0


def test_the_honeypot_refuses_bots(client):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "looks automated" in response.content.decode()
    assert Notice.objects.count() == 0


def test_the_rate_limit_answers_429_and_keeps_the_notice(client, settings):
    settings.NOTICE_FORM_RATE = "3/h"
    for _ in range(3):
        assert client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7").status_code == 302
    response = client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7")
    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many notices from your network" in page
    assert 'value="410 Harbor Avenue, Floor 3"' in page
    assert Notice.objects.count() == 3
    # Another network is not affected.
    assert client.post(URL, form_data(), REMOTE_ADDR="198.51.100.8").status_code == 302


def test_refused_attempts_do_not_count_against_the_notices_a_network_may_file(client, settings):
    """A rights holder fixing mistakes is not turned away: only filed notices count."""
    settings.NOTICE_FORM_RATE = "3/h"
    for _ in range(11):
        response = client.post(URL, form_data(signature_name=""), REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200
        assert "Too many" not in response.content.decode()
    assert client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_flood_of_attempts_is_refused_under_the_looser_limit(client, settings):
    settings.NOTICE_FORM_ATTEMPT_RATE = "5/h"
    statuses = [
        client.post(URL, form_data(signature_name=""), REMOTE_ADDR="198.51.100.7").status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    refused = client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Too many tries from your network" in refused.content.decode()
    assert Notice.objects.count() == 0


def test_an_oversized_request_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_MAX_BYTES = 10_000
    response = client.post(URL, form_data(locations_bulk="https://a.example.com/" + "x" * 20_000))
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert Notice.objects.count() == 0


def test_the_form_needs_a_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, form_data())
    assert response.status_code == 403
    assert Notice.objects.count() == 0


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client, settings):
    settings.TRUSTED_PROXIES = ["192.0.2.10"]
    settings.NOTICE_FORM_RATE = "2/h"

    def post(client_address: str):
        return client.post(
            URL, form_data(), REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=client_address
        )

    assert [post("198.51.100.7").status_code for _ in range(3)] == [302, 302, 429]
    assert post("198.51.100.8").status_code == 302
    assert Notice.objects.latest("id").signature_ip == "198.51.100.8"


def test_a_forwarded_for_header_from_anyone_else_is_ignored(client, settings):
    settings.TRUSTED_PROXIES = ["192.0.2.10"]
    settings.NOTICE_FORM_RATE = "2/h"
    statuses = [
        client.post(
            URL, form_data(), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert set(Notice.objects.values_list("signature_ip", flat=True)) == {"203.0.113.9"}
