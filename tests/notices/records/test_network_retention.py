"""Retention of network notices: what reached no customer goes after
NETWORK_UNMATCHED_RETENTION_DAYS, a customer's § 512(i) record after RETENTION_YEARS;
the events, their counts and the sender's references stay."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from notices.mailbox.intake import intake_raw
from notices.models import Letter, NetworkEvent, NetworkSender
from notices.network.senders import network_sender_for
from notices.outbox.letters import letter_create
from notices.records.retention import retention_sweep
from notices.records.transparency import _compute
from tests.factories import assignment, subscriber
from tests.notices.network.samples import acns_xml, letter, mail

pytestmark = pytest.mark.django_db


def report(message_id, ip, case_id, arrived):
    moment = f"{arrived - timedelta(hours=3):%Y-%m-%dT%H:%M:%SZ}"
    xml = acns_xml(ip=ip, case_id=case_id, source_time=moment, item_times=(moment,))
    message = mail(letter(ip=ip, moment=moment, xml=xml))
    message.replace_header("Message-ID", message_id)
    return intake_raw(message.as_bytes(), received_at=arrived)


@pytest.fixture
def reports(settings):
    """120 days ago: one report on the customer's case, one not ours (its sender asked for
    ACNS replies); both with their mail."""
    settings.RETENTION_YEARS = 1
    settings.NETWORK_UNMATCHED_RETENTION_DAYS = 90
    settings.NETWORK_NOTICE_MAX_AGE_DAYS = 100_000
    arrived = timezone.now() - timedelta(days=120)
    since = f"{arrived - timedelta(days=30):%Y-%m-%dT%H:%M:%S+00:00}"
    assignment(subscriber("C-4", "Four"), "198.51.100.0/24", since)
    sender = network_sender_for("notices@rights.example", format="acns", now=arrived)
    NetworkSender.objects.filter(id=sender.id).update(reply="acns")
    taken = report("<r-1@rights.example>", "198.51.100.8", "NW-1", arrived)
    stranger = report("<r-2@rights.example>", "203.0.113.8", "NW-2", arrived)
    return taken, stranger


def test_what_reached_no_customer_goes_after_its_days(reports):
    taken, stranger = reports
    path = Path(stranger.original.path)
    figures = _compute()
    assert retention_sweep() == 2  # the not-ours event and its mail
    assert retention_sweep() == 0
    gone = NetworkEvent.objects.get(vendor_case_id="NW-2")
    assert (gone.ip, gone.port, gone.files, gone.complainant) == ("203.0.113.0", None, [], "")
    assert "203.0.113.8" not in gone.dedup_key and gone.anonymized_at
    assert (gone.outcome, gone.vendor_case_id, gone.sender) == (
        "not_ours",
        "NW-2",
        "notices@rights.example",
    )
    stranger.refresh_from_db()
    assert (stranger.sender, stranger.reading, stranger.original.name) == ("", {}, "")
    assert not path.exists()
    reply = Letter.objects.get(inbound=stranger)
    assert reply.body_text.startswith("[Removed under the retention policy")
    assert "NW-2" not in reply.body_html and reply.to_email == ""
    # The customer's record keeps everything for RETENTION_YEARS.
    kept = NetworkEvent.objects.get(vendor_case_id="NW-1")
    assert (kept.ip, kept.port, kept.anonymized_at) == ("198.51.100.8", 51413, None)
    assert "NW-1" in Letter.objects.get(inbound=taken).body_text
    taken.refresh_from_db()
    assert Path(taken.original.path).exists()
    assert _compute() == figures  # the public counts do not change


def test_a_customers_record_goes_after_the_retention_years(reports, settings):
    taken, _ = reports
    event = NetworkEvent.objects.get(vendor_case_id="NW-1")
    digest = letter_create(
        kind="network_digest",
        to_email="abuse@four.example",
        context={"events": [event.ip]},
        now=event.received_at,
        subscriber=event.subscriber,
        network_case=event.case,
        write_when_sent=True,
    )
    NetworkEvent.objects.filter(id=event.id).update(digest_letter=digest)
    settings.RETENTION_YEARS = 0  # as if the years had passed
    retention_sweep()
    event.refresh_from_db()
    assert (event.ip, event.port, event.files) == ("198.51.100.0", None, [])
    assert (event.outcome, event.case, event.subscriber.account_id) == (
        "case",
        event.case,
        "C-4",
    )
    digest.refresh_from_db()
    assert digest.context == {} and digest.to_email == ""
    taken.refresh_from_db()
    assert taken.original.name == ""


@pytest.mark.parametrize(
    ("address", "network"),
    [("198.51.100.8", "198.51.100.0"), ("2001:db8:42:7::1", "2001:db8:42::")],
)
def test_an_address_is_cut_to_its_network(address, network):
    from notices.records.retention import _network_of

    assert _network_of(address) == network
