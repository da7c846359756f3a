"""Transit digests and the registry of senders: the window between letters, what goes in
each letter, who reported each event, and the agent's decisions about senders."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from notices.mailbox.intake import intake_raw
from notices.models import Letter, NetworkEvent, NetworkSender, NetworkSenderDecision
from notices.network.digest import digests_sweep
from notices.network.reading import read_network_notice
from notices.network.senders import DecisionRefused, sender_decide
from tests.factories import assignment, subscriber

from .samples import acns_xml, letter, mail

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def held():
    """198.51.100.0/24 carried for T-1 (transit), 203.0.113.0/24 hosted for T-1 too."""
    customer = subscriber("T-1", "Transit One")
    assignment(customer, "198.51.100.0/24", "2026-01-01T00:00:00Z")
    assignment(customer, "203.0.113.0/24", "2026-01-01T00:00:00Z", service="hosting")
    return customer


def take_in(number, ip, arrived, *, sender="Notices <notices@rights.example>", extra=""):
    moment = f"{arrived - timedelta(hours=2):%Y-%m-%dT%H:%M:%SZ}"
    xml = acns_xml(ip=ip, case_id=f"NW-{number}", source_time=moment, item_times=(moment,))
    message = mail(letter(ip=ip, moment=moment, xml=xml) + extra, sender=sender)
    message.replace_header("Message-ID", f"<n-{number}@rights.example>")
    return intake_raw(message.as_bytes(), received_at=arrived)


def digests(customer):
    return list(Letter.objects.filter(subscriber=customer, kind="network_digest"))


def test_one_letter_per_window_lists_every_event_since_the_last(held, settings):
    settings.NETWORK_DIGEST_HOURS = 24
    take_in(1, "198.51.100.1", NOON)
    take_in(2, "198.51.100.2", NOON + timedelta(minutes=5))
    assert digests_sweep(now=NOON + timedelta(minutes=10)) == 1
    (first,) = digests(held)
    assert "2 copyright notices" in first.subject
    assert "198.51.100.1" in first.body_text and "198.51.100.2" in first.body_text

    take_in(3, "198.51.100.3", NOON + timedelta(hours=1))
    take_in(4, "198.51.100.4", NOON + timedelta(hours=20))
    assert digests_sweep(now=NOON + timedelta(hours=23)) == 0  # within the window
    assert digests_sweep(now=NOON + timedelta(hours=24, minutes=11)) == 1
    second = digests(held)[1]
    assert "2 copyright notices" in second.subject
    assert "198.51.100.3" in second.body_text and "198.51.100.4" in second.body_text
    assert "198.51.100.1" not in second.body_text
    marked = dict(NetworkEvent.objects.values_list("vendor_case_id", "digest_letter"))
    assert marked == {"NW-1": first.id, "NW-2": first.id, "NW-3": second.id, "NW-4": second.id}
    assert digests_sweep(now=NOON + timedelta(days=5)) == 0  # nothing left to forward


def test_the_window_is_a_setting(held, settings):
    settings.NETWORK_DIGEST_HOURS = 1
    take_in(1, "198.51.100.1", NOON)
    digests_sweep(now=NOON + timedelta(minutes=1))
    take_in(2, "198.51.100.2", NOON + timedelta(minutes=30))
    assert digests_sweep(now=NOON + timedelta(minutes=59)) == 0
    assert digests_sweep(now=NOON + timedelta(minutes=62)) == 1


def test_hosting_and_events_on_no_case_are_not_forwarded(held):
    take_in(1, "203.0.113.9", NOON)  # hosted: the customer is asked to remove it instead
    take_in(2, "192.0.2.1", NOON)  # not ours
    assert digests_sweep(now=NOON + timedelta(hours=1)) == 0
    assert not Letter.objects.filter(kind="network_digest").exists()


def test_run_sweeps_writes_the_digests(held, capsys):
    take_in(1, "198.51.100.1", datetime.now(UTC) - timedelta(hours=1))
    call_command("run_sweeps")
    assert "network-digests-sweep: transit digests written: 1" in capsys.readouterr().out
    assert len(digests(held)) == 1


def test_each_event_names_its_sender_in_the_registry(held):
    take_in(1, "198.51.100.1", NOON)
    take_in(2, "198.51.100.2", NOON, sender="Vendor <robot@vendor.example>")
    take_in(3, "198.51.100.3", NOON, sender="Vendor <ROBOT@vendor.example>")
    one, two, three = NetworkEvent.objects.order_by("vendor_case_id")
    assert one.reporter.name == "rights.example"
    assert two.reporter == three.reporter  # one address, whatever its case
    assert two.reporter.formats_seen == ["acns"]
    assert NetworkSender.objects.count() == 2


def test_the_reader_flags_a_settlement_demand():
    plain = mail(letter(xml=acns_xml()))
    demanding = mail(letter(xml=acns_xml()) + "\nTo settle this claim, pay USD 250 at once.\n")
    assert "settlement_demand" not in read_network_notice(plain).flags
    assert "settlement_demand" in read_network_notice(demanding).flags


def test_a_decision_needs_its_reason_and_is_kept(held):
    take_in(1, "198.51.100.1", NOON)
    sender = NetworkSender.objects.get()
    with pytest.raises(DecisionRefused, match="reason"):
        sender_decide(sender_id=sender.id, actor="agent", reason=" ", now=NOON, facts_only=True)
    sender.refresh_from_db()
    assert not sender.facts_only and not sender.decisions.exists()

    decision = sender_decide(
        sender_id=sender.id, actor="agent", reason="Demands money.", now=NOON, facts_only=True
    )
    assert decision.changes == {"facts_only": [False, True]}
    assert sender_decide(
        sender_id=sender.id, actor="agent", reason="Again.", now=NOON, facts_only=True
    ) is None  # fmt: skip
    sender_decide(sender_id=sender.id, actor="agent", reason="Asked for it.", now=NOON,
                  reply="text")  # fmt: skip
    assert [d.changes for d in sender.decisions.all()] == [
        {"facts_only": [False, True]},
        {"reply": ["off", "text"]},
    ]
    with pytest.raises(ValueError, match="cannot be changed"):
        decision.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        decision.delete()
    with pytest.raises(DecisionRefused):
        sender_decide(sender_id=sender.id, actor="agent", reason="x", now=NOON, reply="fax")
    assert NetworkSenderDecision.objects.count() == 2


def test_a_facts_only_sender_is_forwarded_without_its_original(held):
    take_in(1, "198.51.100.1", NOON, sender="Claims <claims@settle.example>")
    take_in(2, "198.51.100.2", NOON)
    sender = NetworkSender.objects.get(name="settle.example")
    sender_decide(sender_id=sender.id, actor="agent", reason="Settlements.", now=NOON,
                  facts_only=True)  # fmt: skip
    digests_sweep(now=NOON + timedelta(hours=1))
    (digest,) = digests(held)
    assert [inbound.message_id for inbound in digest.originals.all()] == ["<n-2@rights.example>"]
    assert "forwarded as facts only" in digest.body_text
    assert "The original notice is attached as received." in digest.body_text


def test_an_api_sender_is_a_sender_of_the_registry_under_its_name(held):
    from notices.models import ApiSender
    from notices.network.intake import network_events_record

    api = ApiSender.objects.create(name="Example Monitor", email="ops@monitor.example")
    moment = f"{NOON - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"
    (event,) = network_events_record(
        [{"ip": "198.51.100.5", "timestamp": moment, "case_id": "X-1"}],
        format="xarf",
        sender=f"api:{api.id}",
        received_at=NOON,
        api_sender=api,
    )
    assert (event.reporter.name, event.reporter.api_sender) == ("Example Monitor", api)
    digests_sweep(now=NOON + timedelta(minutes=1))
    (digest,) = digests(held)
    assert "Example Monitor, their case X-1" in digest.body_text
    assert "filed through our API, not by e-mail" in digest.body_text
    assert not digest.originals.exists()


def test_notices_taken_in_as_a_batch_name_their_sender_too(held):
    from notices.mailbox.intake import intake_batch

    raws = []
    for number, sender in [
        (1, "Notices <notices@rights.example>"),
        (2, "V <robot@vendor.example>"),
    ]:
        moment = f"{NOON - timedelta(hours=2):%Y-%m-%dT%H:%M:%SZ}"
        ip = f"198.51.100.{number}"
        xml = acns_xml(ip=ip, case_id=f"NW-{number}", source_time=moment, item_times=(moment,))
        message = mail(letter(ip=ip, moment=moment, xml=xml), sender=sender)
        message.replace_header("Message-ID", f"<b-{number}@rights.example>")
        raws.append(message.as_bytes())
    intake_batch(raws, received_at=NOON)
    names = dict(NetworkEvent.objects.values_list("vendor_case_id", "reporter__name"))
    assert names == {"NW-1": "rights.example", "NW-2": "vendor.example"}
