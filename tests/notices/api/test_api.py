"""The API for bulk senders: contract, statutory errors by element id, limits, access."""

import contextlib
import json
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from notices.models import (
    ApiSender,
    ApiToken,
    IdempotencyRecord,
    InfringingItem,
    Letter,
    Notice,
)
from notices.outbox.letters import letter_send
from tests.factories import api_notice

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/notices/"
BATCH = "/api/v1/notices/batch/"


@pytest.fixture
def sender():
    sender = ApiSender.objects.create(name="Northwind", email="ops@northwind-aps.example")
    token, key = ApiToken.issue(sender)
    sender.key = key
    return sender


@pytest.fixture
def api_rate(settings):
    """Set the API's rate per token for one test."""
    from rest_framework.settings import api_settings

    from notices.api.auth import TokenRateThrottle

    original = TokenRateThrottle.THROTTLE_RATES

    def set_rate(rate: str) -> None:
        # DRF reloads its settings on the change; the throttle class keeps what it read.
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"token": rate},
        }
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    yield set_rate
    TokenRateThrottle.THROTTLE_RATES = original


@pytest.fixture
def api(client, sender):
    def call(method, url, body=None, key=None, **headers):
        return getattr(client, method)(
            url,
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key or sender.key}",
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
        )

    return call


def test_a_notice_is_created_and_followed_by_reference(api, sender):
    response = api("post", CREATE, api_notice())
    assert response.status_code == 201, response.json()
    body = response.json()
    notice = Notice.objects.get(reference=body["reference"])
    assert (notice.channel, notice.api_sender, notice.phone) == ("api", sender, "+16465550102")
    assert body["status"] == "received"
    assert body["status_url"].endswith(f"/notices/status/{notice.status_token}/")
    detail = api("get", body["url"]).json()
    assert detail["reference"] == notice.reference
    assert detail["items"][0]["location"] == "https://files.example-host.net/glass-harbor.mkv"
    assert detail["timeline"][0]["event"] == "notice.received"
    assert detail["counter_notices"] == []


