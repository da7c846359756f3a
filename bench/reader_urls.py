"""The notice reader on texts of growing numbers of URLs: time grows with the text.

Issue 11: the URL check was quadratic (30,000 URLs in a 1 MB body took 33 s, and an
upload of it killed the web worker). Each row reads a takedown listing N URLs, one per
line and all on one line; "µs/char" stays flat if reading is linear in the text's length.
Past READ_MAX_CHARS the reader stops (the reading says so), which bounds the time.
Run: .venv/bin/python bench/reader_urls.py [--counts 1000 3000 10000 30000]
Prints a table and writes var/bench/reader_urls.json.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _django  # noqa: E402, F401  (settings: the provider's own domains)

from notices.mailbox.reader import read_text  # noqa: E402
from notices.mailbox.reader.layout import READ_MAX_CHARS  # noqa: E402

HEAD = "I write for Harborline Pictures LLC. The following infringing copies are on your network:"
TAIL = (
    "I have a good faith belief that use of the material is not authorized by the copyright "
    "owner, its agent, or the law. I swear, under penalty of perjury, that this notice is "
    "accurate and that I am authorized to act for the owner.\n/s/ Sam Okoye"
)


def text_of(count: int, separator: str) -> str:
    urls = separator.join(f"https://files.example-host.net/s/{i:06d}" for i in range(count))
    return f"{HEAD}\n{urls}\n\n{TAIL}"


def measure(text: str, runs: int = 3) -> dict:
    """The best of `runs`: the machine is shared, and the slower runs measure the others."""
    seconds = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        reading = read_text(text)
        seconds = min(seconds, time.perf_counter() - started)
    read = min(len(text), READ_MAX_CHARS)
    return {
        "chars": len(text),
        "chars_read": read,
        "seconds": round(seconds, 3),
        "us_per_char": round(seconds * 1e6 / read, 2),
        "urls_listed": len(reading.urls),
        "not_read": reading.not_read,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 3000, 10000, 30000])
    counts = parser.parse_args().counts
    rows = []
    for layout, separator in (("one per line", "\n"), ("all on one line", " ")):
        for count in counts:
            rows.append({"layout": layout, "urls": count, **measure(text_of(count, separator))})
    print(f"{'layout':16} {'URLs':>7} {'chars':>10} {'read':>9} {'seconds':>8} {'µs/char':>8}")
    for row in rows:
        print(
            f"{row['layout']:16} {row['urls']:>7,} {row['chars']:>10,} {row['chars_read']:>9,} "
            f"{row['seconds']:>8.2f} {row['us_per_char']:>8.2f}"
        )
    out = ROOT / "var" / "bench" / "reader_urls.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {"read_max_chars": READ_MAX_CHARS, "rows": rows}
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
