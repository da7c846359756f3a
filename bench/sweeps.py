"""The deadline sweep (counter_notices_sweep) and the letter sweep (letters_sweep) with
100,000 open counter-notice windows against 1,000, 100 of them due at both sizes.

Goal (reported, not asserted): with 100,000 open each sweep within 2x its time with
1,000, and its queries set by the number due, not the number open. The 1,000 are seeded
first and kept as a copy of the database; the original then grows to 100,000. The sweeps
run in-process, as beat's task runs them, the two sizes in turn (the machine's load
weighs on both alike); before each run the due rows are put back, so every run opens the
same 100 windows and queues the same 100 letters. Their Celery messages go to the Redis
broker of slot gw4; no worker takes them, and the queue is purged at the end.
Run: .venv/bin/python bench/sweeps.py [--runs 7] [--open 100000] [--explain]
Writes var/bench/sweeps.json. PostgreSQL only.
"""

import argparse
import json
import os
import re
import statistics
import time
from datetime import timedelta

# Before _django: slot gw4 names this benchmark's Redis keys and var/ folder.
os.environ["PYTEST_XDIST_WORKER"] = "gw4"

from _django import ROOT, bench_database  # noqa: E402

SMALL = 1_000
DUE = 100
GOAL_RATIO = 2.0
TABLES = [
    "notices_notice",
    "notices_work",
    "notices_infringingitem",
    "notices_noticeevent",
    "notices_letter",
    "counternotices_counternotice",
    "counternotices_counternotice_items",
]

COUNTER_NOTICES_SQL = """
INSERT INTO counternotices_counternotice (
    notice_id, subscriber_id, notification_id, channel, received_at, original_id, name,
    street, city, region, postal_code, country, phone, email, signature_name, signed_at,
    signature_ip, signature_user_agent, mistake_statement, consent_statement,
    restore_not_before, restore_not_after, state, due_at, escalated_at, restored_at
)
SELECT n.id, i.subscriber_id, NULL, 'email', w.received_at, NULL, 'Dana Whitfield',
       '12 Orchard Lane', 'Burlington', 'VT', '05401', 'US', '+18025550177',
       'subscriber+' || n.id || '@customer.example', 'Dana Whitfield', w.received_at,
       NULL, '', %(mistake)s, %(consent)s, w.not_before, w.not_after, 'pending',
       NULL, NULL, NULL
FROM notices_notice AS n
CROSS JOIN LATERAL (
    SELECT subscriber_id FROM notices_infringingitem
    WHERE notice_id = n.id ORDER BY position LIMIT 1
) AS i
JOIN unnest(%(received)s::timestamptz[], %(before)s::date[], %(until)s::date[])
    WITH ORDINALITY AS w(received_at, not_before, not_after, k)
    ON w.k = 1 + n.id %% cardinality(%(received)s::timestamptz[])
WHERE n.id > %(after)s
"""

COUNTER_ITEMS_SQL = """
INSERT INTO counternotices_counternotice_items (counternotice_id, infringingitem_id)
SELECT c.id, i.id
FROM counternotices_counternotice AS c
JOIN notices_infringingitem AS i ON i.notice_id = c.notice_id
WHERE c.notice_id > %(after)s
"""

# What each case has been sent by the time its counter notice is in: all delivered.
SENT_LETTERS_SQL = """
INSERT INTO notices_letter (
    notice_id, kind, to_email, subject, body_text, body_html, message_id, state, attempts,
    created_at, next_attempt_at, claimed_at, sent_at, last_error
)
SELECT n.id, k.kind, CASE k.kind WHEN 'counter_notice_receipt' THEN c.email ELSE n.email END,
       'DMCA case ' || n.reference, 'Letter: ' || k.kind, '<p>Letter: ' || k.kind || '</p>',
       '<' || k.kind || '.' || n.id || '@bench.dmca.example>', 'sent', 1,
       t.at, t.at, t.at, t.at, ''
FROM notices_notice AS n
JOIN counternotices_counternotice AS c ON c.notice_id = n.id
CROSS JOIN (
    VALUES ('acknowledgement'), ('counter_notice_copy'), ('counter_notice_receipt')
) AS k(kind)
CROSS JOIN LATERAL (
    SELECT CASE k.kind WHEN 'acknowledgement' THEN n.received_at ELSE c.received_at END AS at
) AS t
WHERE n.id > %(after)s
"""

