from datetime import UTC, datetime

import pytest
from django.db import IntegrityError

from iija_compliance.lib.signing import Signing
from notices.core.cases import NoticeError
from notices.core.intake import notice_submit
from notices.core.statutory import GOOD_FAITH_STATEMENT
from notices.models import Channel, InfringingItem, Letter, Notice, NoticeEvent, Work
from notices.outbox.letters import letter_send
from tests.factories import submission

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def submit(**changes) -> Notice:
    return notice_submit(
        submission=submission(**changes),
        channel=Channel.WEB,
        actor="public form",
        signing=Signing(ip="203.0.113.9", user_agent="Firefox/140"),
        now=NOW,
    )


def test_it_stores_the_notice_with_all_its_rows():
    notice = submit()
    assert notice.status == "received"
    assert notice.channel == "web"
    assert notice.received_at == NOW
    assert notice.complainant_organization == "Lantern Row Records LLC"
    assert notice.signature_name == "Maria Okafor"
    assert (notice.signature_ip, notice.signature_user_agent) == ("203.0.113.9", "Firefox/140")
    assert notice.signed_at == NOW
    # The statements as stored, in the statute's words (§ 512(c)(3)(A)(v) and (vi)).
    assert notice.good_faith_statement == GOOD_FAITH_STATEMENT
    assert "good faith belief" in notice.good_faith_statement
    assert "not authorized by the copyright owner, its agent, or the law" in (
        notice.good_faith_statement
    )
    assert "under penalty of perjury" in notice.accuracy_statement
    assert "authorized to act on behalf of the owner" in notice.accuracy_statement
    assert Work.objects.filter(notice=notice).count() == 1
    items = list(InfringingItem.objects.filter(notice=notice))
    assert [(i.kind, i.host) for i in items] == [
        ("url", "files.example-host.net"),
        ("ip", "198.51.100.23"),
    ]
    assert items[1].description == "FTP server with the full album"


def test_references_count_up_within_the_year_of_receipt_in_new_york():
    first, second = submit(), submit()
    assert first.reference == "DMCA-2026-000001"
    assert second.reference == "DMCA-2026-000002"
    # 03:00 UTC on 1 January is still New Year's Eve in New York.
    late = notice_submit(
        submission=submission(),
        channel=Channel.WEB,
        actor="public form",
        now=datetime(2027, 1, 1, 3, 0, tzinfo=UTC),
    )
    assert late.reference == "DMCA-2026-000003"


def test_it_records_the_receipt_and_queues_the_acknowledgement_written_when_sent(mailoutbox):
    notice = submit()
    event = NoticeEvent.objects.get(notice=notice)
    assert (event.action, event.actor, event.to_status) == (
        "notice.received",
        "public form",
        "received",
    )
    letter = Letter.objects.get(notice=notice)
    assert letter.kind == "acknowledgement"
    assert letter.to_email == "m.okafor@lanternrow.example"
    assert letter.state == "queued"
    assert (letter.subject, letter.body_text) == ("", "")  # the worker writes it

    letter_send(letter_id=letter.id)
    letter.refresh_from_db()
    (sent,) = mailoutbox
    # The records keep the letter as it went out.
    assert (letter.subject, letter.body_text) == (sent.subject, sent.body)
    assert letter.context == {}
    assert notice.reference in letter.subject
    assert f"/notices/status/{notice.status_token}/" in letter.body_text
    assert f"/notices/status/{notice.status_token}/" in letter.body_html
    assert "Works identified: 1\nLocations reported: 2\n" in letter.body_text
    assert ">Locations reported</td><td" in letter.body_html
    assert letter.body_html.count(">2</td>") == 1 and letter.body_html.count(">1</td>") == 1


def test_status_tokens_are_long_and_unique():
    tokens = {submit().status_token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)


def test_it_refuses_an_incomplete_web_notice_and_stores_nothing():
    with pytest.raises(NoticeError) as error:
        submit(accuracy_statement=False)
    assert [c.element.id for c in error.value.checks] == ["accuracy_statement"]
    assert Notice.objects.count() == 0
    assert Letter.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failure_at_commit_leaves_nothing_half_saved():
    # A link to a case that does not exist fails only when the transaction commits, after
    # the notice, its rows and its letter were written: all of them must go.
    with pytest.raises(IntegrityError):
        notice_submit(
            submission=submission(),
            channel=Channel.WEB,
            actor="public form",
            revises=Notice(id=10**9),
            now=NOW,
        )
    assert Notice.objects.count() == Work.objects.count() == Letter.objects.count() == 0
    assert InfringingItem.objects.count() == NoticeEvent.objects.count() == 0


def test_audit_events_cannot_be_changed_or_deleted():
    event = NoticeEvent.objects.get(notice=submit())
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_a_notice_with_many_items_stores_them_all_as_a_short_one_does():
    """Past rows.COPY_FROM_ROWS items, they are streamed with COPY on PostgreSQL."""
    from iija_compliance.lib import rows
    from notices.core.statutory import Item
    from tests.factories import subscriber

    host = subscriber("C-7", "Harbor Cloud", [("domain", "example-host.net")])
    count = rows.COPY_FROM_ROWS + 5
    locations = [f"https://files.example-host.net/night-roads/{n:05d}.zip" for n in range(count)]
    notice = submit(items=[Item(location, f"part {n}") for n, location in enumerate(locations)])
    stored = list(InfringingItem.objects.filter(notice=notice).order_by("position"))
    assert [item.location for item in stored] == locations
    assert [item.position for item in stored] == list(range(count))
    last = stored[-1]
    assert (last.kind, last.host, last.subscriber, last.description) == (
        "url",
        "files.example-host.net",
        host,
        f"part {count - 1}",
    )
    assert last.location_hash == InfringingItem.hash_location(last.normalized)
    assert (last.action, last.actioned_at, last.subscriber_set_by_hand) == ("", None, False)
