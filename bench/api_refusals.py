"""Refusals: what a hostile or broken API request costs the server, and how big the answer is.

A 4 MB body of 100,000 bad items once got an 8.9 MB answer and grew the web worker by 80 MB
(issue 11, item 13). Each request below goes to one gunicorn worker on PostgreSQL; the
figures are the answer's status and size, the time, and how far the worker's peak memory
(VmHWM) rose. Reported, never asserted.
Run: .venv/bin/python bench/api_refusals.py
"""

import http.client
import json
import time
from pathlib import Path

from _django import bench_database, write_result
from intake import api_notice, exit_cleanly_on_sigterm, gunicorn, letter_queue, prepare_product


def requests() -> dict[str, tuple[str, bytes]]:
    from tests.factories import api_notice as notice

    bad_item = {"location": "", "description": "full film"}
    bad_items = notice(infringing_material=[bad_item] * 100_000)
    wrong_items = notice(infringing_material=[bad_item] * 10_000)
    return {
        "100,000 bad items": ("/api/v1/notices/", json.dumps(bad_items).encode()),
        "10,000 bad items (the most allowed)": (
            "/api/v1/notices/",
            json.dumps(wrong_items).encode(),
        ),
        "batch of 100,000 junk": (
            "/api/v1/notices/batch/",
            json.dumps({"notices": [{}] * 100_000}).encode(),
        ),
    }


def peak_memory_kb(port: int) -> int:
    """VmHWM of the gunicorn worker serving `port`: of the processes started with that
    --bind, the one whose parent is one of them (the master)."""
    bind = f"--bind=127.0.0.1:{port}".encode()
    ours = {
        int(proc.name): proc
        for proc in Path("/proc").iterdir()
        if proc.name.isdigit() and bind in _read(proc / "cmdline")
    }
    for proc in ours.values():
        status = dict(
            line.split(":", 1)
            for line in _read(proc / "status").decode().splitlines()
            if ":" in line
        )
        if int(status["PPid"]) in ours:
            return int(status["VmHWM"].split()[0])
    raise RuntimeError("no gunicorn worker found")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # a process that ended meanwhile, or not ours to read
        return b""


def send(port: int, token: str, path: str, body: bytes) -> tuple[int, int, float]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return response.status, len(answer), elapsed


def main() -> None:
    exit_cleanly_on_sigterm()
    rows = []
    with bench_database("bench_api_refusals") as name:
        token = prepare_product()
        for label, (path, body) in requests().items():
            # A fresh worker for each, so each peak is its own.
            with letter_queue(), gunicorn(name, workers=1, threads=1) as port:
                send(port, token, "/api/v1/notices/", json.dumps(api_notice()).encode())
                before = peak_memory_kb(port)
                status, size, seconds = send(port, token, path, body)
                grown = peak_memory_kb(port) - before
            rows.append(
                {
                    "request": label,
                    "body_bytes": len(body),
                    "status": status,
                    "answer_bytes": size,
                    "seconds": round(seconds, 2),
                    "worker_peak_growth_kb": grown,
                }
            )
    print()
    print(f"{'request':<38}{'body':>10}{'status':>8}{'answer':>12}{'seconds':>9}{'memory':>10}")
    for row in rows:
        memory_mb = row["worker_peak_growth_kb"] / 1024
        print(
            f"{row['request']:<38}{row['body_bytes'] / 1e6:>8.1f}MB{row['status']:>8}"
            f"{row['answer_bytes']:>12,}{row['seconds']:>9}{memory_mb:>8.1f}MB"
        )
    write_result("api_refusals", {"requests": rows})


if __name__ == "__main__":
    main()
