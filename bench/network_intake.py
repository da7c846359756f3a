"""Network notices at volume: generated ACNS mails through intake_mail's pipeline (the
same batches of notices.mailbox.intake.BATCH_SIZE messages), against a baseline that only
parses the same XML with lxml and inserts one row per notice; the process's memory over
the run; who-held-this-address-then at 1,000 and 1,000,000 assignments.

Goal (reported, not asserted): the pipeline at least half the baseline's rate, memory
flat over the run (the peak of the last tenth near that of the first), a lookup at
1,000,000 assignments within 2x its time at 1,000. The two plan sizes stand side by side
(the small one in a schema of its own) and take turns over ten rounds, so that the load
of a shared machine falls on both alike; each is timed one address at a time (holder_at)
and a batch's worth at a time (holders_at, as the pipeline does), and EXPLAIN (ANALYZE,
BUFFERS) of holder_at's query is printed.

The mails come in five shapes seen in the wild (XML between markers in the letter, the
same XML again as an attachment, a PGP clear-signed letter with dash-escaped markers and
no namespace, a base64 body, the movielabs namespace of schema 1.3 as an attachment), from
three senders, against --subscribers subscribers who each held three blocks over three
periods (imported with import_assignments' code). About 5% repeat a case id (duplicate),
5% name an address no one held (not ours), 5% are older than the age limit (too old).
Run: .venv/bin/python bench/network_intake.py [--mails 100000] [--subscribers 10000]
     [--assignments 1000000] [--lookups 2000]
Writes var/bench/network_intake.json. PostgreSQL only.
"""

import argparse
import base64
import ipaddress
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _django import bench_database, write_result

NOW = datetime.now(UTC)
PERIODS = [NOW - timedelta(days=700), NOW - timedelta(days=400), NOW - timedelta(days=120), None]
POOL = ipaddress.ip_network("198.18.0.0/15")  # RFC 2544's benchmarking addresses
BLOCK = 29
SENDERS = ["notices@rights-one.example", "acns@rights-two.example", "desk@rights-three.example"]
NAMESPACES = ["http://www.acns.net/ACNS", "", "http://www.movielabs.com/ACNS"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def block(n: int) -> ipaddress.IPv4Network:
    return ipaddress.ip_network(f"{POOL.network_address + n * 2 ** (32 - BLOCK)}/{BLOCK}")


def plan_csv(subscribers: int) -> bytes:
    """Block b is held by subscribers b, b+1, b+2 in turn over three periods: each
    subscriber holds three blocks, one per period."""
    lines = ["subscriber,name,email,network,valid_from,valid_until,service"]
    for b in range(subscribers):
        for p in range(3):
            who = (b + p) % subscribers
            since, until = PERIODS[p], PERIODS[p + 1]
            lines.append(
                f"B-{who:06d},Customer {who},noc{who}@customer.example,{block(b)},"
                f"{since:%Y-%m-%dT%H:%M:%SZ},{f'{until:%Y-%m-%dT%H:%M:%SZ}' if until else ''},"
                f"{'hosting' if who % 4 == 0 else 'transit'}"
            )
    return ("\n".join(lines) + "\n").encode()


def acns(case_id: str, ip: str, moment: str, namespace: str) -> str:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Infringement{xmlns}>\n'
        f" <Case><ID>{case_id}</ID><Status>Open</Status></Case>\n"
        " <Complainant><Entity>Example Pictures LLC</Entity>"
        "<Email>notices@rights.example</Email></Complainant>\n"
        f" <Source><TimeStamp>{moment}</TimeStamp><IP_Address>{ip}</IP_Address>"
        "<Port>51413</Port><Type>BitTorrent</Type></Source>\n"
        f" <Content><Item><TimeStamp>{moment}</TimeStamp><Title>Example Film {case_id}</Title>"
        "<FileName>Example.Film.mkv</FileName><FileSize>1048576</FileSize></Item></Content>\n"
        "</Infringement>\n"
    )


def letter(ip: str, moment: str) -> str:
    return (
        "Dear Sir or Madam,\n\nWe write on behalf of Example Pictures LLC about infringing "
        "copies shared from an address on your network. We have a good faith belief that "
        "this use is not authorized.\n\nEvidentiary Information:\nProtocol: BITTORRENT\n"
        f"Infringer's IP Address: {ip}\nInfringer's Port: 51413\n"
        f"Initial Infringement Timestamp: {moment}\n"
    )


def headers(n: int, sender: str, extra: str) -> str:
    return (
        f"From: Notices <{sender}>\nTo: abuse@isp.example\nSubject: Notice of claimed "
        f"infringement {n}\nMessage-ID: <bench-{n}@{sender.split('@')[1]}>\n"
        f"MIME-Version: 1.0\n{extra}"
    )


