"""Hostile input on the subscriber's and the complainant's forms: every text field has a
limit and refuses control characters; markup is stored as text and shown escaped."""

import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.urls import reverse

from counternotices.forms import CounterNoticeForm, CourtActionForm
from counternotices.models import CounterNotice, CourtAction
from notices.models import Letter
from notices.records.documents import document_generate
from tests.conftest import pdf_text
from tests.factories import counter_form_data, counter_notice, notified_case

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def case():
    notice, notification = notified_case()
    return notice, notification, notice.items.get(subscriber=notification.subscriber)


def _text_fields(form_class) -> list[tuple[str, int]]:
    return [
        (name, field.max_length)
        for name, field in form_class.base_fields.items()
        if type(field) is forms.CharField and name != "website"
    ]


def test_markup_in_a_counter_notice_is_escaped_in_letters_the_admin_and_pdfs(client, case):
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    data = counter_form_data(
        item.id, name=f"Dana {IMAGE}", signature_name=f"Dana {IMAGE}", street=SCRIPT
    )
    assert client.post(url, data).status_code == 302
    counter = CounterNotice.objects.get()
    assert counter.street == SCRIPT  # stored as typed

    copy = Letter.objects.get(kind="counter_notice_copy")
    assert IMAGE not in copy.body_html and SCRIPT not in copy.body_html
    assert "&lt;script&gt;" in copy.body_html

    agent = User.objects.create_user("agent", password="x", is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(agent)
    page = client.get(
        reverse("admin:counternotices_counternotice_change", args=[counter.id])
    ).content.decode()
    assert SCRIPT not in page and IMAGE not in page and "&lt;script&gt;" in page

    document = document_generate(
        notice=notice, kind="counter_notice", version="internal", actor="legal",
        subject_id=counter.id,
    )  # fmt: skip
    assert SCRIPT in pdf_text(document)  # printed as text, never run


@pytest.mark.parametrize("field, limit", _text_fields(CounterNoticeForm))
def test_every_text_field_of_the_counter_notice_says_its_limit(client, case, field, limit):
    _, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    page = client.post(url, counter_form_data(item.id, **{field: "x" * (limit + 1)}))
    assert f"at most {limit} characters" in page.content.decode()
    assert not CounterNotice.objects.exists()


@pytest.mark.parametrize("field", [name for name, _ in _text_fields(CounterNoticeForm)])
def test_every_text_field_of_the_counter_notice_refuses_control_characters(client, case, field):
    _, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    page = client.post(url, counter_form_data(item.id, **{field: "Dana\x1b[2J"}))
    assert page.status_code == 200
    assert not CounterNotice.objects.exists()
    if field != "phone":  # the telephone has its own format message
        assert "Remove the control character (U+001B)" in page.content.decode()


@pytest.mark.parametrize("field, limit", _text_fields(CourtActionForm))
def test_every_text_field_of_the_court_action_form_says_its_limit(client, case, field, limit):
    notice, notification, item = case
    counter_notice(notice, notification, item)
    url = reverse("court_action_new", args=[notice.status_token])
    data = {"court": "S.D.N.Y.", "case_number": "1:26-cv-1", "filed_on": "2026-11-02"}
    for value, message in [
        ("x" * (limit + 1), f"at most {limit} characters"),
        ("1:26\x00", "Null characters are not allowed"),
        ("1:26\x07", "Remove the control character (U+0007)"),
    ]:
        page = client.post(url, {**data, field: value}).content.decode()
        assert message in page
    assert not CourtAction.objects.exists()


def test_letters_without_their_own_html_still_link_their_addresses(client, case):
    notice, notification, item = case
    url = reverse("counter_notice_new", args=[notification.token])
    client.post(url, counter_form_data(item.id, street="1 A & B Street"))
    copy = Letter.objects.get(kind="counter_notice_copy")
    status_url = f"http://testserver/notices/status/{notice.status_token}/"
    assert f'<a href="{status_url}" rel="nofollow">{status_url}</a>' in copy.body_html
    assert "1 A &amp; B Street" in copy.body_html
