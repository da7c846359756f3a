"""Each role's own desk, the styled refusal, and staff accounts managed without a shell."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from tests.factories import web_notice
from tests.notices.desk.test_admin import login

pytestmark = pytest.mark.django_db

HEADINGS = {
    "Designated agent": "Designated Agent&#x27;s desk",
    "Legal staff": "Legal staff&#x27;s desk",
    "Auditor": "Auditor&#x27;s desk: read only, without personal data",
    "Desk administrator": "Desk administrator: staff accounts",
    None: "No role on the desk yet",
}


@pytest.mark.parametrize("role", HEADINGS)
def test_each_role_has_a_desk_headed_with_its_own_name(client, role):
    login(client, role)
    page = client.get(reverse("admin:index")).text
    assert f"<h1>{HEADINGS[role]}</h1>" in page
    if role != "Designated agent":
        assert "Designated Agent&#x27;s desk" not in page


def test_legal_staff_are_not_offered_what_would_be_refused(client):
    web_notice()
    login(client, "Legal staff")
    page = client.get(reverse("admin:index")).text
    for refused in ["Log a notice", "Log a counter notice", "What needs me today"]:
        assert refused not in page, refused
    assert "Export case files" in page  # what the role is for
    login(client, "Designated agent")
    page = client.get(reverse("admin:index")).text
    for offered in ["Log a notice", "Log a counter notice", "What needs me today"]:
        assert offered in page, offered


def test_a_refusal_is_a_styled_page_that_leads_back_to_the_desk(client):
    login(client, "Legal staff")
    response = client.get(reverse("admin:notices_notice_log"))
    assert response.status_code == 403
    page = response.text
    assert "This page is not part of your role on the desk" in page
    assert "css/site.css" in page and "Nothing was changed" in page
    assert f'href="{reverse("admin:index")}"' in page


# Staff accounts ------------------------------------------------------------------------

PASSWORD = "a-long-desk-password-7"


def add_account(client, username: str, role: str, **extra):
    return client.post(
        reverse("admin:auth_user_add"),
        {
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Dana",
            "last_name": "Whitfield",
            "email": "dana@desk.example",
            "groups": [Group.objects.get(name=role).id],
            **extra,
        },
    )


@pytest.mark.parametrize("manager", ["Designated agent", "Desk administrator"])
@pytest.mark.parametrize("role", ["Legal staff", "Auditor"])
def test_the_agent_adds_and_deactivates_legal_staff_and_auditors(client, manager, role):
    login(client, manager)
    assert add_account(client, "dana", role).status_code == 302
    dana = User.objects.get(username="dana")
    assert dana.is_staff and dana.is_active and not dana.is_superuser
    assert [g.name for g in dana.groups.all()] == [role]
    assert dana.check_password(PASSWORD)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_action", "_selected_action": [dana.id]},
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert not dana.is_active


def test_the_agent_cannot_make_a_superuser_or_grant_another_role(client):
    agent = login(client, "Designated agent")
    response = add_account(client, "mallory", "Designated agent")
    assert response.status_code == 200 and not User.objects.filter(username="mallory").exists()
    assert "Select a valid choice" in response.text
    add_account(client, "mallory", "Auditor", is_superuser="on", is_staff="on")
    mallory = User.objects.get(username="mallory")
    assert not mallory.is_superuser
    change = reverse("admin:auth_user_change", args=[mallory.id])
    client.post(
        change,
        {
            "username": "mallory",
            "is_active": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name="Auditor").id],
            "user_permissions": [Permission.objects.get(codename="delete_user").id],
        },
    )
    mallory.refresh_from_db()
    assert not mallory.is_superuser and not mallory.user_permissions.exists()
    # Accounts above the desk's reach are not there to change, the agent's own included.
    root = User.objects.create_superuser("root", password=PASSWORD)
    other_agent = User.objects.create_user("agent-2", is_staff=True)
    other_agent.groups.add(Group.objects.get(name="Designated agent"))
    listing = client.get(reverse("admin:auth_user_changelist")).text
    assert "mallory" in listing
    for user in (root, other_agent, agent):
        assert f"/auth/user/{user.id}/change/" not in listing
        response = client.get(reverse("admin:auth_user_change", args=[user.id]))
        assert response.status_code == 302  # "does not exist", back to the list
        password = reverse("admin:auth_user_password_change", args=[user.id])
        assert client.get(password).status_code == 404
    # Deleting an account is not the desk's: deactivate it instead.
    assert client.get(reverse("admin:auth_user_delete", args=[mallory.id])).status_code == 403


@pytest.mark.parametrize("role", ["Legal staff", "Auditor", None])
def test_other_roles_cannot_manage_accounts(client, role):
    login(client, role)
    for name in ["admin:auth_user_changelist", "admin:auth_user_add"]:
        assert client.get(reverse(name)).status_code == 403, name
    assert add_account(client, "eve", "Legal staff").status_code == 403
    assert not User.objects.filter(username="eve").exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:auth_user_add"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
