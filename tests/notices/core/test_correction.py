"""The agent's correction of a case that came by e-mail, post or fax."""

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notices.core import cases, statutory
from notices.core.cases import NoticeError
from notices.core.correction import notice_correct
from notices.core.intake import notice_submit
from notices.models import Channel, Notice
from tests.factories import submission, subscriber, web_notice

pytestmark = pytest.mark.django_db

ORIGINAL = b"%PDF-1.4 the letter as it came by post"


def posted(**changes) -> Notice:
    """A paper notice as first transcribed: signed by someone else, no good-faith line."""
    wrong = submission(signature_name="M. Okafor", good_faith_statement=False, **changes)
    return notice_submit(
        submission=wrong,
        channel=Channel.POST,
        actor="agent",
        original=SimpleUploadedFile("letter.pdf", ORIGINAL, "application/pdf"),
    )


def corrected(**changes) -> statutory.NoticeSubmission:
    right = submission(**changes)
    return dataclasses.replace(right, good_faith_text=statutory.GOOD_FAITH_STATEMENT)


def test_each_change_is_an_event_with_old_and_new_value_and_the_checklist_follows():
    notice = posted()
    assert statutory.deficiencies(statutory.submission_of(notice)) != []
    changed = notice_correct(notice_id=notice.id, submission=corrected(), actor="agent")
    assert changed == ["signature_name", "good_faith_statement", "signed_at"]
    events = {e.data["field"]: e for e in notice.events.filter(action="notice.corrected")}
    assert set(events) == {"signature_name", "good_faith_statement"}
    assert (events["signature_name"].data["from"], events["signature_name"].data["to"]) == (
        "M. Okafor",
        "Maria Okafor",
    )
    assert events["signature_name"].actor == "agent"
    assert "“M. Okafor” → “Maria Okafor”" in events["signature_name"].note
    notice.refresh_from_db()
    assert statutory.deficiencies(statutory.submission_of(notice)) == []
    cases.notice_accept(notice_id=notice.id, actor="agent")  # refused before the correction


def test_the_original_document_stays_as_it_came():
    notice = posted()
    attachment = notice.attachments.get()
    before = (attachment.sha256, attachment.file.name)
    notice_correct(notice_id=notice.id, submission=corrected(street="9 Pier Road"), actor="a")
    attachment.refresh_from_db()
    assert (attachment.sha256, attachment.file.name) == before
    with attachment.file.open("rb") as file:
        assert file.read() == ORIGINAL


def test_items_that_stay_keep_their_match_and_new_ones_are_matched():
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    night = subscriber("C-2", "Nightshare", [("domain", "nightshare.example")])
    notice = posted()
    kept = notice.items.get(location="198.51.100.23")
    cases.item_assign_subscriber(item_id=kept.id, subscriber_id=harbor.id, actor="agent")
    items = [
        statutory.Item("198.51.100.23", "FTP server with the full album"),
        statutory.Item("https://files.nightshare.example/night-roads.zip", "a copy"),
    ]
    notice_correct(notice_id=notice.id, submission=corrected(items=items), actor="agent")
    rows = list(notice.items.order_by("position"))
    assert [row.location for row in rows] == [i.location for i in items]
    assert rows[0].id == kept.id and rows[0].subscriber_set_by_hand
    assert rows[0].subscriber == harbor and rows[1].subscriber == night
    event = notice.events.get(action="notice.corrected", data__field="items")
    assert event.data["from"][0] == "https://files.example-host.net/share/night-roads.zip"


def test_saving_what_is_stored_changes_nothing():
    notice = posted()
    unchanged = submission(signature_name="M. Okafor", good_faith_statement=False)
    assert notice_correct(notice_id=notice.id, submission=unchanged, actor="agent") == []
    assert not notice.events.filter(action="notice.corrected").exists()


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.API])
def test_a_web_form_or_api_notice_is_corrected_only_by_a_revised_notice(channel):
    notice = web_notice()
    Notice.objects.filter(id=notice.id).update(channel=channel)
    with pytest.raises(NoticeError, match="only a revised notice from the sender"):
        notice_correct(notice_id=notice.id, submission=corrected(city="Queens"), actor="a")
    notice.refresh_from_db()
    assert notice.city == "Brooklyn"


def test_an_accepted_case_is_not_corrected():
    notice = posted()
    notice_correct(notice_id=notice.id, submission=corrected(), actor="agent")
    cases.notice_accept(notice_id=notice.id, actor="agent")
    with pytest.raises(NoticeError, match="only a case not yet accepted"):
        notice_correct(notice_id=notice.id, submission=corrected(city="Queens"), actor="a")


def test_a_replaced_value_is_personal_data_of_the_case():
    notice = posted()
    notice_correct(notice_id=notice.id, submission=corrected(street="9 Pier Road"), actor="a")
    assert "410 Harbor Avenue, Floor 3" in notice.personal_values()
