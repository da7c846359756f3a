"""Redis (broker and cache) stopped in the middle of a burst of API submissions."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from iija_compliance.settings import redis_cache
from notices.models import ApiSender, ApiToken, Letter, Notice
from tests.factories import api_notice, form_data
from tests.faults.conftest import fault_env

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BURST = 12  # notices per phase: Redis up, Redis down, Redis up again


def _notice(number: int) -> dict:
    notice = api_notice()
    notice["complainant"]["email"] = f"burst-{number}@northwind-aps.example"
    return notice


def _addresses(numbers) -> list[str]:
    return sorted(f"burst-{number}@northwind-aps.example" for number in numbers)


def _acknowledged(inbox, timeout: float) -> list[str]:
    """Where the letters went, once every stored letter arrived, each exactly once."""
    expected = sorted(Letter.objects.values_list("message_id", flat=True))
    assert inbox.wait_for_letters(expected, timeout=timeout) == expected
    return sorted(message["To"] for message in inbox.messages)


@pytest.fixture
def desk(inbox, smtp_server, redis_server, start_web, start_celery, start_beat):
    """gunicorn, a worker and beat on the test's own Redis; an API sender's token."""
    sender = ApiSender.objects.create(name="Northwind", email="ops@northwind-aps.example")
    _, key = ApiToken.issue(sender)
    env = fault_env(smtp_server, redis_server)
    web = start_web(env)
    start_celery(env)
    start_beat(env)
    return web, key


def test_a_redis_outage_loses_no_notice_and_no_acknowledgement(inbox, redis_server, desk):
    web, key = desk

    def submit(number: int) -> int:
        status, body = web.post_json("/api/v1/notices/", _notice(number), key)
        assert status == 201, (number, status, body)  # never a 500 for the sender
        return status

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(submit, range(BURST)))
        redis_server.stop()
        list(pool.map(submit, range(BURST, 2 * BURST)))
        redis_server.start()  # empty: whatever was queued before is gone too
        list(pool.map(submit, range(2 * BURST, 3 * BURST)))

    assert Notice.objects.count() == 3 * BURST
    web_log = web.log_path.read_text()
    assert "Broker unavailable" in web_log  # the outage was real for the web process
    assert "northwind-aps.example" not in web_log  # and its log names nobody

    assert _acknowledged(inbox, timeout=60) == _addresses(range(3 * BURST))
    assert not Letter.objects.exclude(state=Letter.State.SENT).exists()


def test_after_a_broker_flush_new_letters_still_reach_the_worker(inbox, redis_server, desk):
    """FLUSHALL also deletes the queue bindings that running publishers believe exist."""
    web, key = desk
    for number in range(4):  # each of gunicorn's processes publishes before the flush
        assert web.post_json("/api/v1/notices/", _notice(number), key)[0] == 201
    assert _acknowledged(inbox, timeout=30) == _addresses(range(4))

    redis_server.flush()
    for number in range(4, 8):
        assert web.post_json("/api/v1/notices/", _notice(number), key)[0] == 201
    assert _acknowledged(inbox, timeout=30) == _addresses(range(8))


def test_the_public_form_takes_a_notice_while_redis_is_down(client, redis_server, settings):
    """The form's rate limit counts in Redis; with Redis gone it must let the notice in."""
    settings.CACHES = {"default": redis_cache(f"{redis_server.url}/1")}
    settings.NOTICE_FORM_RATE = "1/h"
    redis_server.stop()
    for number in range(2):  # the second would be refused if the counter could be read
        response = client.post(reverse("notices:new"), form_data(email=f"form-{number}@x.example"))
        assert response.status_code == 302
    assert Notice.objects.count() == 2
