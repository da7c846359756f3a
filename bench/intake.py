"""Intake: notices per second and latency through the API and the public form, side by side
with a baseline endpoint in the same gunicorn that inserts one row and does nothing else,
and with PostgreSQL's own single-row insert rate (pgbench), all in one run. The form's page
(GET) is measured against a plain page of the same size in the same layout.

Goals (issue 18; reported, never asserted): see GOALS below.
Run: .venv/bin/python bench/intake.py [--seconds 10] [--clients 1,8,32]
"""

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from _django import ROOT, bench_database, checkout_name, write_result

PG = "postgres://postgres@127.0.0.1:5432"
# 2 cores, shared with PostgreSQL and this client: one process per core, and threads so
# that a worker waiting on the database is not idle. gthread keeps connections alive.
WORKERS, THREADS = 2, 4
WORKS, ITEMS = 3, 10
BENCH_QUEUE = "bench-letters"  # bench/settings.py
REDIS_SLOT = 5  # PYTEST_XDIST_WORKER=gw5: the test settings' namespace for its broker keys


def locations(count: int) -> list[str]:
    # Three hosts, as a typical notice names a few: one subscriber lookup per host.
    hosts = ["files.example-host.net", "cdn.example-cdn.org", "198.51.100.23"]
    return [f"https://{hosts[n % 3]}/glass-harbor/{n:05d}.mkv" for n in range(count)]


def api_notice(items: int = ITEMS) -> dict:
    """The tests' API notice with 3 works and `items` locations."""
    from tests import factories

    return factories.api_notice(
        works=[
            {"description": f"Film “Glass Harbor” part {n}", "url": f"https://studio.example/{n}"}
            for n in range(1, WORKS + 1)
        ],
        infringing_material=[
            {"location": location, "description": "full film"} for location in locations(items)
        ],
    )


def form_fields() -> dict:
    """The tests' form post with 3 works and 10 locations."""
    from tests import factories

    rows = {"works-TOTAL_FORMS": str(WORKS), "items-TOTAL_FORMS": str(ITEMS)}
    for n in range(WORKS):
        rows[f"works-{n}-description"] = f"Album “Night Roads” part {n + 1}"
        rows[f"works-{n}-url"] = f"https://lanternrow.example/albums/{n}"
    for n, location in enumerate(locations(ITEMS)):
        rows[f"items-{n}-location"] = location
        rows[f"items-{n}-description"] = "full album"
    return factories.form_data(**rows)


# --- the product's data and the server -------------------------------------------------


