"""The transparency report against hand-counted fixtures."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notices.core.cases import (
    notice_accept,
    notice_disable_material,
    notice_mark_deficient,
    notice_reject,
)
from notices.core.intake import notice_submit
from notices.models import Channel
from tests.conftest import clear_cache
from tests.factories import submission, subscriber, web_notice

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


@pytest.fixture
def fixtures():
    """October 2026: 3 web notices, 1 post notice (incomplete, deficient),
    1 rejected as a duplicate, 1 taken down 2 days after receipt.
    November 2026: 1 web notice taken down 4 days after receipt."""
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    october = [web_notice(now=datetime(2026, 10, day, 10, 0, tzinfo=NY)) for day in (1, 2, 3)]
    post = notice_submit(
        submission=submission(signature_name=""),
        channel=Channel.POST,
        actor="agent",
        received_at=datetime(2026, 10, 31, 23, 0, tzinfo=NY),  # still October in New York
    )
    notice_mark_deficient(
        notice_id=post.id, actor="agent", now=datetime(2026, 11, 2, 9, 0, tzinfo=NY)
    )
    notice_reject(
        notice_id=october[0].id,
        reason="duplicate",
        actor="agent",
        now=datetime(2026, 10, 5, tzinfo=NY),
    )
    notice_accept(notice_id=october[1].id, actor="agent")
    item = october[1].items.get(subscriber=harbor)
    notice_disable_material(
        notice_id=october[1].id,
        actions={item.id: "removed"},
        actor="agent",
        now=datetime(2026, 10, 4, 10, 0, tzinfo=NY),
    )
    november = web_notice(now=datetime(2026, 11, 10, 10, 0, tzinfo=NY))
    notice_accept(notice_id=november.id, actor="agent")
    item = november.items.get(subscriber=harbor)
    notice_disable_material(
        notice_id=november.id,
        actions={item.id: "access_disabled"},
        actor="agent",
        now=datetime(2026, 11, 14, 10, 0, tzinfo=NY),
    )
    clear_cache()


def test_monthly_and_yearly_figures_match_the_hand_count(client, fixtures):
    from notices.records.transparency import report

    months = {row["month"].strftime("%Y-%m"): row for row in report()["months"]}
    october, november = months["2026-10"], months["2026-11"]
    assert (october["notices"], october["notices_web"], october["notices_post"]) == (4, 3, 1)
    assert october["items"] == 8  # every factory notice names two locations
    assert (october["rejected"], october["rejected_duplicate"]) == (1, 1)
    assert (october["items_actioned"], october["items_removed"]) == (1, 1)
    assert october["median_days_to_action"] == 2.0
    assert november["deficient"] == 1  # the letter went out in November
    assert (november["notices"], november["items_access_disabled"]) == (1, 1)
    assert november["median_days_to_action"] == 4.0
    (year,) = report()["years"]
    assert (year["year"], year["notices"], year["items_actioned"]) == (2026, 5, 2)
    assert year["median_days_to_action"] == 3.0


def test_the_page_and_the_csv_show_figures_and_no_personal_data(client, fixtures):
    page = client.get(reverse("transparency")).content.decode()
    assert "Transparency report" in page and "<svg" in page
    for personal in ["Okafor", "lanternrow", "+1718", "Harbor Avenue", "example-host.net"]:
        assert personal not in page
    response = client.get(reverse("transparency_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["month"] for row in rows] == ["2026-10", "2026-11"]
    assert rows[0]["notices"] == "4"


def test_the_page_shows_the_agents_designation_number_when_it_is_set(client, settings):
    """§ 512(c)(2): the designation is public record; the page names its number only."""
    settings.AGENT_DESIGNATION_NUMBER = "DMCA-1000123"
    page = client.get(reverse("transparency")).content.decode()
    assert "under designation number <strong>DMCA-1000123</strong>" in page
    settings.AGENT_DESIGNATION_NUMBER = ""
    assert "designation number" not in client.get(reverse("transparency")).content.decode()


def test_a_new_notice_shows_on_the_page_at_once(client):
    assert "No notices yet" in client.get(reverse("transparency")).content.decode()
    web_notice()
    page = client.get(reverse("transparency")).content.decode()
    assert "No notices yet" not in page
    months = client.get(reverse("transparency_csv")).content.decode().splitlines()
    assert len(months) == 2  # the header and this month


def test_a_takedown_the_same_day_has_a_median_of_zero_days_not_none(client):
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = web_notice(now=datetime(2026, 11, 10, 10, 0, tzinfo=NY))
    notice_accept(notice_id=notice.id, actor="agent")
    notice_disable_material(
        notice_id=notice.id,
        actions={notice.items.get(subscriber=harbor).id: "removed"},
        actor="agent",
        now=datetime(2026, 11, 10, 10, 5, tzinfo=NY),
    )
    page = client.get(reverse("transparency")).content.decode()
    year_row = page.split('<th scope="row">2026</th>')[1].split("</tr>")[0]
    assert year_row.endswith("<td>0.0</td>")
    assert "—" not in year_row
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("transparency_csv")).content.decode()))
    )
    assert rows[0]["median_days_to_action"] == "0.0"


def test_a_month_with_no_takedown_has_no_median(client, fixtures):
    web_notice(now=datetime(2026, 12, 1, 10, 0, tzinfo=NY))
    december = client.get(reverse("transparency")).content.decode().split(">Dec 2026</th>")[1]
    assert december.split("</tr>")[0].endswith("<td>—</td>")


def test_the_chart_names_each_month_with_its_year(client, fixtures):
    page = client.get(reverse("transparency")).content.decode()
    assert ">Nov 2026</text>" in page
    assert ">Nov 26</text>" not in page


def _network_notice(ip: str, case_id: str, at: datetime):
    from notices.network.intake import network_events_record

    reported = {"ip": ip, "timestamp": at.isoformat(), "case_id": case_id, "port": 51413}
    return network_events_record(
        [reported], format="acns", sender="notices@rights.example", received_at=at
    )


def _forward(events, at: datetime):
    """A transit digest forwarding the events to their customer, written at `at`."""
    from notices.models import NetworkEvent
    from notices.outbox.letters import letter_create

    case = events[0].case
    letter = letter_create(
        kind="network_digest",
        to_email="abuse@harbor-cloud.example",
        context={"events": []},
        now=at,
        subscriber=case.subscriber,
        network_case=case,
        write_when_sent=True,  # written by the worker; none runs here
    )
    NetworkEvent.objects.filter(id__in=[e.id for e in events]).update(digest_letter=letter)


@pytest.fixture
def network_notices(settings):
    """October 2026 (New York): 3 events on the customer's case, 1 not ours, 1 duplicate;
    2 forwarded in October, 1 in November."""
    from tests.factories import assignment

    settings.NETWORK_NOTICE_MAX_AGE_DAYS = 100_000  # the fixed dates stay in the past
    harbor = subscriber("C-1", "Harbor Cloud")
    assignment(harbor, "192.0.2.0/24", "2026-01-01T00:00:00+00:00")
    taken = [
        _network_notice(f"192.0.2.{n}", f"NW-{n}", datetime(2026, 10, n, 10, 0, tzinfo=NY))[0]
        for n in (1, 2, 3)
    ]
    _network_notice("203.0.113.9", "NW-9", datetime(2026, 10, 4, 10, 0, tzinfo=NY))
    _network_notice("192.0.2.1", "NW-1", datetime(2026, 10, 5, 10, 0, tzinfo=NY))  # again
    _forward(taken[:2], datetime(2026, 10, 6, 10, 0, tzinfo=NY))
    _forward(taken[2:], datetime(2026, 11, 1, 1, 0, tzinfo=NY))
    clear_cache()


def test_network_notices_are_counted_by_month_and_outcome(client, network_notices):
    from notices.records.transparency import report

    months = {row["month"].strftime("%Y-%m"): row for row in report()["months"]}
    october, november = months["2026-10"], months["2026-11"]
    network = ("network_received", "network_forwarded", "network_not_ours", "network_duplicates")
    assert [october[column] for column in network] == [5, 2, 1, 1]
    assert [november[column] for column in network] == [0, 1, 0, 0]
    assert [report()["years"][0][column] for column in network] == [5, 3, 1, 1]
    page = client.get(reverse("transparency")).content.decode()
    assert "Network notices" in page and "No network notices yet" not in page
    for personal in ["192.0.2.", "203.0.113.9", "NW-1", "Harbor Cloud", "rights.example"]:
        assert personal not in page
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("transparency_csv")).text)))
    assert [row["network_forwarded"] for row in rows] == ["2", "1"]


def test_a_network_notice_and_its_forwarding_show_on_the_page_at_once(client, settings):
    from django.utils import timezone

    from notices.records.transparency import report
    from tests.factories import assignment

    def this_month():
        return report()["months"][-1]

    assignment(subscriber("C-1", "Harbor Cloud"), "192.0.2.0/24", "2026-01-01T00:00:00+00:00")
    assert "No network notices yet" in client.get(reverse("transparency")).text
    (event,) = _network_notice("192.0.2.1", "NW-1", timezone.now())
    assert (this_month()["network_received"], this_month()["network_forwarded"]) == (1, 0)
    _forward([event], timezone.now())
    assert this_month()["network_forwarded"] == 1
    assert "No network notices yet" not in client.get(reverse("transparency")).text
