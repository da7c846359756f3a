"""Bulk: one notice of 10,000 items through the API (gunicorn, PostgreSQL, Redis) against
inserting the same 10,000 item rows with psycopg's executemany into a table like the item
table (same columns, defaults and indexes, no foreign keys). Median of a few runs.

Goal (reported, never asserted): the API stores items at least a third as fast as
executemany.
Run: .venv/bin/python bench/bulk.py [--runs 3] [--items 10000]
"""

import argparse
import http.client
import json
import statistics
import time

from _django import bench_database, write_result
from intake import (
    PG,
    THREADS,
    WORKERS,
    api_notice,
    exit_cleanly_on_sigterm,
    gunicorn,
    letter_queue,
    prepare_product,
)

# Everything the product writes for an item except its id.
COLUMNS = [
    "notice_id",
    "position",
    "location",
    "kind",
    "normalized",
    "location_hash",
    "host",
    "description",
    "subscriber_id",
    "subscriber_set_by_hand",
    "action",
    "actioned_at",
    "restoration_requested_at",
    "restored_at",
]


def post_notice(port: int, token: str, body: bytes) -> tuple[float, str]:
    """Seconds for the whole request, and the new case's reference."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    start = time.perf_counter()
    connection.request("POST", "/api/v1/notices/", body, headers)
    response = connection.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 201:
        raise RuntimeError(f"the API answered {response.status}: {answer[:500]!r}")
    return elapsed, json.loads(answer)["reference"]


def stored_rows(reference: str) -> list[tuple]:
    """The item rows the product stored for that notice, as executemany will insert them."""
    from notices.models import InfringingItem

    return list(
        InfringingItem.objects.filter(notice__reference=reference)
        .order_by("position")
        .values_list(*COLUMNS)
    )


def executemany(url: str, rows: list[tuple]) -> float:
    """Seconds to insert the rows and commit, on a connection already open."""
    import psycopg

    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO bench_items ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    with psycopg.connect(url) as connection:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        connection.commit()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    exit_cleanly_on_sigterm()
    body = json.dumps(api_notice(items=args.items)).encode()
    api_s, plain_s = [], []
    with bench_database("bench_bulk") as name:
        from django.db import connection

        token = prepare_product()
        with connection.cursor() as cursor:
            # LIKE copies columns, defaults, identity, checks and indexes, never foreign keys.
            cursor.execute("CREATE TABLE bench_items (LIKE notices_infringingitem INCLUDING ALL)")
        with letter_queue(), gunicorn(name) as port:
            # Warm both workers (imports, URLconf, connections) with small notices first.
            for _ in range(4):
                post_notice(port, token, json.dumps(api_notice()).encode())
            for run in range(args.runs):
                seconds, reference = post_notice(port, token, body)
                api_s.append(seconds)
                plain_s.append(executemany(f"{PG}/{name}", stored_rows(reference)))
                print(f"  run {run + 1}: API {seconds:.2f} s, executemany {plain_s[-1]:.2f} s")
    report(args, api_s, plain_s, len(body))


def report(args, api_s: list[float], plain_s: list[float], body_bytes: int) -> None:
    api_rate = args.items / statistics.median(api_s)
    plain_rate = args.items / statistics.median(plain_s)
    ratio = api_rate / plain_rate
    print()
    print(
        f"Bulk: one notice of {args.items:,} items ({body_bytes / 1e6:.1f} MB of JSON) through "
        f"the API (gunicorn gthread {WORKERS}x{THREADS}), against psycopg executemany of the "
        f"same rows; median of {args.runs} runs."
    )
    print()
    print(f"{'path':<26}{'median s':>10}{'items/s':>10}{'runs (s)':>24}")
    print("-" * 70)
    for label, times, rate in [
        ("API POST /api/v1/notices/", api_s, api_rate),
        ("psycopg executemany", plain_s, plain_rate),
    ]:
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label:<26}{statistics.median(times):>10.2f}{rate:>10.0f}{runs:>24}")
    print()
    verdict = "met" if ratio >= 1 / 3 else "missed"
    print(f"API / executemany = {ratio:.3f}; goal >= 0.333: {verdict}.")
    result = {
        "items": args.items,
        "body_bytes": body_bytes,
        "runs": args.runs,
        "api_s": [round(t, 3) for t in api_s],
        "executemany_s": [round(t, 3) for t in plain_s],
        "api_items_per_s": round(api_rate),
        "executemany_items_per_s": round(plain_rate),
        "ratio": round(ratio, 3),
        "goal_ratio_at_least": round(1 / 3, 3),
        "goal_met": ratio >= 1 / 3,
    }
    write_result("bulk", result)


if __name__ == "__main__":
    main()
