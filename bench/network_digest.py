"""The transit digest sweep (digests_sweep) with 1,000,000 network events against 10,000,
1,000 digests due at both sizes, 10,000 subscribers.

Goal (reported, not asserted): with 1,000,000 events the sweep within 2x its time with
10,000, and the same number of queries per digest. Each subscriber holds one transit
block, has its open network case and one digest sent before: 1,000 of them 30 hours ago
(due again, each with 5 events waiting), 2,000 an hour ago (1 event waiting each, not
due: the window holds it back), the rest with nothing waiting. Every other event was
forwarded by the subscriber's earlier digest. The rows are generated inside PostgreSQL
(INSERT ... SELECT over generate_series); the 10,000 first, measured, then grown to
1,000,000 and measured again. Before each run the sweep's letters are taken back, so
every run writes the same 1,000 digests. Their Celery messages go to the Redis broker of
slot gw7; no worker takes them, and the queue is purged at the end.
Run: .venv/bin/python bench/network_digest.py [--runs 3] [--events 1000000]
Writes var/bench/network_digest.json. PostgreSQL only.
"""

import argparse
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

# Before _django: slot gw7 names this benchmark's Redis keys and var/ folder.
os.environ["PYTEST_XDIST_WORKER"] = "gw7"

from _django import bench_database, write_result  # noqa: E402

SUBSCRIBERS = 10_000
DUE, WAITING_EACH = 1_000, 5
HELD_BACK = 2_000  # an event waiting, a digest sent an hour ago
SMALL = 10_000
GOAL_RATIO = 2.0
NOW = datetime.now(UTC).replace(microsecond=0)
TABLES = [
    "notices_subscriber",
    "notices_addressassignment",
    "notices_networkcase",
    "notices_letter",
    "notices_networkevent",
]

# Subscriber k (1..n): account B-k, the block 198.18.0.0 + 8k /29 (RFC 2544's range).
SUBSCRIBERS_SQL = """
INSERT INTO notices_subscriber (account_id, name, notice_email, street, city, region,
    postal_code, country, termination_reason)
SELECT 'B-' || k, 'Transit customer ' || k, 'noc+' || k || '@customer.example',
       '', '', '', '', 'US', ''
FROM generate_series(1, %(n)s) AS k;

INSERT INTO notices_addressassignment (subscriber_id, network, first_address, last_address,
    valid_from, valid_until, service, imported_at)
SELECT s.id, host(inet '198.18.0.0' + 8 * n.k) || '/29',
       (inet '198.18.0.0' + 8 * n.k) - inet '0.0.0.0',
       (inet '198.18.0.0' + 8 * n.k + 7) - inet '0.0.0.0',
       %(since)s, NULL, 'transit', %(since)s
FROM notices_subscriber AS s, LATERAL (SELECT substr(s.account_id, 3)::int AS k) AS n;

INSERT INTO notices_networkcase (subscriber_id, opened_at, closed_at)
SELECT id, %(since)s, NULL FROM notices_subscriber;

-- The digest each subscriber was sent last: 30 hours ago for the first DUE (due again),
-- an hour ago for the next HELD_BACK, two days ago for the rest.
INSERT INTO notices_letter (subscriber_id, network_case_id, kind, to_email, subject,
    body_text, body_html, context, message_id, state, attempts, created_at,
    next_attempt_at, sent_at, last_error)
SELECT s.id, c.id, 'network_digest', s.notice_email, 'Digest', 'Digest', '<p>Digest</p>',
       '{}', '<digest.' || s.id || '@bench.dmca.example>', 'sent', 1, t.at, t.at, t.at, ''
FROM notices_subscriber AS s
JOIN notices_networkcase AS c ON c.subscriber_id = s.id,
     LATERAL (SELECT substr(s.account_id, 3)::int AS k) AS n,
     LATERAL (SELECT CASE WHEN n.k <= %(due)s THEN %(now)s::timestamptz - interval '30 hours'
                          WHEN n.k <= %(due)s + %(held)s
                               THEN %(now)s::timestamptz - interval '1 hour'
                          ELSE %(now)s::timestamptz - interval '2 days' END AS at) AS t;

CREATE TABLE bench_holder AS
SELECT substr(s.account_id, 3)::int AS k, s.id AS subscriber_id, c.id AS case_id,
       a.id AS assignment_id, l.id AS letter_id, a.network
FROM notices_subscriber AS s
JOIN notices_networkcase AS c ON c.subscriber_id = s.id
JOIN notices_addressassignment AS a ON a.subscriber_id = s.id
JOIN notices_letter AS l ON l.subscriber_id = s.id;
CREATE UNIQUE INDEX ON bench_holder (k);
"""