@pytest.mark.parametrize(
    "changes, element",
    [
        ({"signature": {"name": ""}}, "signature"),
        ({"works": []}, "copyrighted_work"),
        ({"infringing_material": [{"location": "not a place"}]}, "infringing_material"),
        ({"good_faith_statement": False}, "good_faith_statement"),
        ({"accuracy_statement": False}, "accuracy_statement"),
    ],
)
def test_a_missing_element_is_an_error_keyed_by_its_id(api, changes, element):
    response = api("post", CREATE, api_notice(**changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [element]
    assert "§ 512(c)(3)(A)" in errors[element][0]
    assert not Notice.objects.exists()


def test_contact_errors_are_filed_under_contact_information(api):
    notice = api_notice()
    notice["complainant"]["phone"] = "12"
    notice["complainant"]["address"]["country"] = "XX"
    errors = api("post", CREATE, notice).json()["errors"]
    assert list(errors) == ["contact_information"]
    assert any(
        "complainant.address.country" in message for message in errors["contact_information"]
    )


@pytest.mark.parametrize(
    "body, key",
    [
        ({**api_notice(), "extra": 1}, "extra"),
        (api_notice(good_faith_statement="maybe"), "good_faith_statement"),
        (api_notice(works="not a list"), "copyrighted_work"),
        (api_notice(signature={"name": "x" * 201}), "signature"),
        ([api_notice()], "request"),
    ],
)
def test_bad_shapes_get_a_clear_400(api, body, key):
    response = api("post", CREATE, body)
    assert response.status_code == 400
    assert key in response.json()["errors"]


def test_invalid_json_invalid_utf8_and_deep_nesting_are_400_not_500(client, sender):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {sender.key}"}
    for raw in [
        b"{not json",
        b'{"signature": {"name": "\xff\xfe"}}',
        b"[" * 100_000 + b"]" * 100_000,
    ]:
        response = client.post(CREATE, data=raw, content_type="application/json", **auth)
        assert response.status_code == 400, raw[:20]
        assert "errors" in response.json()


def test_only_json_is_accepted(client, sender):
    response = client.post(CREATE, data={"a": "b"}, HTTP_AUTHORIZATION=f"Bearer {sender.key}")
    assert response.status_code == 415


def test_an_accept_header_without_json_gets_406_as_the_schema_documents(client, sender):
    response = client.get(
        "/api/v1/notices/DMCA-2026-000001/",
        HTTP_ACCEPT="text/x-unknown",
        HTTP_AUTHORIZATION=f"Bearer {sender.key}",
    )
    assert response.status_code == 406
    assert json.loads(response.content)["errors"]["request"]
    schema = json.loads(client.get("/api/schema/", HTTP_ACCEPT="application/json").content)
    assert "406" in schema["paths"]["/api/v1/notices/{reference}/"]["get"]["responses"]


def test_every_request_needs_a_valid_token(client, api, sender):
    assert client.post(CREATE, data="{}", content_type="application/json").status_code == 401
    assert api("post", CREATE, api_notice(), key="dmca_wrong").status_code == 401
    ApiToken.objects.update(revoked_at="2026-11-01T00:00Z")
    assert api("post", CREATE, api_notice()).status_code == 401


@pytest.mark.parametrize("withdraw", ["revoke the token", "deactivate the sender"])
def test_a_token_in_use_is_refused_once_the_cache_time_has_passed(api, sender, settings, withdraw):
    """Each web process remembers a valid token for API_TOKEN_CACHE_SECONDS (10 by default,
    as the README says); here 1 s, to wait for it."""
    settings.API_TOKEN_CACHE_SECONDS = 1
    assert api("post", CREATE, api_notice()).status_code == 201  # remembered from here
    if withdraw == "revoke the token":
        ApiToken.objects.update(revoked_at=timezone.now())
    else:
        ApiSender.objects.update(active=False)
    time.sleep(1.1)
    assert api("post", CREATE, api_notice()).status_code == 401
    assert Notice.objects.count() == 1


def test_a_sender_sees_only_its_own_cases(api, sender):
    reference = api("post", CREATE, api_notice()).json()["reference"]
    other = ApiSender.objects.create(name="Other", email="o@example.org")
    _, other_key = ApiToken.issue(other)
    assert api("get", f"{CREATE}{reference}/", key=other_key).status_code == 404
    assert api("get", f"{CREATE}{reference}/").status_code == 200


def test_the_last_use_of_a_token_is_recorded(api, sender):
    api("get", f"{CREATE}DMCA-2026-999999/")
    assert ApiToken.objects.get().last_used_at is not None


def test_rate_limits_are_per_token_and_answer_429_with_retry_after(api, sender, api_rate):
    api_rate("3/min")
    for _ in range(3):
        assert api("get", f"{CREATE}DMCA-2026-999999/").status_code == 404
    limited = api("get", f"{CREATE}DMCA-2026-999999/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "errors" in limited.json()
    other = ApiSender.objects.create(name="Other", email="o@example.org")
    _, other_key = ApiToken.issue(other)
    assert api("get", f"{CREATE}DMCA-2026-999999/", key=other_key).status_code == 404


def test_a_retried_request_with_the_same_idempotency_key_creates_one_notice(api):
    first = api("post", CREATE, api_notice(), **{"Idempotency-Key": "batch-7-notice-1"})
    again = api("post", CREATE, api_notice(), **{"Idempotency-Key": "batch-7-notice-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Notice.objects.count() == 1
    changed = api(
        "post",
        CREATE,
        api_notice(works=[{"description": "other"}]),
        **{"Idempotency-Key": "batch-7-notice-1"},
    )
    assert changed.status_code == 422
    assert IdempotencyRecord.objects.count() == 1


def test_a_batch_creates_each_valid_notice_and_reports_each_invalid_one(api):
    notices = [api_notice(), api_notice(accuracy_statement=False), api_notice(), {"works": []}]
    response = api("post", BATCH, {"notices": notices})
    body = response.json()
    assert response.status_code == 200
    assert (body["created"], body["refused"]) == (2, 2)
    assert [r["http_status"] for r in body["results"]] == [201, 400, 201, 400]
    assert api("post", BATCH, {"notices": [api_notice(), "junk"]}).status_code == 400
    assert body["results"][0]["status"] == "received" and body["results"][0]["reference"]
    assert list(body["results"][1]["errors"]) == ["accuracy_statement"]
    assert Notice.objects.count() == 2


def test_a_batch_of_a_thousand_and_no_more(api):
    # The first and the last notice complete, the 998 between refused on their own: a
    # batch at the limit is read to its last position.
    refused = api_notice(accuracy_statement=False)
    thousand = [api_notice(), *[refused] * 998, api_notice()]
    response = api("post", BATCH, {"notices": thousand})
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["refused"], len(body["results"])) == (2, 998, 1000)
    assert body["results"][999]["http_status"] == 201
    assert Notice.objects.count() == 2

    too_many = api("post", BATCH, {"notices": [api_notice(), *thousand]})
    assert too_many.status_code == 400
    assert too_many.json()["errors"] == {"notices": ["At most 1,000 notices per batch."]}
    assert Notice.objects.count() == 2  # nothing of the refused batch is stored


def test_one_notice_may_carry_ten_thousand_items(api):
    items = [{"location": f"https://cdn.example-host.net/f/{n}.mp4"} for n in range(10_000)]
    response = api("post", CREATE, api_notice(infringing_material=items))
    assert response.status_code == 201
    assert InfringingItem.objects.count() == 10_000
    too_many = api(
        "post", CREATE, api_notice(infringing_material=items + [{"location": "a.example.com"}])
    )
    assert too_many.status_code == 400
    assert "10000" in str(too_many.json()["errors"]["infringing_material"])
    assert (Notice.objects.count(), InfringingItem.objects.count()) == (1, 10_000)


def test_the_schema_and_its_documentation_page_are_public(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert set(paths) == {
        "/api/v1/notices/",
        "/api/v1/notices/batch/",
        "/api/v1/notices/{reference}/",
        "/api/v1/network-notices/",
    }
    assert {"201", "400", "401", "429"} <= set(paths["/api/v1/notices/"]["post"]["responses"])
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_create_api_sender_prints_a_working_token_once(capsys, client):
    call_command("create_api_sender", "Eastgate Rights", "--email", "api@eastgate.example")
    out = capsys.readouterr().out
    key = out.split("store it now): ")[1].strip()
    sender = ApiSender.objects.get(name="Eastgate Rights")
    assert ApiToken.objects.get(sender=sender).key_hash == ApiToken.hash_key(key)
    assert key not in str(ApiToken.objects.values_list())
    response = client.get(f"{CREATE}DMCA-2026-000001/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 404  # authenticated; the case does not exist


def test_every_element_at_fault_is_reported_in_one_answer(api):
    notice = api_notice(
        good_faith_statement=False,  # a statutory problem: the shape is right
        signature={"name": ""},
        infringing_material=[],
    )
    notice["complainant"]["phone"] = "12"
    response = api("post", CREATE, notice)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "good_faith_statement",
        "signature",
        "infringing_material",
        "contact_information",
    }
    assert any("complainant.phone" in message for message in errors["contact_information"])
    assert not Notice.objects.exists()


def test_problems_that_depend_on_other_parts_are_found_beside_their_errors(api):
    notice = api_notice(
        signature={"name": "Someone Else"},
        infringing_material=[{"location": "x" * 3000}, {"location": "not a place"}],
    )
    notice["complainant"]["address"]["country"] = "XX"
    errors = api("post", CREATE, notice).json()["errors"]
    assert set(errors) == {"signature", "infringing_material", "contact_information"}
    # The signature is compared with the complainant's name, which is valid on its own.
    assert "Sam Okoye" in errors["signature"][0]
    # The over-long location's error and the other location's problem, at once.
    assert any("infringing_material[0].location" in m for m in errors["infringing_material"])
    assert any("not a place" in m for m in errors["infringing_material"])
    # A part in error is not also reported as missing.
    assert len(errors["contact_information"]) == 1


def test_a_batch_reports_every_element_at_fault_by_position(api):
    wrong = api_notice(good_faith_statement=False, signature={"name": ""}, works=[])
    wrong["complainant"]["email"] = "not an address"
    response = api("post", BATCH, {"notices": [api_notice(), wrong]})
    results = response.json()["results"]
    assert [r["http_status"] for r in results] == [201, 400]
    assert set(results[1]["errors"]) == {
        "good_faith_statement",
        "signature",
        "copyrighted_work",
        "contact_information",
    }
    assert Notice.objects.count() == 1


def test_an_over_long_list_is_refused_before_its_members_are_read(api):
    # 100,000 bad items once made an 8.9 MB answer with an error for each.
    response = api("post", CREATE, api_notice(infringing_material=[{}] * 100_000))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "infringing_material": [
            "§ 512(c)(3)(A)(iii): infringing_material: "
            "Ensure this field has no more than 10000 elements."
        ]
    }
    works = api("post", CREATE, api_notice(works=[{"url": "x"}] * 1_001)).json()["errors"]
    assert len(works["copyrighted_work"]) == 1
    assert not Notice.objects.exists()


def test_a_batch_too_long_is_refused_before_its_notices_are_read(api):
    response = api("post", BATCH, {"notices": ["junk"] * 100_000})
    assert response.status_code == 400
    assert response.json()["errors"] == {"notices": ["At most 1,000 notices per batch."]}
    assert not Notice.objects.exists()


def test_errors_are_listed_up_to_a_hundred_per_element_and_the_rest_counted(api):
    items = [{"location": ""}] * 5_000 + [{"location": "not a place"}] * 5_000
    response = api("post", CREATE, api_notice(infringing_material=items))
    assert response.status_code == 400
    messages = response.json()["errors"]["infringing_material"]
    assert len(messages) == 101
    assert messages[0].endswith("infringing_material[0].location: This field may not be blank.")
    assert messages[-1] == "… and 9,900 more like these, not listed."
    assert len(response.content) < 20_000
    assert not Notice.objects.exists()


def test_requests_without_a_token_are_limited_by_their_real_address(client, settings, api_rate):
    """The public schema is limited per address; a made-up X-Forwarded-For changes nothing."""
    settings.TRUSTED_PROXIES = ["192.0.2.10"]
    api_rate("2/min")

    def schema(remote: str, forwarded_for: str) -> int:
        return client.get(
            "/api/schema/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    spoofed = [schema("203.0.113.9", f"198.51.100.{n}") for n in range(3)]
    assert spoofed == [200, 200, 429]
    proxied = [schema("192.0.2.10", "198.51.100.7") for _ in range(3)]
    assert proxied == [200, 200, 429]
    assert schema("192.0.2.10", "198.51.100.8") == 200


def test_repeated_invalid_tokens_are_throttled_per_address_and_logged_without_them(
    client, sender, settings, caplog
):
    settings.API_INVALID_TOKEN_RATE = "3/h"

    def post(key: str, address: str):
        return client.post(
            CREATE,
            data=json.dumps(api_notice()),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            REMOTE_ADDR=address,
        )

    guesses = [post(f"dmca_guess{n}", "203.0.113.9") for n in range(4)]
    assert [guess.status_code for guess in guesses] == [401, 401, 401, 429]
    assert int(guesses[-1]["Retry-After"]) > 0
    assert "errors" in guesses[-1].json()
    # Even the right token waits there: the answer must not tell a good guess from a bad one.
    assert post(sender.key, "203.0.113.9").status_code == 429
    assert post(sender.key, "198.51.100.7").status_code == 201
    assert Notice.objects.count() == 1
    logged = [record.getMessage() for record in caplog.records if record.name == "notices.api.auth"]
    assert len(logged) == 3 and all("203.0.113.9" in message for message in logged)
    assert not any("guess" in message for message in logged)


def _when_events_are_written(action):
    """A hook on this thread's database connection: `action` runs as the audit events of
    notices just written are about to be inserted, inside their transaction."""

    def wrapper(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "notices_noticeevent"'):
            action()
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


@pytest.mark.django_db(transaction=True)
def test_a_notice_from_another_sender_is_stored_while_a_big_batch_is_in_its_transaction(sender):
    """Taking case numbers waits for no other submission (a sequence, not a locked row)."""
    other = ApiSender.objects.create(name="Eastgate Rights", email="api@eastgate.example")
    _, other_key = ApiToken.issue(other)
    # The year's first notice creates its sequence (a first numbering at the same moment
    # waits for that one's commit); this is a notice later in the year.
    year_opened = Client().post(
        CREATE,
        api_notice(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other_key}",
    )
    assert year_opened.status_code == 201
    paused, resume = threading.Event(), threading.Event()

    def pause_the_batch():
        # Real PostgreSQL, real transactions: the batch is held after its notices were
        # numbered and written, while the test files a notice from another sender beside it.
        paused.set()
        resume.wait(60)

    answers = {}

    def post(name: str, url: str, body: dict, key: str, hook=None, **headers):
        try:
            with hook or contextlib.nullcontext():
                answers[name] = Client().post(
                    url,
                    data=json.dumps(body),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {key}",
                    **headers,
                )
        finally:
            connection.close()

    batch = {"notices": [api_notice() for _ in range(20)]}
    batch_thread = threading.Thread(
        target=lambda: post(
            "batch",
            BATCH,
            batch,
            sender.key,
            hook=_when_events_are_written(pause_the_batch),
            HTTP_IDEMPOTENCY_KEY="nightly-2026-11-02",
        )
    )
    single_thread = threading.Thread(target=post, args=("single", CREATE, api_notice(), other_key))
    try:
        batch_thread.start()
        assert paused.wait(60)
        single_thread.start()
        single_thread.join(timeout=20)
        stored_while_the_batch_waited = not single_thread.is_alive()
    finally:
        resume.set()
        batch_thread.join(timeout=60)
        single_thread.join(timeout=60)
    assert stored_while_the_batch_waited, "the single notice waited for the batch to commit"
    assert answers["single"].status_code == 201
    assert answers["batch"].status_code == 200 and answers["batch"].json()["created"] == 20
    # The batch was numbered first, in its order; the single notice came after it.
    numbers = [int(r["reference"][-6:]) for r in answers["batch"].json()["results"]]
    assert numbers == sorted(set(numbers))
    assert int(answers["single"].json()["reference"][-6:]) > numbers[-1]


def test_a_batch_is_stored_all_or_nothing_and_its_numbers_are_not_given_again(api, sender):
    def fail():
        raise OperationalError("the server failed in the middle of the batch")

    first = api("post", CREATE, api_notice()).json()["reference"]
    with _when_events_are_written(fail), pytest.raises(OperationalError):
        api("post", BATCH, {"notices": [api_notice() for _ in range(5)]})
    assert list(Notice.objects.values_list("reference", flat=True)) == [first]
    assert Letter.objects.count() == 1
    # On PostgreSQL the five numbers were taken from the year's sequence and stay taken (a
    # gap in the references); SQLite's counter gives them back.
    expected = "-000007" if connection.vendor == "postgresql" else "-000002"
    assert first.endswith("-000001")
    assert api("post", CREATE, api_notice()).json()["reference"].endswith(expected)


def test_a_batch_uses_the_rate_once_per_notice(api, api_rate):
    api_rate("5/min")
    assert api("post", BATCH, {"notices": [api_notice()] * 3}).status_code == 200
    refused = api("post", BATCH, {"notices": [api_notice()] * 3}, **{"Idempotency-Key": "b-2"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert Notice.objects.count() == 3 and not IdempotencyRecord.objects.exists()
    assert api("post", BATCH, {"notices": [api_notice()] * 2}).status_code == 200
    assert api("post", CREATE, api_notice()).status_code == 429
    assert Notice.objects.count() == 5


def test_a_batch_larger_than_the_whole_rate_is_refused_with_a_reason(api, api_rate):
    api_rate("5/min")
    response = api("post", BATCH, {"notices": [api_notice()] * 6})
    assert response.status_code == 400
    assert "5 notices" in response.json()["errors"]["notices"][0]
    assert not Notice.objects.exists()
    assert api("post", BATCH, {"notices": [api_notice()] * 5}).status_code == 200


def test_each_acknowledgement_of_a_batch_names_its_own_case(api):
    body = api("post", BATCH, {"notices": [api_notice() for _ in range(3)]}).json()
    for result in body["results"]:
        letter_send(letter_id=Letter.objects.get(notice__reference=result["reference"]).id)
        letter = Letter.objects.get(notice__reference=result["reference"])
        assert letter.subject == f"{result['reference']}: we received your copyright notice"
        assert f"Case reference: {result['reference']}" in letter.body_text
        assert f"<strong>{result['reference']}</strong>" in letter.body_html
        assert "pending" not in letter.subject + letter.body_text + letter.body_html
