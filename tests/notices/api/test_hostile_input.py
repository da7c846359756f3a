"""Hostile input to the API: refused field by field, or kept as it should be."""

import pytest

from notices.models import Notice
from tests.factories import api_notice

pytestmark = pytest.mark.django_db


def test_the_api_refuses_control_characters_field_by_field(client):
    from notices.models import ApiSender, ApiToken

    _, key = ApiToken.issue(ApiSender.objects.create(name="N", email="ops@n.example"))
    notice = api_notice()
    notice["complainant"]["name"] = "Sam\x1b[2J Okoye"
    notice["works"][0]["description"] = "Film\r\nGlass Harbor"  # line breaks are fine here
    response = client.post(
        "/api/v1/notices/",
        notice,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "contact_information": [
            "§ 512(c)(3)(A)(iv): complainant.name: Remove the control character (U+001B) "
            "from this text; it cannot be printed."
        ]
    }
    assert not Notice.objects.exists()


def test_the_api_checks_work_addresses_and_keeps_multi_line_streets(client):
    from notices.models import ApiSender, ApiToken

    _, key = ApiToken.issue(ApiSender.objects.create(name="N", email="ops@n.example"))

    def post(notice):
        return client.post(
            "/api/v1/notices/", notice, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )  # fmt: skip

    notice = api_notice()
    notice["works"][0]["url"] = "https://studio.example/\x07"
    assert post(notice).status_code == 400
    notice = api_notice()
    notice["complainant"]["address"]["street"] = "500 Seventh Avenue\n12th Floor"
    assert post(notice).status_code == 201
    assert Notice.objects.get().street == "500 Seventh Avenue\n12th Floor"
