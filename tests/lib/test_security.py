"""Production settings pass Django's deployment checks; every page carries the headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production(*command, **env) -> subprocess.CompletedProcess:
    """manage.py with production settings behind TLS, as a deployment runs it."""
    # Without the test run's own switches (the browser tests allow async-unsafe ORM use).
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="iija_compliance.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        HTTPS_ONLY="true",
        ALLOWED_HOSTS="dmca.iij-america.example",
        VAR_DIR=str(ROOT / "var" / "test" / "deploy-check"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


HSTS_FLAGS = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"  # noqa: E501


def test_hsts_preload_and_subdomains_are_opt_in_behind_tls():
    # Preloading is hard to undo, and includeSubDomains binds hosts the desk does not run.
    assert production("shell", "-v", "0", "-c", HSTS_FLAGS).stdout.split() == [
        "31536000",
        "False",
        "False",
    ]
    opted_in = production(
        "shell", "-v", "0", "-c", HSTS_FLAGS, HSTS_INCLUDE_SUBDOMAINS="true", HSTS_PRELOAD="true"
    )
    assert opted_in.stdout.split() == ["31536000", "True", "True"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/notices/new/", "/transparency/", "/admin/login/"])
def test_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_is_sent_behind_tls(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
