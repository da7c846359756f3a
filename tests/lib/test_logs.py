"""Private links stay out of the logs: a log is read by more people than may open them."""

import logging

import pytest
from django.urls import reverse

from tests.factories import notified_case

pytestmark = pytest.mark.django_db


def test_a_404_on_a_private_link_logs_no_token(client, caplog):
    notice, notification = notified_case()
    guessed = notice.status_token[:-3] + "xyz"
    caplog.set_level(logging.WARNING, logger="django.request")
    assert client.get(reverse("notices:status", args=[guessed])).status_code == 404
    assert client.get(reverse("counter_notice_new", args=[guessed])).status_code == 404
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found: /notices/status/[token]/" in logged
    assert "Not Found: /counter-notices/new/[token]/" in logged
    for token in [guessed, notice.status_token[:20], notification.token[:20]]:
        assert token not in logged


def test_the_development_servers_request_lines_carry_no_token():
    token = "Q2xpY2sgaGVyZSB0byB3aXRoZHJhdyB5b3VyIG5vdGljZQ"
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    server = logging.getLogger("django.server")
    server.addHandler(handler)
    try:
        server.warning('"%s" %s %s', f"GET /notices/status/{token}/withdraw/ HTTP/1.1", "404", 179)
    finally:
        server.removeHandler(handler)
    assert records[0].getMessage() == '"GET /notices/status/[token]/withdraw/ HTTP/1.1" 404 179'


def test_references_and_ordinary_paths_are_logged_as_they_are(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/api/v1/notices/DMCA-2026-000042/")
    client.get("/static/css/no-such-file-1a2b3c4d5e6f.css")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/api/v1/notices/DMCA-2026-000042/" in logged
    assert "/static/css/no-such-file-1a2b3c4d5e6f.css" in logged


def test_a_login_from_no_known_address_says_so(db):
    from iija_compliance.lib.logs import login_client

    line = login_client("nobody", "", "Probe/1.0", "/admin/login/", None)
    assert line == "an unknown account from an unknown address"
