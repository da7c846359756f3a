"""The desk at scale: the case list, its searches (a URL, a host, the domain above it, a
name, a surname, a reference's part, a subscriber's account id, an e-mail, an
organization) and the API detail with 1,000 cases
(10,000 items) and with 1,000,000 cases (10,000,000 items).

Goal (reported, not asserted): at 1,000,000 cases each page within 2x its time at 1,000,
with the same number of queries. The 1,000 cases are seeded first and kept as a copy of
the database; the original then grows to 1,000,000. Both sizes are served by gunicorn at
once and each page is requested from one then the other in turn (median of --runs after
warm-up), so the machine's load weighs on both alike. Queries are counted in-process
with the test client.
Run: .venv/bin/python bench/scale.py [--runs 21] [--cases 1000000] [--explain]
Writes var/bench/scale.json. PostgreSQL only.
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

# Before _django: slot gw4 names this benchmark's Redis keys and var/ folder.
os.environ["PYTEST_XDIST_WORKER"] = "gw4"
# The benchmark measures the database, not the per-token limiter (here and in gunicorn).
os.environ["API_RATE"] = "1000000/min"

from _django import ROOT, bench_database  # noqa: E402

SMALL = 1_000
ITEMS_PER_CASE = 10
BATCH = 111_000  # cases per INSERT when growing: progress to watch, bounded sorts
GOAL_RATIO = 2.0
SPAN = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
STATUS_MIX = {
    "received": 6,
    "in_review": 4,
    "deficient": 5,
    "rejected": 8,
    "accepted": 2,
    "material_disabled": 3,
    "subscriber_notified": 12,
    "withdrawn": 3,
    "closed": 57,
}
CHANNEL_MIX = {"web": 60, "api": 30, "email": 8, "post": 1, "fax": 1}
TABLES = ["notices_notice", "notices_work", "notices_infringingitem", "notices_noticeevent"]

# The cases the searches look for: ten filed by one complainant, three of them naming the
# same mirror, which is on a subscriber's own domain, at both sizes. Seeded through
# notices.core.intake, so they are the real thing.
TARGET_NAME = "Imani Castellanos"
TARGET_SURNAME = "Castellanos"
TARGET_EMAIL = "imani@harbor-lights.example"
TARGET_ORGANIZATION = "Harbor Lights Pictures Inc"
MIRROR_DOMAIN = "nightshare.example"
MIRROR_ACCOUNT = "NS-4471"
MIRROR_URL = f"https://files.{MIRROR_DOMAIN}/night-roads-2024.zip"
MIRROR_HOST = f"files.{MIRROR_DOMAIN}"
# The first target case's reference without its prefix (references are numbered per
# year, and the targets are the first cases of 2025).
REFERENCE_FRAGMENT = "2025-000001"


def seed_fixed():
    """The agent, the API sender and its token, subscribers and the target cases."""
    import _seed
    from django.contrib.auth.models import Group, User

    from notices.core import cases, intake
    from notices.core.statutory import Item
    from notices.models import ApiSender, ApiToken, Channel
    from tests.factories import submission
    from tests.factories import subscriber as make_subscriber

    agent = User.objects.create_user("agent", is_staff=True)
    agent.groups.add(Group.objects.get(name="Designated agent"))
    sender = ApiSender.objects.create(name="Northwind Anti-Piracy", email="ops@northwind.example")
    _, key = ApiToken.issue(sender)
    subscriber_ids = _seed.subscribers(200)
    make_subscriber(MIRROR_ACCOUNT, "Nightshare Hosting", [("domain", MIRROR_DOMAIN)])
    targets = []
    for n in range(10):
        items = [
            Item(f"https://cdn{p}.example-host-1.net/share/harbor-lights/{n}/episode-{p}.mp4")
            for p in range(ITEMS_PER_CASE)
        ]
        if n < 3:
            items[0] = Item(MIRROR_URL, "The whole season as one archive")
        targets.append(
            intake.notice_submit(
                submission=submission(
                    name=TARGET_NAME,
                    organization=TARGET_ORGANIZATION,
                    signature_name=TARGET_NAME,
                    email=TARGET_EMAIL,
                    items=items,
                ),
                channel=Channel.API,
                actor="api:bench",
                api_sender=sender,
                received_at=datetime(2025, 3, 3 + n, 15, tzinfo=UTC),
            )
        )
    # The API detail shows a case that went through takedown: actions, timeline, letters.
    shown = targets[-1]
    cases.notice_accept(notice_id=shown.id, actor="agent")
    cases.notice_disable_material(
        notice_id=shown.id,
        actions={item.id: "access_disabled" for item in shown.items.all()},
        actor="agent",
    )
    return agent, sender, key, subscriber_ids, shown.reference


def grow(first: int, count: int, sender_id: int, subscriber_ids: list[int]) -> None:
    import _seed

    for start in range(first, first + count, BATCH):
        size = min(BATCH, first + count - start)
        began = time.perf_counter()
        _seed.seed_cases(
            start,
            size,
            start=SPAN[0],
            end=SPAN[1],
            statuses=_seed.weighted(STATUS_MIX),
            channels=_seed.weighted(CHANNEL_MIX),
            subscriber_ids=subscriber_ids,
            sender_id=sender_id,
            per_case=ITEMS_PER_CASE,
        )
        if count > BATCH:
            print(f"  cases {start:,}-{start + size - 1:,}: {time.perf_counter() - began:.0f} s")


def pages(reference: str) -> list[tuple[str, str, bool]]:
    """(label, path, is the result set the same size at both sizes)."""
    changelist = "/admin/notices/notice/"
    return [
        ("case list", changelist, True),
        # The open cases with a date, nearest first: a page of 50 at any size.
        ("queue", f"{changelist}?{urlencode({'queue': 'all'})}", True),
        ("search: infringing URL", f"{changelist}?{urlencode({'q': MIRROR_URL})}", True),
        ("search: infringing host", f"{changelist}?{urlencode({'q': MIRROR_HOST})}", True),
        ("search: domain of the host", f"{changelist}?{urlencode({'q': MIRROR_DOMAIN})}", True),
        ("search: complainant name", f"{changelist}?{urlencode({'q': TARGET_NAME})}", True),
        ("search: surname", f"{changelist}?{urlencode({'q': TARGET_SURNAME})}", True),
        ("search: reference part", f"{changelist}?{urlencode({'q': REFERENCE_FRAGMENT})}", True),
        ("search: account id", f"{changelist}?{urlencode({'q': MIRROR_ACCOUNT})}", True),
        ("search: e-mail", f"{changelist}?{urlencode({'q': TARGET_EMAIL})}", True),
        ("search: organization", f"{changelist}?{urlencode({'q': 'Harbor Lights'})}", True),
        # One organization in ten: its matches grow with the data (informational).
        ("search: big organization", f"{changelist}?{urlencode({'q': 'Northwind'})}", False),
        ("API detail", f"/api/v1/notices/{reference}/", True),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(database: str, log: Path):
    """gunicorn on one throwaway database, started and stopped by this process only."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{database}",
        "SECRET_KEY": settings.SECRET_KEY,  # the session cookie made in-process must hold
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "iija_compliance.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we stop it and its worker
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process, log)
        yield base
    finally:
        stop(process)


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log}")
        try:
            urllib.request.urlopen(base + "/admin/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url: str, headers: dict) -> float:
    request = urllib.request.Request(url, headers=headers)
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - start  # urlopen raises on anything but 2xx/3xx


def side_by_side(urls: list[str], headers: dict, runs: int, warmup: int) -> list[float]:
    """Median ms per URL, the URLs taken in turn: a load spike on the shared machine
    then hits every size alike instead of whichever was being measured."""
    samples: list[list[float]] = [[] for _ in urls]
    for _ in range(warmup):
        for url in urls:
            fetch(url, headers)
    for _ in range(runs):
        for url, times in zip(urls, samples, strict=True):
            times.append(fetch(url, headers))
    return [round(statistics.median(times) * 1000, 1) for times in samples]


def queries(client, path: str, headers: dict) -> tuple[int, dict]:
    """How many queries the page makes, and the slowest of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, headers=headers)  # warm the session, content types and token use
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return len(captured), {"ms": round(float(slowest["time"]) * 1000, 1), "sql": slowest["sql"]}


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def counts() -> dict:
    from notices.models import InfringingItem, Notice

    return {"cases": Notice.objects.count(), "items": InfringingItem.objects.count()}


def measure(databases, client, reference, key, args, log) -> list[dict]:
    """Each page at every size: median time over HTTP, queries in-process."""
    import _seed

    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    token = {"Authorization": f"Bearer {key}"}
    rows = []
    with ExitStack() as stack:
        bases = [stack.enter_context(gunicorn(name, log)) for name in databases]
        for name, path, fixed in pages(reference):
            headers = token if path.startswith("/api/") else cookie
            times = side_by_side([base + path for base in bases], headers, args.runs, args.warmup)
            rows.append({"page": name, "fixed": fixed, "ms": times, "path": path})
    for row in rows:
        headers = token if row["path"].startswith("/api/") else cookie
        row["queries"], row["slowest"] = [], None
        for name in databases:
            with _seed.use_database(name):
                count, slowest = queries(client, row["path"], headers)
                if args.explain and name == databases[-1]:
                    slowest["plan"] = explain(slowest["sql"])
            row["queries"].append(count)
            row["slowest"] = slowest  # the largest size's
        print(f"  {row['page']}: {row['ms']} ms, {row['queries']} queries")
    return rows


def verdict(row: dict) -> str:
    if not row["fixed"]:
        return "n/a (result grows)"
    small, large = row["ms"][0], row["ms"][-1]
    same = len(set(row["queries"])) == 1
    return "met" if large <= GOAL_RATIO * small and same else "MISSED"


def print_table(rows: list[dict], small: int, large: int) -> None:
    header = (
        f"{'page':26} {f'{small:,} ms':>10} {f'{large:,} ms':>13} {'ratio':>6} "
        f"{'q small':>8} {'q large':>8}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = r["ms"][-1] / r["ms"][0]
        print(
            f"{r['page']:26} {r['ms'][0]:>10} {r['ms'][-1]:>13} {ratio:>6.2f} "
            f"{r['queries'][0]:>8} {r['queries'][-1]:>8}  {verdict(r)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slowest queries")
    args = parser.parse_args()
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "gunicorn-scale.log"
    log.write_text("")
    with bench_database(name="bench_scale") as large_db:
        import _seed
        from django.test import Client

        agent, sender, key, subscriber_ids, reference = seed_fixed()
        client = Client()
        client.force_login(agent)  # before the snapshot, so both sizes know the session
        began = time.perf_counter()
        grow(1, SMALL - 10, sender.id, subscriber_ids)
        _seed.vacuum_analyze(TABLES)
        seeded = {"small": {**counts(), "seed_s": round(time.perf_counter() - began, 1)}}
        print(f"seeded {seeded['small']}")
        with _seed.snapshot(f"{large_db}_1k") as small_db:
            began = time.perf_counter()
            with _seed.bulk_load(TABLES):
                grow(SMALL - 10 + 1, args.cases - SMALL, sender.id, subscriber_ids)
            loaded = time.perf_counter()
            _seed.vacuum_analyze(TABLES)
            seeded["large"] = {
                **counts(),
                "seed_s": round(time.perf_counter() - began, 1),
                "of_which_vacuum_analyze_s": round(time.perf_counter() - loaded, 1),
                "items_checked": _seed.check_items(),
            }
            print(f"grew to {seeded['large']}")
            rows = measure([small_db, large_db], client, reference, key, args, log)
        print()
        print_table(rows, seeded["small"]["cases"], seeded["large"]["cases"])
        for row in rows:
            if args.explain and row["slowest"].get("plan"):
                print(f"\n{row['page']}: slowest query {row['slowest']['ms']} ms")
                print(row["slowest"]["sql"])
                print(row["slowest"]["plan"])
        result = {
            "runs": args.runs,
            "warmup": args.warmup,
            "seeding": seeded,
            "goal_ratio_at_most": GOAL_RATIO,
            "pages": [{**row, "goal": verdict(row)} for row in rows],
        }
        (out / "scale.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
