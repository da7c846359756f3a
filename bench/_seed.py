"""Fast seeding for the scale and sweep benchmarks (PostgreSQL only).

Rows are generated inside PostgreSQL (INSERT ... SELECT over generate_series): ten million
items never cross the wire. They are shaped as notices.core.intake stores them: references
numbered per year, URLs already in the normal form of notices/core/locations.py, location_hash
the SHA-256 of that form, items matched to the subscriber owning their domain.
`check_items` reads a sample back through the product's own reader to prove it.
"""

import time
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import connection

from notices.core.deadlines import WITHIN_TARGET
from notices.core.locations import parse_location
from notices.core.statutory import ACCURACY_STATEMENT, GOOD_FAITH_STATEMENT
from notices.models import InfringingItem, NetworkResource, Subscriber
from notices.models.workflow import FINAL, TRANSITIONS, Status

# Cases that went past takedown: their items carry an action.
ACTIONED = [
    Status.MATERIAL_DISABLED,
    Status.SUBSCRIBER_NOTIFIED,
    Status.COUNTER_NOTICED,
    Status.RESTORATION_SCHEDULED,
    Status.COURT_ACTION_FILED,
    Status.CLOSED,
]
ORGANIZATIONS = [
    "Northwind Anti-Piracy",
    "Blue Ridge Music Publishing",
    "Copperline Films",
    "Meridian Book Group",
    "Saltmarsh Games Ltd",
    "Orchard Street Records",
    "Tidewater Broadcasting",
    "Juniper Software Inc",
    "Red Kite Photography",
    "Granite Peak Studios",
]
FIRST_NAMES = ["Alex", "Priya", "Tomas", "Keiko", "Samuel", "Noor", "Lena", "Diego", "Ruth"]
LAST_NAMES = ["Brennan", "Sato", "Adeyemi", "Kowalski", "Haddad", "Lindqvist", "Moreau"]


def weighted(mix: dict[str, int]) -> list[str]:
    """A list of 100 values in which each appears as many times as its percent."""
    values = [value for value, percent in mix.items() for _ in range(percent)]
    assert len(values) == 100, len(values)
    return values


def last_transition(status: str) -> tuple[str, str]:
    """The transition that led to `status` most often, and the status it left."""
    return next((name, row.sources[0]) for name, row in TRANSITIONS.items() if row.target == status)


def subscribers(count: int) -> list[int]:
    """Subscribers C-1 ... C-n, each owning the domain example-host-<n>.net."""
    made = Subscriber.objects.bulk_create(
        Subscriber(
            account_id=f"C-{n}",
            name=f"Hosting customer {n}",
            notice_email=f"abuse+{n}@customer.example",
            country="US",
        )
        for n in range(1, count + 1)
    )
    NetworkResource.objects.bulk_create(
        NetworkResource(subscriber=s, kind="domain", value=f"example-host-{n}.net")
        for n, s in enumerate(made, start=1)
    )
    return [s.id for s in made]


def max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        return cursor.fetchone()[0]


