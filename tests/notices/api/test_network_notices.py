"""POST /api/v1/network-notices/: ACNS XML or XARF JSON in, the outcome of each event out."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from notices.models import ApiSender, ApiToken, InboundMessage, NetworkCase, NetworkEvent
from notices.records.retention import retention_sweep
from tests.factories import assignment, subscriber
from tests.notices.network.samples import acns_xml

pytestmark = pytest.mark.django_db
URL = "/api/v1/network-notices/"


@pytest.fixture
def sender():
    sender = ApiSender.objects.create(name="Example Monitor", email="ops@monitor.example")
    _, sender.key = ApiToken.issue(sender)
    return sender


@pytest.fixture
def post(client, sender):
    def call(body, content_type="application/xml", key=None, **headers):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return client.generic(
            "POST", URL, data, content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {key or sender.key}", **headers,
        )  # fmt: skip

    return call


@pytest.fixture
def held():
    """203.0.113.0/24 and 2001:db8:5::/48 held by C-5 for the last year and on."""
    customer = subscriber("C-5", "Five")
    since = f"{timezone.now() - timedelta(days=365):%Y-%m-%dT%H:%M:%S+00:00}"
    assignment(customer, "203.0.113.0/24", since)
    assignment(customer, "2001:db8:5::/48", since, service="hosting")
    return customer


def recent(days=1) -> str:
    return f"{timezone.now() - timedelta(days=days):%Y-%m-%dT%H:%M:%SZ}"


def acns(**fields):
    moment = fields.pop("moment", recent())
    return acns_xml(source_time=moment, item_times=(moment,), **fields)


def test_an_acns_report_gives_the_outcome_of_its_event(post, held, sender):
    response = post(acns(ip="203.0.113.5"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["format"] == "acns" and body["kind"] == "takedown"
    assert [(e["ip"], e["case_id"], e["outcome"]) for e in body["events"]] == [
        ("203.0.113.5", "NW-1001", "case")
    ]
    event = NetworkCase.objects.get(subscriber=held).events.get()
    assert event.api_sender == sender and event.inbound.channel == "api"
    assert "C-5" not in response.text and "Five" not in response.text  # who: not theirs


def test_each_outcome_through_the_api(post, held, settings):
    assert post(acns(ip="203.0.113.5")).json()["events"][0]["outcome"] == "case"
    assert post(acns(ip="203.0.113.5")).json()["events"][0]["outcome"] == "duplicate"
    other = acns(ip="192.0.2.200", case_id="NW-2")
    assert post(other).json()["events"][0]["outcome"] == "not_ours"
    settings.NETWORK_NOTICE_MAX_AGE_DAYS = 10
    old = acns(ip="203.0.113.5", case_id="NW-3", moment=recent(days=11))
    assert post(old).json()["events"][0]["outcome"] == "too_old"
    assert NetworkEvent.objects.count() == 4


def test_a_xarf_report_as_json(post, held):
    report = {
        "xarf_version": "4.2.0",
        "report_id": "7d1c0e8e-0000-4000-8000-000000000002",
        "timestamp": recent(),
        "reporter": {"org": "Example Monitor", "contact": "reports@monitor.example"},
        "source_identifier": "2001:db8:5::10",
        "source_port": 6881,
        "category": "copyright",
        "type": "p2p",
        "p2p_protocol": "bittorrent",
        "work_title": "An Example Film",
        "rights_holder": "Example Pictures LLC",
    }
    body = post(report, content_type="application/json").json()
    assert body["format"] == "xarf"
    assert [(e["ip"], e["outcome"]) for e in body["events"]] == [("2001:db8:5::10", "case")]


def test_a_report_it_cannot_read_is_refused_with_the_reason(post, held):
    response = post(b"<Infringement><Case><ID>1</ID></Case></Infringement>")
    assert response.status_code == 400
    assert "no address and time" in response.json()["errors"]["request"][0]
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Infringement>&a;</Infringement>'
    assert post(doctype).status_code == 400
    assert post(b"ip=203.0.113.5", content_type="text/plain").status_code == 415
    assert not NetworkEvent.objects.exists()


def test_a_zoned_ipv6_address_is_refused_with_the_reason(post, held):
    response = post(acns(ip="fe80::1%eth0"))
    assert response.status_code == 400, response.content
    (reason,) = response.json()["errors"]["request"]
    assert "'fe80::1%eth0' is an IPv6 address with a zone (after %)" in reason
    xarf = {
        "xarf_version": "4.2.0",
        "report_id": "7d1c0e8e-0000-4000-8000-000000000003",
        "timestamp": recent(),
        "reporter": {"org": "Example Monitor", "contact": "reports@monitor.example"},
        "source_identifier": "fe80::1%eth0",
        "category": "copyright",
        "type": "p2p",
    }
    response = post(xarf, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "with a zone" in response.json()["errors"]["request"][0]
    assert not NetworkEvent.objects.exists() and not InboundMessage.objects.exists()


def test_sizes_are_capped(post, held):
    from notices.network.reading import MAX_PAYLOAD_BYTES

    padding = "<!--" + "x" * MAX_PAYLOAD_BYTES + "-->"
    response = post(acns(ip="203.0.113.5") + padding)
    assert response.status_code == 413
    assert f"{MAX_PAYLOAD_BYTES:,} bytes" in response.json()["errors"]["request"][0]
    assert not NetworkEvent.objects.exists()


def test_a_token_is_needed(client, held):
    response = client.generic("POST", URL, acns(ip="203.0.113.5"), content_type="application/xml")
    assert response.status_code == 401
    assert not NetworkEvent.objects.exists()


def test_a_retried_request_with_an_idempotency_key_is_answered_once(post, held):
    report = acns(ip="203.0.113.5")
    first = post(report, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(report, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert NetworkEvent.objects.count() == 1


def test_the_report_is_kept_as_received_and_removed_after_the_retention_period(
    post, held, sender, client, settings
):
    """Like a mailed notice, the payload is kept for the agent: downloaded as sent, then
    anonymized with the mail that reached no notice case."""
    report = acns(ip="203.0.113.5")
    post(report, HTTP_IDEMPOTENCY_KEY="k-2")
    post(report, HTTP_IDEMPOTENCY_KEY="k-2")  # a retry keeps nothing more
    kept = InboundMessage.objects.get()
    assert (kept.channel, kept.kind, kept.created_case) == ("api", "network", True)
    assert kept.original.read() == report.encode()
    assert kept.sender == "Example Monitor <ops@monitor.example>"
    assert kept.reading["network_events"][0]["ip"] == "203.0.113.5"
    assert list(kept.network_events.all()) == list(NetworkEvent.objects.all())

    agent = User.objects.create_user(username="agent", password="x", is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(agent)
    download = client.get(reverse("admin:notices_inboundmessage_original", args=[kept.id]))
    assert download["Content-Disposition"] == f'attachment; filename="report-{kept.id}.xml"'
    assert b"".join(download.streaming_content) == report.encode()
    page = client.get(reverse("admin:notices_inboundmessage_change", args=[kept.id]))
    assert "Download the report as received (.xml)" in page.content.decode()
    auditor = User.objects.create_user(username="auditor", password="x", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditor"))
    client.force_login(auditor)
    download = client.get(reverse("admin:notices_inboundmessage_original", args=[kept.id]))
    assert download.status_code == 403

    settings.RETENTION_YEARS = 1
    path = Path(kept.original.path)
    # The event and the report it came in.
    assert retention_sweep(now=timezone.now() + timedelta(days=400)) == 2
    kept.refresh_from_db()
    assert (kept.sender, kept.reading, kept.original.name) == ("", {}, "")
    assert not path.exists()


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][URL]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/xml", "application/json"}
    assert {"200", "400", "401", "413", "415"} <= set(operation["responses"])