# Events numbered from %(first)s: the first WAITING are waiting for a digest (the due
# subscribers' five each, then one each of those held back), the rest forwarded before.
EVENTS_SQL = """
INSERT INTO notices_networkevent (received_at, outcome, case_id, subscriber_id,
    assignment_id, sender, inbound_id, reporter_id, digest_letter_id, format,
    vendor_case_id, dedup_key, complainant, ip, port, protocol, occurred_at, files, flags)
SELECT e.received, 'case', h.case_id, h.subscriber_id, h.assignment_id,
       'notices@rights.example', NULL, %(reporter)s,
       CASE WHEN g <= %(waiting)s THEN NULL ELSE h.letter_id END,
       'acns', 'BENCH-' || g, 'BENCH-' || g, 'Example Pictures LLC',
       host(network(h.network::inet) + 1 + g %% 6)::inet, 51413, 'bittorrent',
       e.received - interval '2 hours',
       jsonb_build_array(jsonb_build_object('title', 'Example Film ' || g,
           'file_name', 'Example.Film.mkv', 'size', 1048576,
           'hash', 'sha1:0123456789abcdef0123456789abcdef01234567')),
       '[]'
FROM generate_series(%(first)s::int, %(last)s::int) AS g,
     LATERAL (SELECT CASE WHEN g <= %(due)s * %(each)s THEN 1 + (g - 1) / %(each)s
                          WHEN g <= %(waiting)s THEN %(due)s + g - %(due)s * %(each)s
                          ELSE 1 + g %% %(subscribers)s END AS k) AS pick
JOIN bench_holder AS h ON h.k = pick.k,
     LATERAL (SELECT CASE WHEN g <= %(waiting)s
                          THEN %(now)s::timestamptz - interval '20 minutes'
                          ELSE %(now)s::timestamptz - interval '3 days'
                               - (g %% 90) * interval '1 day' END AS received) AS e
"""


def seed_holders() -> None:
    from django.db import connection

    from notices.models import NetworkSender, NetworkSenderAddress

    sender = NetworkSender.objects.create(
        name="rights.example", formats_seen=["acns"], created_at=NOW
    )
    NetworkSenderAddress.objects.create(sender=sender, address="notices@rights.example")
    values = {
        "n": SUBSCRIBERS,
        "since": NOW - timedelta(days=400),
        "now": NOW,
        "due": DUE,
        "held": HELD_BACK,
    }
    with connection.cursor() as cursor:
        for statement in SUBSCRIBERS_SQL.split(";\n"):
            if statement.strip():
                cursor.execute(
                    statement, {k: v for k, v in values.items() if f"%({k})s" in statement}
                )
    seed_holders.reporter = sender.id


def seed_events(first: int, last: int) -> None:
    import _seed
    from django.db import connection

    started = time.perf_counter()
    with _seed.bulk_load(["notices_networkevent"]), connection.cursor() as cursor:
        cursor.execute(
            EVENTS_SQL,
            {
                "first": first,
                "last": last,
                "waiting": DUE * WAITING_EACH + HELD_BACK,
                "due": DUE,
                "each": WAITING_EACH,
                "subscribers": SUBSCRIBERS,
                "reporter": seed_holders.reporter,
                "now": NOW,
            },
        )
    _seed.vacuum_analyze(TABLES)
    print(f"  events {first:,} to {last:,} in {time.perf_counter() - started:.0f} s")


def reset(mark: int) -> None:
    """Take back what the last sweep wrote: its letters, and the events' marks."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notices_networkevent SET digest_letter_id = NULL WHERE digest_letter_id > %s",
            [mark],
        )
        cursor.execute("DELETE FROM notices_letter_originals WHERE letter_id > %s", [mark])
        cursor.execute("DELETE FROM notices_letter WHERE id > %s", [mark])


class QueryCounter:
    """Counts the queries run (the debug cursor keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(runs: int, mark: int) -> dict:
    from django.db import connection

    from notices.network.digest import digests_sweep

    times, queries = [], []
    for _ in range(runs):
        reset(mark)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            written = digests_sweep(now=NOW)
            times.append(time.perf_counter() - started)
        assert written == DUE, written  # every run does the same work
        queries.append(counter.count)
    return {
        "seconds": round(statistics.median(times), 3),
        "ms_per_digest": round(statistics.median(times) / DUE * 1000, 2),
        "queries_per_digest": round(statistics.median(queries) / DUE, 2),
    }


def event_count() -> int:
    from notices.models import NetworkEvent

    return NetworkEvent.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    import _seed

    with bench_database("bench_network_digest"):
        seed_holders()
        seed_events(1, SMALL)
        mark = _seed.max_id("notices_letter")
        small = {"events": event_count(), **measure(args.runs, mark)}
        seed_events(SMALL + 1, args.events)
        large = {"events": event_count(), **measure(args.runs, mark)}
        reset(mark)
    from iija_compliance.celery import app

    app.control.purge()
    ratio = large["seconds"] / small["seconds"]
    print(
        f"\n{'events':>10} {'digests':>8} {'seconds':>8} {'ms/digest':>10} {'queries/digest':>15}"
    )
    for row in (small, large):
        print(
            f"{row['events']:>10,} {DUE:>8,} {row['seconds']:>8.2f} {row['ms_per_digest']:>10.2f}"
            f" {row['queries_per_digest']:>15.2f}"
        )
    same = small["queries_per_digest"] == large["queries_per_digest"]
    print(
        f"\nTime at {large['events']:,} events: {ratio:.2f}x that at {small['events']:,} "
        f"(goal at most {GOAL_RATIO}x): {'met' if ratio <= GOAL_RATIO else 'NOT met'}; "
        f"queries per digest {'the same' if same else 'DIFFERENT'}."
    )
    write_result(
        "network_digest",
        {"subscribers": SUBSCRIBERS, "due": DUE, "small": small, "large": large,
         "ratio": round(ratio, 2), "goal_ratio": GOAL_RATIO},
    )  # fmt: skip


if __name__ == "__main__":
    main()
