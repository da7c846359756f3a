"""PostgreSQL restarted while clients are submitting notices through the API."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from iija_compliance.lib.middleware import DatabaseUnavailableMiddleware
from tests.factories import api_notice
from tests.faults.conftest import fault_env, manage

pytestmark = pytest.mark.faults

CLIENTS = 6


def _notice(client: int, number: int) -> dict:
    tag = f"{client}-{number}"
    return api_notice(
        works=[{"description": f"Photograph {tag}/{w}"} for w in range(3)],
        infringing_material=[
            {"location": f"https://files.example-host.net/{tag}/{i}.jpg"} for i in range(10)
        ],
    )


def _started(smtp_server, redis_server, postgres_server, start_web):
    # As many notices as the clients can send: the per-token rate limit is not under test.
    env = fault_env(
        smtp_server, redis_server, DATABASE_URL=postgres_server.url, API_RATE="100000/min"
    )
    manage(env, "migrate", "--noinput")
    key = manage(env, "create_api_sender", "Northwind", "--email", "ops@northwind.example")
    return start_web(env), key.split("store it now): ")[1].strip()


def test_a_database_restart_gives_clear_answers_and_no_half_saved_notice(
    smtp_server, redis_server, postgres_server, start_web
):
    web, key = _started(smtp_server, redis_server, postgres_server, start_web)
    answers: list[tuple[float, int, dict]] = []
    stopping = threading.Event()

    def client(number: int) -> None:
        sent = 0
        while not stopping.is_set():
            status, body = web.post_json("/api/v1/notices/", _notice(number, sent), key)
            answers.append((time.monotonic(), status, body))
            sent += 1

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        clients = [pool.submit(client, number) for number in range(CLIENTS)]
        time.sleep(3)
        restarted_at = time.monotonic()
        postgres_server.restart()
        time.sleep(4)
        stopping.set()
    for finished in clients:
        finished.result()  # a client that died on a dropped connection fails the test here

    refused = [body for _, status, body in answers if status != 201]
    assert refused  # the restart was felt: some requests met it
    assert {status for _, status, _ in answers} <= {201, 503}, refused
    for body in refused:
        assert body["errors"]["service"] == [DatabaseUnavailableMiddleware.API_MESSAGE]
    assert any(at > restarted_at for at, status, _ in answers if status == 201)  # recovered

    with psycopg.connect(postgres_server.url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute(
            "SELECT n.reference,"
            " (SELECT count(*) FROM notices_work w WHERE w.notice_id = n.id),"
            " (SELECT count(*) FROM notices_infringingitem i WHERE i.notice_id = n.id),"
            " (SELECT count(*) FROM notices_letter l WHERE l.notice_id = n.id)"
            " FROM notices_notice n"
        ).fetchall()
    assert {tuple(row[1:]) for row in rows} == {(3, 10, 1)}  # whole, with its letter
    accepted = {body["reference"] for _, status, body in answers if status == 201}
    assert accepted <= {reference for reference, *_ in rows}


def test_while_the_database_is_down_pages_and_the_api_say_so_plainly(
    smtp_server, redis_server, postgres_server, start_web
):
    web, key = _started(smtp_server, redis_server, postgres_server, start_web)
    status, body = web.post_json("/api/v1/notices/", _notice(0, 0), key)
    assert status == 201
    status_page = "/notices/status/" + body["status_url"].rsplit("/status/", 1)[1]
    assert web.get(status_page)[0] == 200

    postgres_server.stop()
    status, headers, page = web.get(status_page)
    assert (status, headers["Retry-After"]) == (503, "30")
    assert "The desk is briefly unavailable" in page and "nothing was saved" in page
    status, body = web.post_json("/api/v1/notices/", _notice(0, 1), key)
    assert status == 503 and "Idempotency-Key" in body["errors"]["service"][0]

    postgres_server.start()
    assert web.get(status_page)[0] == 200
