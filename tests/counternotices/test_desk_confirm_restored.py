"""The agent confirms a restoration with the time operations replaced the material."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from counternotices.models import CounterNotice
from counternotices.services import counter_notices_sweep
from tests.factories import counter_notice, notified_case

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def due(client):
    notice, notification = notified_case(now=timezone.now() - timedelta(days=30))
    item = notice.items.get(subscriber=notification.subscriber)
    counter = counter_notice(notice, notification, item, now=timezone.now() - timedelta(days=20))
    day_10_ended = datetime.combine(
        counter.restore_not_before + timedelta(days=1), time(0, 1), tzinfo=NEW_YORK
    )
    counter_notices_sweep(now=day_10_ended)
    agent = User.objects.create_user("agent", password="x", is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    client.force_login(agent)
    return CounterNotice.objects.get(pk=counter.pk)


def confirm(client, counter, **data):
    return client.post(
        reverse("admin:counternotices_counternotice_changelist"),
        {"action": "confirm_restored_action", "_selected_action": [counter.pk], **data},
        follow=True,
    )


def local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def test_the_page_asks_when_the_material_was_replaced_defaulting_to_now(client, due):
    page = confirm(client, due).text
    assert "Material replaced at" in page
    assert f'value="{local(timezone.now())}"' in page
    assert CounterNotice.objects.get(pk=due.pk).state == "due"  # nothing done yet


@pytest.mark.parametrize(
    "when, message",
    [
        (lambda due: timezone.now() + timedelta(hours=2), "This time is still to come."),
        (lambda due: due.due_at - timedelta(hours=1), "the restoration window opened on"),
    ],
    ids=["future", "before the window"],
)
def test_a_replacement_time_out_of_bounds_is_refused(client, due, when, message):
    page = confirm(client, due, apply="1", replaced_at=local(when(due))).text
    assert message in page
    assert CounterNotice.objects.get(pk=due.pk).state == "due"


def test_the_entered_time_is_the_replacement_time_on_record(client, due):
    replaced = due.due_at.replace(second=0, microsecond=0) + timedelta(hours=3)
    page = confirm(client, due, apply="1", replaced_at=local(replaced)).text
    assert "restoration confirmed" in page
    counter = CounterNotice.objects.get(pk=due.pk)
    assert (counter.state, counter.restored_at) == ("restored", replaced)
    assert {item.restored_at for item in counter.items.all()} == {replaced}
    event = counter.notice.events.get(action="counternotice.restored")
    assert datetime.fromisoformat(event.data["replaced_at"]) == replaced
