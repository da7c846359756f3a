"""Batch beside single notices: how long one sender's big API batch (with an Idempotency-Key,
all or nothing) makes another sender's single notices wait.

Every intake took the year's reference counter; a batch that held it from its first notice
to its commit made every other sender wait for the whole batch (issue 11, item 5). On
PostgreSQL numbers now come from a sequence, which no submission holds (issue 18). Measured
through gunicorn on PostgreSQL: the batch's time, and the latency of single notices sent
back to back by another sender while the batch runs, against the same singles alone.
Reported, never asserted.
Run: .venv/bin/python bench/batch_lock.py [--notices 1000] [--runs 2]
"""

import argparse
import http.client
import json
import statistics
import threading
import time
import uuid

from _django import bench_database, write_result
from intake import api_notice, exit_cleanly_on_sigterm, gunicorn, letter_queue, prepare_product


def post(port: int, token: str, path: str, body: bytes, key: str = "") -> tuple[float, int]:
    """Seconds for the whole request, and the status."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed, response.status


def singles_alone(port: int, token: str, count: int) -> list[float]:
    body = json.dumps(api_notice()).encode()
    return [post(port, token, "/api/v1/notices/", body)[0] for _ in range(count)]


def batch_body(notices: int) -> bytes:
    return json.dumps({"notices": [api_notice() for _ in range(notices)]}).encode()


def batch_alone(port: int, token: str, notices: int) -> float:
    seconds, status = post(
        port, token, "/api/v1/notices/batch/", batch_body(notices), key=str(uuid.uuid4())
    )
    if status != 200:
        raise RuntimeError(f"batch answered {status}")
    return seconds


def batch_beside_singles(port: int, batch_token: str, single_token: str, notices: int) -> dict:
    """One batch; meanwhile another sender files single notices one after another."""
    body = batch_body(notices)
    single_body = json.dumps(api_notice()).encode()
    batch: dict = {}
    done = threading.Event()

    def send_batch() -> None:
        seconds, status = post(
            port, batch_token, "/api/v1/notices/batch/", body, key=str(uuid.uuid4())
        )
        batch.update(seconds=seconds, status=status)
        done.set()

    thread = threading.Thread(target=send_batch)
    thread.start()
    time.sleep(0.5)  # the batch is being read and stored
    latencies, statuses = [], set()
    while not done.is_set():
        seconds, status = post(port, single_token, "/api/v1/notices/", single_body)
        latencies.append(seconds)
        statuses.add(status)
    thread.join()
    if batch["status"] != 200 or statuses != {201}:
        raise RuntimeError(f"batch answered {batch['status']}, singles {sorted(statuses)}")
    return {"batch_s": batch["seconds"], "singles_s": latencies}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=1000, help="notices in the batch")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    exit_cleanly_on_sigterm()
    from notices.models import ApiSender, ApiToken

    with bench_database("bench_batch_lock") as name:
        batch_token = prepare_product()
        other = ApiSender.objects.create(name="Eastgate Rights", email="api@eastgate.example")
        single_token = ApiToken.issue(other)[1]
        with letter_queue(), gunicorn(name) as port:
            singles_alone(port, single_token, 10)  # warm both workers
            alone = singles_alone(port, single_token, 20)
            batch_s = batch_alone(port, batch_token, args.notices)
            runs = [
                batch_beside_singles(port, batch_token, single_token, args.notices)
                for _ in range(args.runs)
            ]
    report(args, alone, batch_s, runs)


def report(args, alone: list[float], batch_s: float, runs: list[dict]) -> None:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    print()
    print(
        f"A batch of {args.notices:,} notices (3 works, 10 items each) with an Idempotency-Key, "
        "and another sender's single notices sent one after another while it runs."
    )
    print(f"Single notice alone: median {ms(statistics.median(alone))}, max {ms(max(alone))}")
    print(f"Batch alone: {batch_s:.1f} s")
    for n, run in enumerate(runs, 1):
        singles = run["singles_s"]
        print(
            f"Run {n}: batch {run['batch_s']:.1f} s; {len(singles)} single notices meanwhile, "
            f"median {ms(statistics.median(singles))}, max {ms(max(singles))}"
        )
    result = {
        "notices_per_batch": args.notices,
        "single_alone_s": alone,
        "batch_alone_s": batch_s,
        "runs": runs,
    }
    write_result("batch_lock", result)


if __name__ == "__main__":
    main()