# Letters the mail server turned away for a while: queued again, due an hour ago.
DUE_LETTERS_SQL = """
INSERT INTO notices_letter (
    notice_id, kind, to_email, subject, body_text, body_html, message_id, state, attempts,
    created_at, next_attempt_at, claimed_at, sent_at, last_error
)
SELECT n.id, 'counter_notice_copy', n.email, 'DMCA case ' || n.reference,
       'Letter: counter_notice_copy', '<p>Letter: counter_notice_copy</p>',
       '<retry.' || n.id || '@bench.dmca.example>', 'queued', 1,
       %(now)s::timestamptz - interval '2 hours', %(now)s::timestamptz - interval '1 hour',
       %(now)s::timestamptz - interval '2 hours', NULL,
       'SMTPServerDisconnected: Connection unexpectedly closed'
FROM notices_notice AS n WHERE n.id = ANY(%(ids)s)
"""


def windows(now, due: bool) -> list[tuple]:
    """(received_at, restore_not_before, restore_not_after) as counter_notice_submit
    computes them: open but not yet due (received this week), or due today and not
    yet overdue (day 10 reached, day 14 not), so the sweep opens it and escalates none."""
    from iija_compliance.lib.business_days import local_date, restoration_window

    today = local_date(now)
    found = []
    for days in range(0, 40):
        received = now - timedelta(days=days)
        not_before, not_after = restoration_window(received)
        if due and not_before <= today < not_after:
            return [(received, not_before, not_after)]
        if not due and not_before > today and days < 7:
            found.append((received, not_before, not_after))
    assert found, "no window found"
    return found


def seed_windows(first: int, count: int, subscriber_ids: list[int], now) -> None:
    """`count` cases waiting for their restoration window, each with its counter notice,
    two taken-down items and the letters sent so far; none of them due."""
    import _seed
    from django.db import connection

    from counternotices.statutory import MISTAKE_STATEMENT, consent_statement

    after = _seed.max_id("notices_notice")
    _seed.seed_cases(
        first,
        count,
        start=now - timedelta(days=40),
        end=now - timedelta(days=25),
        statuses=["counter_noticed"] * 100,
        channels=_seed.weighted({"web": 80, "email": 15, "post": 5}),
        subscriber_ids=subscriber_ids,
        sender_id=None,
        per_case=2,
    )
    open_windows = windows(now, due=False)
    with connection.cursor() as cursor:
        cursor.execute(
            COUNTER_NOTICES_SQL,
            {
                "after": after,
                "mistake": MISTAKE_STATEMENT,
                "consent": consent_statement("US"),
                "received": [w[0] for w in open_windows],
                "before": [w[1] for w in open_windows],
                "until": [w[2] for w in open_windows],
            },
        )
        cursor.execute(COUNTER_ITEMS_SQL, {"after": after})
        cursor.execute(SENT_LETTERS_SQL, {"after": after})


def make_due(now) -> dict:
    """The first 100 windows reach day 10 today; the first 100 cases each get a letter
    due for another attempt. Returns the ids the resets need."""
    from django.db import connection

    (received, not_before, not_after) = windows(now, due=True)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE counternotices_counternotice SET received_at = %s, signed_at = %s, "
            "restore_not_before = %s, restore_not_after = %s "
            "WHERE id IN (SELECT id FROM counternotices_counternotice ORDER BY id LIMIT %s) "
            "RETURNING id, notice_id",
            [received, received, not_before, not_after, DUE],
        )
        rows = cursor.fetchall()
        notice_ids = [notice_id for _, notice_id in rows]
        cursor.execute(DUE_LETTERS_SQL, {"now": now, "ids": notice_ids})
    return {"counter_ids": [i for i, _ in rows], "notice_ids": notice_ids}


def marks() -> dict:
    """The last event and letter ids before any sweep ran: what a sweep writes is above."""
    import _seed

    return {
        "event": _seed.max_id("notices_noticeevent"),
        "letter": _seed.max_id("notices_letter"),
    }