def mail(n: int, subscribers: int, rng: random.Random) -> tuple[bytes, str]:
    """The n-th mail and the XML it carries."""
    sender = SENDERS[n % 3]
    roll = rng.random()
    if roll < 0.05:  # an address nobody held
        ip = str(POOL.network_address + subscribers * 8 + rng.randrange(1000))
    else:
        ip = str(block(rng.randrange(subscribers)).network_address + rng.randrange(8))
    age = timedelta(days=100 + rng.random() * 15) if 0.05 <= roll < 0.10 else None
    moment = f"{NOW - (age or timedelta(seconds=rng.randrange(80 * 86400))):%Y-%m-%dT%H:%M:%SZ}"
    case_id = f"BN-{n - 1 if 0.10 <= roll < 0.15 and n else n}"  # a repeat of the one before
    if 0.10 <= roll < 0.15 and n:
        sender = SENDERS[(n - 1) % 3]
    shape = n % 5
    xml = acns(case_id, ip, moment, NAMESPACES[{2: 1, 4: 2}.get(shape, 0)])
    text = letter(ip, moment)
    if shape == 0:
        body = f"{text}\n---Start ACNS XML\n{xml}---End ACNS XML\n"
        raw = headers(n, sender, "Content-Type: text/plain; charset=utf-8\n\n") + body
    elif shape in (1, 4):
        inline = f"\n---Start ACNS XML\n{xml}---End ACNS XML\n" if shape == 1 else ""
        raw = headers(n, sender, 'Content-Type: multipart/mixed; boundary="b0"\n\n') + (
            f"--b0\nContent-Type: text/plain; charset=utf-8\n\n{text}{inline}\n"
            f'--b0\nContent-Type: application/xml; name="{case_id}.xml"\n'
            f'Content-Disposition: attachment; filename="{case_id}.xml"\n\n{xml}\n--b0--\n'
        )
    elif shape == 2:
        dashed = "\n".join(f"- {line}" if line.startswith("-") else line for line in (
            f"---Start ACNS XML\n{xml}---End ACNS XML").splitlines())  # fmt: skip
        body = (
            f"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{text}\n{dashed}\n"
            "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=abcd\n"
            "-----END PGP SIGNATURE-----\n"
        )
        raw = headers(n, sender, "Content-Type: text/plain; charset=us-ascii\n\n") + body
    else:
        body = base64.encodebytes(
            f"{text}\n---Start ACNS XML\n{xml}---End ACNS XML\n".encode()
        ).decode()
        encoded = "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        raw = headers(n, sender, encoded) + body
    return raw.replace("\n", "\r\n").encode(), xml


