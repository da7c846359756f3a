"""The takedown's letters as they arrive at a real SMTP server, sent by a real worker."""

import pytest

from notices.core.cases import NoticeError, notice_accept, notice_disable_material
from notices.outbox.letters import letters_sweep
from tests.factories import subscriber, web_notice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL_ITEM = "https://files.example-host.net/share/night-roads.zip"
IP_ITEM = "198.51.100.23"


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_complainant_is_told_once_what_was_done_to_each_location(celery_worker, inbox):
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    address = "takedown-e2e@lanternrow.example"
    notice = web_notice(email=address)
    notice_accept(notice_id=notice.id, actor="agent")
    items = {item.location: item.id for item in notice.items.all()}
    notice_disable_material(
        notice_id=notice.id,
        actions={items[URL_ITEM]: "removed", items[IP_ITEM]: "not_actioned"},
        actor="agent",
    )

    acknowledgement, report = inbox.wait_for(address, count=2)
    assert report["Subject"] == f"{notice.reference}: we acted on your copyright notice"
    body = plain(report).replace("\r\n", "\n")
    assert f"- {URL_ITEM}\n  Material removed, " in body
    assert f"- {IP_ITEM}\n  Not acted on\n" in body
    assert f"/notices/status/{notice.status_token}/" in body
    # The subscriber's letter says who complained in a sentence, not in form labels.
    (notification,) = inbox.wait_for(harbor.notice_email)
    assert (
        "The notice was sent by Maria Okafor of Lantern Row Records LLC, who states that they "
        "are authorized to act for the copyright owner." in " ".join(plain(notification).split())
    )
    assert "(i am" not in plain(notification)

    # Once: the takedown cannot be recorded twice, and no sweep sends the report again.
    with pytest.raises(NoticeError):
        notice_disable_material(notice_id=notice.id, actions={items[IP_ITEM]: "removed"}, actor="x")
    letters_sweep()
    assert len(inbox.to(address)) == 2
    assert notice.letters.filter(kind="material_actioned", state="sent").count() == 1