def reset(due: dict, mark: dict) -> None:
    """Put the database back as it was before the last sweep: the same 100 windows due,
    the same 100 letters due, nothing the sweep wrote left behind."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE counternotices_counternotice SET state = 'pending', due_at = NULL "
            "WHERE id = ANY(%s)",
            [due["counter_ids"]],
        )
        cursor.execute(
            "UPDATE notices_notice SET status = 'counter_noticed', ended_at = NULL "
            "WHERE id = ANY(%s)",
            [due["notice_ids"]],
        )
        cursor.execute(
            "UPDATE notices_infringingitem SET restoration_requested_at = NULL "
            "WHERE notice_id = ANY(%s)",
            [due["notice_ids"]],
        )
        # The audit trail is append-only in the product; this throwaway copy rewinds it.
        cursor.execute("DELETE FROM notices_noticeevent WHERE id > %s", [mark["event"]])
        cursor.execute("DELETE FROM notices_letter WHERE id > %s", [mark["letter"]])


def sweeps() -> dict:
    from counternotices.services import counter_notices_sweep
    from notices.outbox.letters import letters_sweep

    return {
        "deadline sweep": (counter_notices_sweep, {"opened": DUE, "escalated": 0}),
        "letter sweep": (letters_sweep, DUE),
    }


def run(sweep, expected) -> float:
    start = time.perf_counter()
    result = sweep()
    elapsed = time.perf_counter() - start
    # Every run must do the same work, or the times say nothing.
    assert result == expected, (result, expected)
    return elapsed


def queries(sweep, expected, explain: bool) -> tuple[int, list[str]]:
    """How many queries one run makes; with `explain`, the plans of its one-off
    selections (the queries that look for due rows, as opposed to per-row work)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run(sweep, expected)
    if not explain:
        return len(captured), []
    shapes = [re.sub(r"\d+", "N", q["sql"]) for q in captured.captured_queries]
    plans = []
    with connection.cursor() as cursor:
        for query, shape in zip(captured.captured_queries, shapes, strict=True):
            sql = query["sql"]
            if sql.startswith("SELECT") and "FOR UPDATE" not in sql and shapes.count(shape) == 1:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans.append(sql + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return len(captured), plans


def measure(databases: dict, args) -> list[dict]:
    """databases: name -> (due ids, marks). The sizes in turn, for each run."""
    import _seed

    rows = []
    for label, (sweep, expected) in sweeps().items():
        times = {name: [] for name in databases}
        counts, plans = {}, []
        for attempt in range(args.runs):
            for name, (due, mark) in databases.items():
                with _seed.use_database(name):
                    # A fresh connection each time: one untimed run warms it (on the
                    # first round it counts the queries), as a worker's would be warm.
                    reset(due, mark)
                    if attempt == 0:
                        counts[name], found = queries(sweep, expected, args.explain)
                        plans = found or plans
                    else:
                        run(sweep, expected)
                    reset(due, mark)
                    times[name].append(run(sweep, expected))
                    reset(due, mark)
        rows.append(
            {
                "sweep": label,
                "ms": [round(statistics.median(times[n]) * 1000, 1) for n in databases],
                "queries": [counts[n] for n in databases],
                "plans_largest": plans,
            }
        )
        print(f"  {label}: {rows[-1]['ms']} ms, {rows[-1]['queries']} queries")
    return rows


def verdict(row: dict) -> str:
    small, large = row["ms"]
    return (
        "met"
        if large <= GOAL_RATIO * small and row["queries"][0] == row["queries"][1]
        else ("MISSED")
    )


def print_table(rows: list[dict], small: int, large: int) -> None:
    header = (
        f"{'sweep':16} {f'{small:,} open ms':>14} {f'{large:,} open ms':>16} {'ratio':>6} "
        f"{'q small':>8} {'q large':>8}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['sweep']:16} {r['ms'][0]:>14} {r['ms'][1]:>16} {r['ms'][1] / r['ms'][0]:>6.2f} "
            f"{r['queries'][0]:>8} {r['queries'][1]:>8}  {verdict(r)}"
        )


def open_windows() -> int:
    from counternotices.models import CounterNotice

    return CounterNotice.objects.filter(state=CounterNotice.State.PENDING).count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE selections")
    args = parser.parse_args()
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    with bench_database(name="bench_sweeps") as large_db:
        import _seed
        from django.utils import timezone

        from iija_compliance.celery import app

        try:
            now = timezone.now()
            subscriber_ids = _seed.subscribers(200)
            began = time.perf_counter()
            seed_windows(1, SMALL, subscriber_ids, now)
            due = make_due(now)
            _seed.vacuum_analyze(TABLES)
            seeded = {"small": {"open": open_windows(), "seed_s": _since(began)}}
            databases = {f"{large_db}_1k": (due, marks())}
            with _seed.snapshot(f"{large_db}_1k"):
                began = time.perf_counter()
                seed_windows(SMALL + 1, args.open - SMALL, subscriber_ids, now)
                _seed.vacuum_analyze(TABLES)
                seeded["large"] = {"open": open_windows(), "seed_s": _since(began)}
                databases[large_db] = (due, marks())
                print(f"seeded {seeded}")
                rows = measure(databases, args)
        finally:
            app.control.purge()  # the messages the sweeps queued; no worker will take them
    print()
    print_table(rows, seeded["small"]["open"], seeded["large"]["open"])
    for row in rows:
        for plan in row["plans_largest"]:
            print(f"\n{row['sweep']} at {seeded['large']['open']:,} open:\n{plan}")
    result = {
        "runs": args.runs,
        "due": DUE,
        "seeding": seeded,
        "goal_ratio_at_most": GOAL_RATIO,
        "sweeps": [{**row, "goal": verdict(row)} for row in rows],
    }
    (out / "sweeps.json").write_text(json.dumps(result, indent=2))


def _since(began: float) -> float:
    return round(time.perf_counter() - began, 1)


if __name__ == "__main__":
    main()