NOTICES_SQL = """
WITH dated AS (
    SELECT g,
           -- The golden ratio spreads any run of g over the whole span, so a later batch
           -- fills the same years instead of piling up after the first.
           %(start)s::timestamptz + (%(end)s::timestamptz - %(start)s::timestamptz)
               * ((g * 0.6180339887498949) - floor(g * 0.6180339887498949)) AS received_at,
           (%(statuses)s::text[])[1 + (g * 7919) %% 100] AS status,
           (%(channels)s::text[])[1 + (g * 104729) %% 100] AS channel
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
), numbered AS (
    SELECT dated.*, y.year,
           coalesce(seq.last, 0)
               + row_number() OVER (PARTITION BY y.year ORDER BY received_at, g) AS number
    FROM dated
    CROSS JOIN LATERAL (
        SELECT extract(year FROM received_at AT TIME ZONE %(tz)s)::int AS year
    ) AS y
    LEFT JOIN notices_referencesequence AS seq ON seq.year = y.year
)
INSERT INTO notices_notice (
    reference, status, channel, received_at, status_token, complainant_name,
    complainant_organization, acting_as, street, city, region, postal_code, country, phone,
    email, signature_name, signed_at, signature_ip, signature_user_agent,
    good_faith_statement, accuracy_statement, rejection_reason, ended_at, act_by,
    anonymized_at, created_at, api_sender_id, revises_id
)
SELECT format('DMCA-%%s-%%s', year, lpad(number::text, 6, '0')),
       status, channel, received_at,
       replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
       name.full_name,
       (%(organizations)s::text[])[1 + g %% cardinality(%(organizations)s::text[])],
       'agent', '1200 Avenue of the Americas', 'New York', 'NY', '10036', 'US',
       '+1212555' || lpad((g %% 10000)::text, 4, '0'),
       'legal+' || g || '@rights.example',
       name.full_name, received_at, NULL, '',
       %(good_faith)s, %(accuracy)s,
       CASE WHEN status = 'rejected' THEN 'not_on_network' ELSE '' END,
       CASE WHEN status = ANY(%(final)s::text[]) THEN received_at + interval '21 days' END,
       -- The desk's target (notices/core/deadlines.py), in calendar days here: the queue
       -- reads the order, which skipping weekends and holidays would not change much.
       CASE WHEN status = ANY(%(act_within)s::text[])
            THEN (received_at AT TIME ZONE %(tz)s)::date + %(act_days)s END,
       NULL, received_at,
       CASE WHEN channel = 'api' THEN %(sender)s::bigint END,
       NULL
FROM numbered
CROSS JOIN LATERAL (
    SELECT (%(first_names)s::text[])[1 + g %% cardinality(%(first_names)s::text[])] || ' '
        || (%(last_names)s::text[])[1 + g %% cardinality(%(last_names)s::text[])] AS full_name
) AS name
ORDER BY received_at
"""

REFERENCES_SQL = """
INSERT INTO notices_referencesequence (year, last)
SELECT split_part(reference, '-', 2)::int, max(split_part(reference, '-', 3)::int)
FROM notices_notice GROUP BY 1
ON CONFLICT (year) DO UPDATE SET last = excluded.last
"""

WORKS_SQL = """
INSERT INTO notices_work (notice_id, position, description, url)
SELECT id, 0, 'Series “Harbor Lights”, episode ' || (id %% 500), ''
FROM notices_notice WHERE id > %(after)s
"""

# Every item of a case on one subscriber's domain: a notice usually names one site.
ITEMS_SQL = """
INSERT INTO notices_infringingitem (
    notice_id, position, location, kind, normalized, location_hash, host, description,
    subscriber_set_by_hand, action, actioned_at, restoration_requested_at, restored_at,
    subscriber_id
)
SELECT n.id, p, u.url, 'url', u.url, encode(sha256(convert_to(u.url, 'UTF8')), 'hex'),
       u.host, '', false,
       CASE WHEN n.status = ANY(%(actioned)s::text[]) THEN 'access_disabled' ELSE '' END,
       CASE WHEN n.status = ANY(%(actioned)s::text[]) THEN n.received_at + interval '2 days' END,
       NULL, NULL,
       (%(subscribers)s::bigint[])[s.i]
FROM notices_notice AS n
CROSS JOIN LATERAL (SELECT 1 + n.id %% cardinality(%(subscribers)s::bigint[]) AS i) AS s
CROSS JOIN generate_series(0, %(per_case)s - 1) AS p
CROSS JOIN LATERAL (SELECT 'cdn' || p %% 10 || '.example-host-' || s.i || '.net' AS host) AS h
CROSS JOIN LATERAL (
    SELECT h.host,
           'https://' || h.host || '/share/' || lower(n.reference) || '/episode-' || p || '.mp4'
               AS url
) AS u
WHERE n.id > %(after)s
"""

EVENTS_SQL = """
INSERT INTO notices_noticeevent (notice_id, at, actor, action, from_status, to_status, note, data)
SELECT id, received_at,
       CASE channel WHEN 'web' THEN 'public form' WHEN 'api' THEN 'api:bench' ELSE 'agent' END,
       'notice.received', '', 'received', '',
       jsonb_build_object('channel', channel, 'works', 1, 'items', %(per_case)s)
FROM notices_notice WHERE id > %(after)s
UNION ALL
SELECT n.id, n.received_at + interval '1 day', 'agent', 'notice.' || t.name, t.from_status,
       n.status, '', '{}'::jsonb
FROM notices_notice AS n
JOIN unnest(%(to)s::text[], %(names)s::text[], %(froms)s::text[]) AS t(status, name, from_status)
    ON t.status = n.status
WHERE n.id > %(after)s
"""


