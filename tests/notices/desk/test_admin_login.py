"""The desk's login form throttles guessing: by account and by address, for a while."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER, OFFICE = "192.0.2.66", "198.51.100.10"


@pytest.fixture
def agent():
    user = User.objects.create_user("agent", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Designated agent"))
    User.objects.create_user("legal", password=PASSWORD, is_staff=True)
    return user


def log_in(client, username, password, address=ATTACKER):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Probe/1.0",
    )


def logged_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def guess(client, username, times, address=ATTACKER):
    for n in range(times):
        log_in(client, username, f"wrong-{n}", address)


def test_the_right_password_works(client, agent):
    assert log_in(client, "agent", PASSWORD).status_code == 302
    assert logged_in(client)


def test_after_the_limit_of_wrong_passwords_the_right_one_is_refused(client, agent):
    guess(client, "agent", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert not logged_in(client)


def test_below_the_limit_the_right_password_still_works(client, agent):
    guess(client, "agent", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "agent", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_address_is_locked_out_for_other_accounts_too(client, agent):
    guess(client, "agent", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "legal", PASSWORD).status_code == 429
    assert not logged_in(client)


def test_the_account_is_locked_out_from_other_addresses_too(client, agent):
    guess(client, "agent", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "agent", PASSWORD, address=OFFICE).status_code == 429
    # Another account from another address is not affected.
    assert log_in(client, "legal", PASSWORD, address=OFFICE).status_code == 302


def test_the_lockout_expires_after_the_cool_off(client, agent):
    from axes.models import AccessAttempt

    guess(client, "agent", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "agent", PASSWORD).status_code == 429
    earlier = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=earlier)  # the cool-off has passed
    assert log_in(client, "agent", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_agent_is_unlocked_with_the_management_command(client, agent):
    guess(client, "agent", settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "agent")
    call_command("axes_reset_ip", ATTACKER)
    assert log_in(client, "agent", PASSWORD).status_code == 302


def test_the_lockout_is_logged_with_account_and_address_only(client, agent, caplog):
    caplog.set_level(logging.INFO)
    guess(client, "agent", settings.AXES_FAILURE_LIMIT)
    log_in(client, "correct horse battery", "typed in the wrong field")
    lines = [record.getMessage() for record in caplog.records]
    assert any("Locking out" in line and "agent" in line and ATTACKER in line for line in lines)
    text = "\n".join(lines)
    for secret in ["wrong-0", "Probe/1.0", "correct horse battery", "typed in the wrong field"]:
        assert secret not in text, secret


PROXY = "10.0.0.5"


def test_behind_a_trusted_proxy_each_client_is_locked_out_by_its_own_address(
    client, agent, settings
):
    settings.TRUSTED_PROXIES = [PROXY]

    def through_proxy(username, password, address):
        return client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("nobody", f"wrong-{n}", ATTACKER)
    assert through_proxy("legal", PASSWORD, ATTACKER).status_code == 429
    # The office behind the same proxy is not locked out by the attacker's guesses.
    assert through_proxy("legal", PASSWORD, OFFICE).status_code == 302
