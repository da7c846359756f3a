"""Hostile input through the public form is stored safely or refused, and shown escaped
everywhere it appears: status page, desk, letters, PDFs (the API's: api/test_hostile_input.py)."""

import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.urls import reverse

from notices.models import Notice
from notices.outbox import letters
from notices.public.forms import ItemForm, NoticeForm, WorkForm
from notices.records.documents import document_generate
from tests.conftest import pdf_text
from tests.factories import form_data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
RTL = "\u202eevil\u202c"


def file_hostile_notice(client) -> Notice:
    response = client.post(
        reverse("notices:new"),
        form_data(
            complainant_name=f"Maria {IMAGE}",
            signature_name=f"Maria {IMAGE}",
            complainant_organization=f"Acme {SCRIPT}",
            **{
                "works-0-description": f"Work {IMAGE} {RTL}",
                "items-0-description": SCRIPT,
            },
        ),
    )
    assert response.status_code == 302
    return Notice.objects.get()


def test_payloads_are_escaped_on_the_status_page(client):
    notice = file_hostile_notice(client)
    page = client.get(reverse("notices:status", args=[notice.status_token])).content.decode()
    assert SCRIPT not in page and IMAGE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_payloads_are_escaped_in_the_admin(client):
    notice = file_hostile_notice(client)
    user = User.objects.create_user("agent", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(user)
    page = client.get(reverse("admin:notices_notice_change", args=[notice.id])).content.decode()
    assert SCRIPT not in page and IMAGE not in page
    assert "&lt;script&gt;" in page


def test_payloads_are_escaped_in_letters_and_literal_in_pdfs(client, inbox):
    notice = file_hostile_notice(client)
    letters.letter_send(letter_id=notice.letters.get().id)  # written when sent
    letter = notice.letters.get()
    assert IMAGE not in letter.body_html and "Maria &quot;&gt;&lt;img" in letter.body_html
    assert f"Dear Maria {IMAGE}," in letter.body_text  # plain text is not HTML
    (message,) = inbox.to(notice.email)
    assert "<img src=x" not in message.get_body(("html",)).get_content()
    document = document_generate(notice=notice, kind="notice", version="internal", actor="legal")
    text = pdf_text(document)
    assert 'Acme <script>alert("x")</script>' in text  # shown as text, never run


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("complainant_name", "x" * 10_000, "at most 200 characters"),
        ("items-0-location", "javascript:alert(1)", "not a web address"),
        ("items-0-location", "http://999.1.1.1/", "no valid host"),
        ("items-0-location", "https://example.com/\u0000", "Null characters are not allowed"),
        ("email", "a@b@c", "Enter a valid email address"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(client, field, value, message):
    response = client.post(reverse("notices:new"), form_data(**{field: value}))
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def _text_fields(form_class, prefix="") -> list[tuple[str, int]]:
    """Every free-text field of a form, with its length limit (the honeypot aside)."""
    return [
        (prefix + name, field.max_length)
        for name, field in form_class.base_fields.items()
        if type(field) is forms.CharField and name != "website"
    ]


NOTICE_TEXT_FIELDS = (
    _text_fields(NoticeForm)
    + _text_fields(WorkForm, "works-0-")
    + _text_fields(ItemForm, "items-0-")
)


@pytest.mark.parametrize("field, limit", NOTICE_TEXT_FIELDS)
def test_every_text_field_of_the_notice_form_says_its_limit(client, field, limit):
    response = client.post(reverse("notices:new"), form_data(**{field: "x" * (limit + 1)}))
    assert f"at most {limit:,} characters".replace(",", "") in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("field", [name for name, _ in NOTICE_TEXT_FIELDS])
def test_every_text_field_of_the_notice_form_refuses_control_characters(client, field):
    value = "Night \x1b[2J Roads" if field != "items-0-location" else "https://a.example/\x07"
    response = client.post(reverse("notices:new"), form_data(**{field: value}))
    assert response.status_code == 200
    assert not Notice.objects.exists()
    if field not in {"phone", "items-0-location", "locations_bulk"}:  # own format messages
        assert "Remove the control character (U+001B)" in response.content.decode()


def test_line_breaks_are_kept_where_a_field_takes_several_lines(client):
    response = client.post(
        reverse("notices:new"), form_data(**{"works-0-description": "Album\r\nNight Roads"})
    )
    assert response.status_code == 302
    assert Notice.objects.get().works.filter(description="Album\r\nNight Roads").exists()


def test_the_withdrawal_reason_says_its_limit_and_keeps_the_case(client):
    notice = file_hostile_notice(client)
    url = reverse("notices:withdraw", args=[notice.status_token])
    page = client.post(url, {"reason": "x" * 2001}).content.decode()
    assert "at most 2000 characters" in page
    assert Notice.objects.get().status == "received"
    client.post(url, {"reason": f"Settled {SCRIPT}"})
    assert Notice.objects.get().status == "withdrawn"
    status = client.get(reverse("notices:status", args=[notice.status_token])).content.decode()
    assert SCRIPT not in status


def test_unicode_line_breaks_are_refused_in_one_line_fields(client):
    response = client.post(reverse("notices:new"), form_data(complainant_name="Maria\u2028Okafor"))
    assert "Remove the control character (U+2028)" in response.content.decode()
    assert not Notice.objects.exists()
