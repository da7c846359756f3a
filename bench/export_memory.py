"""An export of many cases: does memory stay flat? Samples the process's RSS while the
ZIP is built and compares the peak after the first 10% of cases with the peak at the end.

Run: .venv/bin/python bench/export_memory.py [--cases 1000]
"""

import argparse
import json
import threading
import time
from pathlib import Path

from _django import bench_database


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    with bench_database():
        from notices.models import ExportJob
        from notices.records.exports import export_create, export_run
        from tests.factories import web_notice

        ids = [web_notice().id for _ in range(args.cases)]
        job = export_create(actor="bench", version="shareable", notice_ids=ids)
        samples: list[tuple[int, float]] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append(
                    (ExportJob.objects.values_list("done", flat=True).get(id=job.id), rss_mb())
                )
                time.sleep(0.5)

        sampler = threading.Thread(target=sample)
        start = time.perf_counter()
        sampler.start()
        export_run(job_id=job.id)
        done.set()
        sampler.join()
        elapsed = time.perf_counter() - start
        job.refresh_from_db()
        early = max((rss for count, rss in samples if count <= args.cases // 10), default=0.0)
        # The peak RSS by tenth of the export: flat memory means this stops growing.
        by_tenth = [
            round(
                max((rss for count, rss in samples if count <= args.cases * k // 10), default=0), 1
            )
            for k in range(1, 11)
        ]
        result = {
            "cases": args.cases,
            "seconds": round(elapsed, 1),
            "cases_per_second": round(args.cases / elapsed, 2),
            "zip_mb": round(job.file.size / 1e6, 1),
            "rss_peak_first_10pct_mb": round(early, 1),
            "rss_peak_overall_mb": round(max(rss for _, rss in samples), 1),
            "rss_growth_mb": round(max(rss for _, rss in samples) - early, 1),
            "rss_peak_by_tenth_mb": by_tenth,
        }
        print(json.dumps(result, indent=2))
        out = Path(__file__).resolve().parent.parent / "var" / "bench" / "export.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