def seed_cases(
    first: int,
    count: int,
    *,
    start: datetime,
    end: datetime,
    statuses: list[str],
    channels: list[str],
    subscriber_ids: list[int],
    sender_id: int | None,
    per_case: int,
) -> tuple[int, int]:
    """Cases number `first` .. `first + count - 1` of the run (that number seeds every
    generated value), each with one work, `per_case` items and its audit events.
    Returns the range of notice ids written, exclusive of the first."""
    after = max_id("notices_notice")
    moved = {s for s in statuses if s != Status.RECEIVED}
    transitions = {s: last_transition(s) for s in moved}
    with connection.cursor() as cursor:
        cursor.execute(
            NOTICES_SQL,
            {
                "first": first,
                "last": first + count - 1,
                "start": start,
                "end": end,
                "tz": "America/New_York",
                "statuses": [str(s) for s in statuses],
                "channels": [str(c) for c in channels],
                "organizations": ORGANIZATIONS,
                "first_names": FIRST_NAMES,
                "last_names": LAST_NAMES,
                "good_faith": GOOD_FAITH_STATEMENT,
                "accuracy": ACCURACY_STATEMENT,
                "final": [str(s) for s in FINAL],
                "act_within": [str(s) for s in WITHIN_TARGET],
                "act_days": settings.DESK_ACT_WITHIN_BUSINESS_DAYS,
                "sender": sender_id,
            },
        )
        cursor.execute(REFERENCES_SQL)
        cursor.execute(WORKS_SQL, {"after": after})
        cursor.execute(
            ITEMS_SQL,
            {
                "after": after,
                "actioned": [str(s) for s in ACTIONED],
                "subscribers": subscriber_ids,
                "per_case": per_case,
            },
        )
        cursor.execute(
            EVENTS_SQL,
            {
                "after": after,
                "per_case": per_case,
                "to": [str(s) for s in transitions],
                "names": [name for name, _ in transitions.values()],
                "froms": [source for _, source in transitions.values()],
            },
        )
    return after, max_id("notices_notice")


@contextmanager
def bulk_load(tables: list[str]):
    """Load without the tables' secondary indexes and foreign-key triggers, then build
    the indexes again: one sort per index instead of ten million random inserts into
    each, and no per-row lookups of ids the INSERT has just read from the tables they
    point to. Indexes that back a constraint (primary keys, unique) stay."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes AS i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint AS c
                  WHERE c.conindid = (quote_ident(i.schemaname) || '.'
                                      || quote_ident(i.indexname))::regclass
              )
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # no FK triggers
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        print(f"  rebuilt {len(indexes)} indexes in {time.perf_counter() - started:.0f} s")


def vacuum_analyze(tables: list[str]) -> None:
    # Autovacuum would get there on a live system; without it the planner has no
    # statistics and index-only scans see an empty visibility map.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def check_items(sample: int = 500) -> int:
    """Read a sample of seeded items through notices/core/locations.py: the stored kind,
    normal form, host and hash must be what the product would have written."""
    items = list(
        InfringingItem.objects.order_by("-id").values(
            "location", "kind", "normalized", "host", "location_hash"
        )[:sample]
    )
    for item in items:
        location = parse_location(item["location"])
        expected = {
            "kind": location.kind,
            "normalized": location.normalized,
            "host": location.host,
            "location_hash": InfringingItem.hash_location(location.normalized),
        }
        actual = {key: item[key] for key in expected}
        if actual != expected:
            raise AssertionError(f"seeded item differs from the product's reading: {item}")
    return len(items)


@contextmanager
def snapshot(name: str):
    """A copy of the benchmark database as it is now, dropped on the way out: the small
    size stays available to measure side by side with the large one."""
    source = connection.settings_dict["NAME"]
    connection.close()  # a template must have no other sessions
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    try:
        yield name
    finally:
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def use_database(name: str):
    """Point this process's connection at another database for a while."""
    settings = connection.settings_dict
    before = settings["NAME"]
    connection.close()
    settings["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = before