def run_pipeline(count: int, subscribers: int) -> dict:
    """The mails through intake_mail's own code: intake_reports over batches of
    BATCH_SIZE messages, generated as they are needed."""
    from notices.mailbox.intake import batches, intake_reports

    rng = random.Random(15)
    outcomes: dict[str, int] = {}
    peaks = [0.0] * 10
    mails = (mail(n, subscribers, rng)[0] for n in range(count))
    done = 0
    start = time.perf_counter()
    for batch in batches(mails):
        for report in intake_reports(batch):
            outcomes[report["outcome"]] = outcomes.get(report["outcome"], 0) + 1
        done += len(batch)
        tenth = min((done - 1) * 10 // count, 9)
        peaks[tenth] = max(peaks[tenth], rss_mb())
    elapsed = time.perf_counter() - start
    return {"rate": count / elapsed, "seconds": elapsed, "outcomes": outcomes, "rss": peaks}


def run_baseline(count: int, subscribers: int) -> dict:
    """lxml parses the same XML (safely: no entities, no network) and one row per notice
    goes into a table of its own, in autocommit like the pipeline's."""
    from django.db import connection
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_network_row (id bigserial PRIMARY KEY, ip inet, port int, "
            "at timestamptz, case_id text)"
        )
    rng = random.Random(15)
    xmls = [mail(n, subscribers, rng)[1] for n in range(count)]  # outside the timing
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for xml in xmls:
            root = etree.fromstring(xml.encode(), parser)
            found = {el.tag.rpartition("}")[2]: el.text for el in root.iter()}
            cursor.execute(
                "INSERT INTO bench_network_row (ip, port, at, case_id) VALUES (%s, %s, %s, %s)",
                [found["IP_Address"], int(found["Port"]), found["TimeStamp"], found["ID"]],
            )
    elapsed = time.perf_counter() - start
    return {"rate": count / elapsed, "seconds": elapsed}


def clear_plan() -> None:
    """In SQL: Django's delete() would load every row to check what refers to it (no
    event does yet)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notices_addressassignment")


SMALL = "bench_small_plan"  # a schema holding the small plan beside the large one


def fill_plan(cursor, table: str, assignments: int) -> int:
    """`assignments` rows in `table`: blocks of /29 from 10.0.0.0, three periods each;
    the number of blocks."""
    blocks = -(-assignments // 3)
    cursor.execute("SELECT min(id), max(id) FROM notices_subscriber")
    low, high = cursor.fetchone()
    cursor.execute(
        f"""
        INSERT INTO {table}
          (subscriber_id, network, first_address, last_address, valid_from, valid_until,
           service, imported_at)
        SELECT %(low)s + (b * 3 + p) %% (%(high)s - %(low)s + 1),
               set_masklen('10.0.0.0'::inet + b * 8, 29)::cidr::text,
               ('10.0.0.0'::inet + b * 8) - '0.0.0.0'::inet,
               ('10.0.0.0'::inet + b * 8 + 7) - '0.0.0.0'::inet,
               %(start)s::timestamptz + p * interval '200 days',
               CASE WHEN p < 2 THEN %(start)s::timestamptz + (p + 1) * interval '200 days'
               END,
               'transit', now()
        FROM generate_series(0, %(blocks)s - 1) b, generate_series(0, 2) p
        WHERE b * 3 + p < %(count)s
        """,
        {"low": low, "high": high, "start": PERIODS[0], "blocks": blocks,
         "count": assignments},
    )  # fmt: skip
    cursor.execute(f"ANALYZE {table}")
    return blocks


def probes_for(blocks: int, count: int, seed: int) -> list[tuple[str, datetime]]:
    """Random addresses (a tenth beyond the plan: misses) at random moments."""
    rng = random.Random(seed)
    return [
        (
            str(ipaddress.ip_address("10.0.0.0") + rng.randrange(blocks * 8 * 11 // 10)),
            PERIODS[0] + timedelta(seconds=rng.randrange(700 * 86400)),
        )
        for _ in range(count)
    ]


def lookup_times(assignments: int, lookups: int, rounds: int = 10) -> dict:
    """holder_at (one address, one moment) and holders_at (a batch's worth in one query)
    at 1,000 and at `assignments` rows, the two sizes taking turns over `rounds` rounds,
    so that the load of the machine falls on both alike.

    The large plan is the app's own table; the small one an identical table (the same
    indexes, the exclusion constraint's GiST index included) in a schema of its own, put
    first on the search path for its turns."""
    from django.db import connection

    from notices.network.addresses import holder_at, holders_at

    clear_plan()
    table = "notices_addressassignment"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {SMALL}")
        cursor.execute(f"CREATE TABLE {SMALL}.{table} (LIKE public.{table} INCLUDING ALL)")
        small_blocks = fill_plan(cursor, f"{SMALL}.{table}", 1_000)
        large_blocks = fill_plan(cursor, f"public.{table}", assignments)
    sizes = {
        "small": (f"{SMALL}, public", probes_for(small_blocks, lookups, 7)),
        "large": ("public", probes_for(large_blocks, lookups, 7)),
    }
    times = {name: [] for name in sizes}
    batch_times = {name: [] for name in sizes}
    hits = dict.fromkeys(sizes, 0)
    per_round = max(lookups // rounds, 1)
    with connection.cursor() as cursor:
        for turn in range(rounds + 1):  # the first round warms up, untimed
            for name, (path, probes) in sizes.items():
                cursor.execute(f"SET search_path TO {path}")
                chunk = probes[(turn % rounds) * per_round :][:per_round]
                for ip, moment in chunk:
                    began = time.perf_counter()
                    found = holder_at(ip, moment)
                    if turn:
                        times[name].append((time.perf_counter() - began) * 1000)
                        hits[name] += found is not None
                began = time.perf_counter()
                holders_at(chunk)
                if turn:
                    batch_times[name].append((time.perf_counter() - began) * 1000 / len(chunk))
        result = {}
        for name, (path, probes) in sizes.items():
            cursor.execute(f"SET search_path TO {path}")
            cursor.execute(f"SELECT count(*) FROM {table}")
            ordered = sorted(times[name])
            result[name] = {
                "assignments": cursor.fetchone()[0],
                "median_ms": statistics.median(ordered),
                "p95_ms": ordered[int(len(ordered) * 0.95)],
                "hits": hits[name],
                "batch_median_ms": statistics.median(batch_times[name]),
                "plan": explain(cursor, probes[0]),
                "batch_plan": explain_batch(cursor, probes[:per_round]),
            }
        cursor.execute("SET search_path TO public")
        cursor.execute(f"DROP SCHEMA {SMALL} CASCADE")
    return result


def explain(cursor, probe: tuple[str, datetime]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the very query holder_at sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.network.addresses import holder_at

    with CaptureQueriesContext(connection) as captured:
        holder_at(*probe)
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {captured.captured_queries[-1]['sql']}")
    return "\n".join(row[0] for row in cursor.fetchall())


def explain_batch(cursor, probes: list[tuple[str, datetime]]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the query holders_at sends for a batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.network.addresses import holder_ids_by_index

    with CaptureQueriesContext(connection) as captured:
        holder_ids_by_index(probes)
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {captured.captured_queries[-1]['sql']}")
    return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=100_000)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--assignments", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    args = parser.parse_args()
    with bench_database("bench_network_intake") as name:
        from django.db import connection

        from notices.network.plan import import_plan

        assert connection.vendor == "postgresql", "PostgreSQL only"
        import_plan(plan_csv(args.subscribers))  # the subscribers the lookups assign to
        lookups = lookup_times(args.assignments, args.lookups)
        small, large = lookups["small"], lookups["large"]
        for size in (small, large):
            print(f"Lookup at {size['assignments']:,}: {size['median_ms']:.3f} ms, in a batch "
                  f"{size['batch_median_ms']:.3f} ms", flush=True)  # fmt: skip
        clear_plan()
        began = time.perf_counter()
        imported = import_plan(plan_csv(args.subscribers))
        import_seconds = time.perf_counter() - began
        print(f"Plan imported in {import_seconds:.1f} s: {imported.as_json()}", flush=True)
        pipeline = run_pipeline(args.mails, args.subscribers)
        print(f"Pipeline: {pipeline['rate']:.0f} notices/s", flush=True)
        baseline = run_baseline(args.mails, args.subscribers)
        print(f"Baseline: {baseline['rate']:.0f} notices/s", flush=True)
        result = {
            "database": name,
            "mails": args.mails,
            "subscribers": args.subscribers,
            "plan_import_seconds": import_seconds,
            "pipeline": pipeline,
            "baseline": baseline,
            "rate_ratio": pipeline["rate"] / baseline["rate"],
            "lookup_small": small,
            "lookup_large": large,
            "lookup_ratio": large["median_ms"] / small["median_ms"],
            "batch_lookup_ratio": large["batch_median_ms"] / small["batch_median_ms"],
        }
    print_table(result)
    write_result("network_intake", result)


def print_table(r: dict) -> None:
    p, b, s, la = r["pipeline"], r["baseline"], r["lookup_small"], r["lookup_large"]
    rss = p["rss"]
    print()
    lines, seconds = 3 * r["subscribers"], r["plan_import_seconds"]
    print(f"{r['mails']:,} ACNS mails, {r['subscribers']:,} subscribers x 3 periods "
          f"(plan of {lines:,} lines imported in {seconds:.1f} s)")  # fmt: skip
    print(f"{'measure':<48} {'value':>14}  goal")
    rows = [
        ("intake_mail pipeline, notices/s", f"{p['rate']:.0f}", ""),
        ("baseline (lxml parse + one INSERT), notices/s", f"{b['rate']:.0f}", ""),
        ("pipeline / baseline", f"{r['rate_ratio']:.2f}", ">= 0.5"),
        ("RSS peak, first tenth of the run (MB)", f"{rss[0]:.0f}", ""),
        ("RSS peak, last tenth of the run (MB)", f"{rss[-1]:.0f}", "flat"),
        (f"lookup at {s['assignments']:,} assignments, median ms", f"{s['median_ms']:.3f}", ""),
        (
            f"lookup at {la['assignments']:,} assignments, median ms",
            f"{la['median_ms']:.3f}",
            "",
        ),  # fmt: skip
        ("lookup p95 ms (small / large)", f"{s['p95_ms']:.3f} / {la['p95_ms']:.3f}", ""),
        ("large / small (median)", f"{r['lookup_ratio']:.2f}", "<= 2"),
        (
            "in a batch (holders_at), ms per address, small / large",
            f"{s['batch_median_ms']:.3f} / {la['batch_median_ms']:.3f}",
            "",
        ),
        ("large / small (batch)", f"{r['batch_lookup_ratio']:.2f}", "<= 2"),
    ]
    for name, value, goal in rows:
        print(f"{name:<48} {value:>14}  {goal}")
    print("outcomes:", ", ".join(f"{k} {v:,}" for k, v in sorted(p["outcomes"].items())))
    print("RSS peak by tenth (MB):", " ".join(f"{m:.0f}" for m in rss))
    print(f"holder_at's query at {la['assignments']:,} assignments:")
    print(la["plan"])
    print(f"holders_at's query for a batch of addresses at {la['assignments']:,}:")
    print(la["batch_plan"])


if __name__ == "__main__":
    main()