def prepare_product() -> str:
    """Subscribers for two of the three hosts, and a sender; returns its token."""
    from notices.models import ApiSender, ApiToken
    from tests.factories import subscriber

    subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    subscriber("C-2", "Pier Networks", [("network", "198.51.100.0/24")])
    sender = ApiSender.objects.create(name="Northwind", email="ops@northwind-aps.example")
    return ApiToken.issue(sender)[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(database: str, workers: int = WORKERS, threads: int = THREADS):
    """gunicorn on bench.settings against the throwaway database; stopped on any exit."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{PG}/{database}",
        "PYTEST_XDIST_WORKER": f"gw{REDIS_SLOT}",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "iija_compliance.wsgi",
        f"--chdir={ROOT}",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        "--timeout=300",  # the 10,000-item notice must not be killed as a hung worker
        "--log-level=warning",
    ]
    # A session of its own: stopping it stops its workers and nothing else.
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        wait_until_up(port, process)
        yield port
    finally:
        stop(process)


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def exit_cleanly_on_sigterm() -> None:
    # SIGTERM would skip `finally`; as SystemExit, gunicorn is stopped and databases dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


# --- the clients -----------------------------------------------------------------------


class Client:
    """One keep-alive connection, as one sender (or one browser) holds it."""

    def __init__(self, port: int):
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None):
        headers = {**(headers or {}), "User-Agent": "bench/intake"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            try:
                self.connection.request(method, path, body, headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                # Most likely the server closed an idle keep-alive connection before reading
                # the request; try once more on a new one.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def channels(token: str) -> dict:
    """Each channel sends one notice and says whether it was stored."""
    api_body = json.dumps(api_notice()).encode()
    api_headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    form = form_fields()

    def baseline(client: Client) -> bool:
        # The same JSON body as the API's, stored as one row.
        status, _ = client.request("POST", "/bench/baseline/", api_body, api_headers)
        return status == 201

    def api(client: Client) -> bool:
        status, _ = client.request("POST", "/api/v1/notices/", api_body, api_headers)
        return status == 201

    def web_form(client: Client) -> bool:
        # As a browser does: load the form (CSRF cookie and token), then post it.
        status, page = client.request("GET", "/notices/new/")
        match = CSRF_INPUT.search(page)
        if status != 200 or not match:
            return False
        body = urlencode({**form, "csrfmiddlewaretoken": match.group(1).decode()})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _ = client.request("POST", "/notices/new/", body, headers)
        return status == 302  # to the receipt

    tokens: dict[int, str] = {}

    def form_post(client: Client) -> bool:
        # The POST alone: the page is loaded once per client for its CSRF cookie and token.
        if id(client) not in tokens:
            match = CSRF_INPUT.search(client.request("GET", "/notices/new/")[1])
            tokens[id(client)] = match.group(1).decode()
        body = urlencode({**form, "csrfmiddlewaretoken": tokens[id(client)]})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return client.request("POST", "/notices/new/", body, headers)[0] == 302

    def form_page(client: Client) -> bool:
        status, page = client.request("GET", "/notices/new/")
        return status == 200 and b"csrfmiddlewaretoken" in page

    form_bytes = [0]

    def plain_page(client: Client) -> bool:
        # A page of the same size as the form's, with the same layout and no form.
        if not form_bytes[0]:
            form_bytes[0] = len(client.request("GET", "/notices/new/")[1])
        status, _ = client.request("GET", f"/bench/plain/?bytes={form_bytes[0]}")
        return status == 200

    return {
        "baseline": baseline,
        "api": api,
        "form": web_form,
        "form_post": form_post,
        "form_get": form_page,
        "plain_get": plain_page,
    }


@dataclass
class Cell:
    channel: str
    clients: int
    notices_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    done: int
    errors: int
    client_cpu_pct: float | None = None
    server_cpu_ms: float | None = None


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def cell(name: str, latencies_s: list[float], errors: int, clients: int, seconds: float, **kw):
    ms = [x * 1000 for x in latencies_s]
    return Cell(
        channel=name,
        clients=clients,
        notices_per_s=round(len(ms) / seconds, 1),
        p50_ms=round(percentile(ms, 50), 1),
        p95_ms=round(percentile(ms, 95), 1),
        p99_ms=round(percentile(ms, 99), 1),
        done=len(ms),
        errors=errors,
        **kw,
    )


def load(
    name: str, send, port: int, clients: int, warmup: float, seconds: float, database: str = ""
) -> Cell:
    """`clients` threads send back to back; only what completes after the warm-up and
    before the end is counted, so throughput is completions over a fixed window. The
    server's CPU per request (gunicorn and PostgreSQL) is measured over the same window."""
    start = time.perf_counter()
    measure_from, measure_to = start + warmup, start + warmup + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def run() -> None:
        client = Client(port)
        while (began := time.perf_counter()) < measure_to:
            try:
                ok = send(client)
            except (OSError, http.client.HTTPException):
                ok = False  # counted as an error; the next request reconnects
            ended = time.perf_counter()
            if measure_from <= ended <= measure_to:
                with lock:
                    if ok:
                        latencies.append(ended - began)
                    else:
                        errors[0] += 1
        client.close()

    # Daemons: on Ctrl-C the run stops at once instead of waiting for the window to end.
    threads = [threading.Thread(target=run, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu_from, server_from = time.process_time(), server_cpu(port, database)
    time.sleep(max(0.0, measure_to - time.perf_counter()))
    cpu, server = time.process_time() - cpu_from, server_cpu(port, database)
    for thread in threads:
        thread.join()
    requests = len(latencies) + errors[0]
    server_ms = None
    if server is not None and server_from is not None and requests:
        # Per process: a database connection closed (CONN_MAX_AGE) and opened again is a
        # new backend; the one that ended takes what it used in the window with it.
        used = sum(cpu - server_from.get(pid, 0) for pid, cpu in server.items())
        server_ms = round(1000 * used / CLOCK_TICKS / requests, 2)
    return cell(
        name,
        latencies,
        errors[0],
        clients,
        seconds,
        client_cpu_pct=round(100 * cpu / seconds),
        server_cpu_ms=server_ms,
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def server_cpu(port: int, database: str) -> dict[int, int] | None:
    """CPU used so far (in clock ticks) by each process of the gunicorn on `port` (master
    and workers) and each PostgreSQL backend connected to `database`; None without Linux's
    /proc. Unlike notices per second, this hardly depends on what else the shared machine
    is doing."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    used = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            ours = f"--bind=127.0.0.1:{port} " in command or (
                database and command.startswith("postgres:") and f" {database} " in command
            )
            if ours:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                used[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            continue  # a process that ended meanwhile
    return used


# --- PostgreSQL alone ------------------------------------------------------------------


@contextmanager
def scratch_database(name: str):
    """A database for pgbench alone, dropped on any exit."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG}/{name}"
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pgbench(levels: list[int], seconds: int) -> list[Cell]:
    """pgbench inserting the baseline's row (same table shape, same JSON body) at each
    concurrency: what PostgreSQL on this machine can do with no HTTP and no Python."""
    import psycopg

    from bench.urls import BASELINE_TABLE_SQL

    body = json.dumps(api_notice()).replace("'", "''")
    cells = []
    with (
        scratch_database(checkout_name("bench_intake_pgbench")) as url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(BASELINE_TABLE_SQL)
        script = Path(tmp) / "insert.sql"
        # The body's colons are each followed by a space or "/", so pgbench reads no
        # :variables in it.
        script.write_text(
            f"INSERT INTO bench_baseline (body, received_at) VALUES ('{body}', now());\n"
        )
        for clients in levels:
            prefix = Path(tmp) / f"log{clients}"
            command = ["pgbench", "-n", f"-T{seconds}", f"-c{clients}", f"-j{min(clients, 2)}"]
            command += ["-f", str(script), "-l", f"--log-prefix={prefix}", url]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            tps = float(re.search(r"tps = ([\d.]+) \(without", output).group(1))
            latencies = [
                int(line.split()[2]) / 1e6
                for log in Path(tmp).glob(f"log{clients}.*")
                for line in log.read_text().splitlines()
            ]
            result = cell("pgbench insert", latencies, 0, clients, seconds)
            result.notices_per_s = round(tps, 1)  # pgbench's own figure
            cells.append(result)
    return cells


# --- the run ---------------------------------------------------------------------------


@contextmanager
def letter_queue():
    """The Redis queue the letters go to (no worker reads it). Emptied before the run, in
    case an interrupted run left messages, and deleted after it, whatever happens."""
    import redis
    from django.conf import settings

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] + BENCH_QUEUE
    broker.delete(queue)
    try:
        yield lambda: broker.llen(queue)
    finally:
        broker.delete(queue)


def print_table(cells: list[Cell], ratios: dict) -> None:
    header = (
        f"{'channel':<15}{'clients':>8}{'notices/s':>11}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'/baseline':>11}{'/pgbench':>10}{'client CPU':>12}"
        f"{'server CPU ms':>15}"
    )
    print(header)
    print("-" * len(header))
    for c in sorted(cells, key=lambda c: (c.clients, ORDER.index(c.channel))):
        r = ratios.get((c.channel, c.clients), {})
        vs_base = f"{r['baseline']:.2f}" if "baseline" in r else ""
        vs_base = f"{r['plain_get']:.2f}*" if "plain_get" in r else vs_base
        vs_pg = f"{r['pgbench']:.3f}" if "pgbench" in r else ""
        cpu = f"{c.client_cpu_pct}%" if c.client_cpu_pct is not None else ""
        server = f"{c.server_cpu_ms:.2f}" if c.server_cpu_ms is not None else ""
        print(
            f"{c.channel:<15}{c.clients:>8}{c.notices_per_s:>11.1f}{c.p50_ms:>9.1f}"
            f"{c.p95_ms:>9.1f}{c.p99_ms:>9.1f}{c.errors:>8}{vs_base:>11}{vs_pg:>10}{cpu:>12}"
            f"{server:>15}"
        )


# Each channel's goal: (the ratio it is read against, the least ratio). Reported only.
GOALS = {"api": ("baseline", 0.5), "form_post": ("baseline", 0.25), "form_get": ("plain_get", 0.5)}
ORDER = ["pgbench insert", "baseline", "api", "form", "form_post", "plain_get", "form_get"]


def ratios_of(cells: list[Cell]) -> dict:
    by = {(c.channel, c.clients): c for c in cells}
    ratios = {}
    for c in cells:
        if c.channel == "pgbench insert":
            continue
        r = {"pgbench": c.notices_per_s / by["pgbench insert", c.clients].notices_per_s}
        if c.channel == "form_get" and ("plain_get", c.clients) in by:
            # The form page against a plain page of its size, not against an insert.
            r["plain_get"] = c.notices_per_s / by["plain_get", c.clients].notices_per_s
        elif c.channel not in ("baseline", "plain_get") and ("baseline", c.clients) in by:
            r["baseline"] = c.notices_per_s / by["baseline", c.clients].notices_per_s
        ratios[c.channel, c.clients] = r
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--channels", default="baseline,api,form,form_post,plain_get,form_get")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    exit_cleanly_on_sigterm()
    cells: list[Cell] = []
    with bench_database("bench_intake") as name:
        from django.db import connection

        from bench.urls import BASELINE_TABLE_SQL
        from notices.models import Letter

        with connection.cursor() as cursor:
            cursor.execute(BASELINE_TABLE_SQL)
        token = prepare_product()
        sends = channels(token)
        with letter_queue() as queued, gunicorn(name) as port:
            for clients in levels:
                # Channels interleaved per concurrency, so drift in the machine's load
                # touches each of them alike.
                for channel in args.channels.split(","):
                    cells.append(
                        load(
                            channel,
                            sends[channel],
                            port,
                            clients,
                            args.warmup,
                            args.seconds,
                            database=name,
                        )
                    )
                    print(f"  {cells[-1].channel} x{clients}: {cells[-1].notices_per_s}/s")
            left = {"letters_in_outbox": Letter.objects.count(), "messages_in_redis": queued()}
    cells += pgbench(levels, args.seconds)
    report(cells, args, left)


def report(cells: list[Cell], args, left: dict) -> None:
    ratios = ratios_of(cells)
    print()
    print(
        f"Intake, one notice = {WORKS} works and {ITEMS} items; gunicorn gthread "
        f"{WORKERS} workers x {THREADS} threads on {os.cpu_count()} cores (shared with "
        f"PostgreSQL and this client); {args.seconds} s per cell after {args.warmup} s warm-up."
    )
    print(
        "form = GET the form + POST it (latency covers both); baseline = one INSERT of the "
        "API's JSON body behind the same middleware."
    )
    print()
    print_table(cells, ratios)
    print("* form_get: against plain_get (a plain page of the same size), not the baseline.")
    print(
        "server CPU ms: gunicorn's and PostgreSQL's CPU per request over the cell's window "
        "(steadier than notices/s on a shared machine)."
    )
    goals = {}
    for (channel, clients), r in sorted(ratios.items()):
        if channel in GOALS:
            goals[f"{channel}@{clients}"] = r[GOALS[channel][0]] >= GOALS[channel][1]
    print()
    met = [k for k, ok in goals.items() if ok]
    missed = [k for k, ok in goals.items() if not ok]
    print(
        "Goals: api >= 0.5 x baseline, form_post >= 0.25 x baseline, "
        "form_get >= 0.5 x plain_get (within 2 x a plain page of its size)."
    )
    print(f"  Met: {', '.join(met) or 'none'}.")
    print(f"  Missed: {', '.join(missed) or 'none'}.")
    print(
        f"Letters: {left['letters_in_outbox']} acknowledgements in the outbox table, "
        f"{left['messages_in_redis']} messages published to Redis (no Celery worker "
        "ran; the queue was deleted afterwards)."
    )
    result = {
        "config": {
            "works": WORKS,
            "items": ITEMS,
            "gunicorn": {"worker_class": "gthread", "workers": WORKERS, "threads": THREADS},
            "cores": os.cpu_count(),
            "seconds_per_cell": args.seconds,
            "warmup_s": args.warmup,
        },
        "cells": [asdict(c) for c in cells],
        "ratios": {f"{ch}@{n}": r for (ch, n), r in ratios.items()},
        "goals": GOALS,
        "goals_met": goals,
        **left,
    }
    write_result("intake", result)


if __name__ == "__main__":
    main()
