"""Measure the notice reader (notices/mailbox/reader/) on the published-notice corpus and
on the development sets beside it (issue 17's measures).

Reads the texts at run time only (the corpus: GitHub, github/dmca repository; the dev sets:
other hosts, agencies and users; no license: nothing of them is copied into the project).
Every corpus record is read from ``text[github_preamble_end:]``, so GitHub's own
annotations at the top never count.

- corpus: kind recall per kind, URLs found, the six elements on form and free-text
  takedowns, ablation (a sentence deleted, the element still reported), infringing vs
  original by the notices' own headings;
- devsets/nonnotices: every text is "other"; recall overall and per category;
- devsets/notices.jsonl: kind recall, the six elements against a careful reading
  (agreement, and elements reported present that the text does not contain), infringing
  URLs found, URLs of the original work taken as infringing.

Run: .venv/bin/python bench/reader_corpus.py [--corpus ../shared/corpus/dev.jsonl]
     [--devsets ../shared/corpus/devsets]
Prints a summary table, and writes every figure to var/bench/reader.json.
"""

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _django  # noqa: E402, F401  (settings: the provider's own domains)

from notices.mailbox.reader import COUNTER_ELEMENTS, TAKEDOWN_ELEMENTS, read_text  # noqa: E402
from notices.mailbox.reader.urls import extract_urls, url_spans  # noqa: E402

CORPUS_KINDS = ("takedown", "counter", "retraction", "other")
READER_TO_CORPUS = {
    "takedown": "takedown",
    "counter_notice": "counter",
    "retraction": "retraction",
    "other": "other",
}

# Help, template and policy links: never the material. Kept apart from the reader's own
# list on purpose, so the bench does not grade the reader with the reader's own rule.
HELP_LINK = re.compile(
    r"https?://(?:www\.)?(?:lumendatabase\.org|chillingeffects\.org|docs\.github\.com|"
    r"help\.github\.com|github\.com/(?:contact|site|github/dmca|github/site-policy|security)"
    r"|[^/]*copyright\.gov|opensource\.org|creativecommons\.org)",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------
# The gold set for infringing vs original.
#
# Built only from the notices' own headings, never from the reader:
# 1. The text after the preamble is cut into sections at heading lines: a Markdown
#    heading ("# ..."), a line wholly in bold ("**...**"), or a short line (< 400 chars,
#    URLs removed) ending in "?" or ":". A section runs to the next heading line.
# 2. A heading is labelled ORIGINAL when it names the original work ("original",
#    "official", "our work", "my work", "copyrighted work") and does not ask for removal;
#    INFRINGING when it asks what to remove or names the infringing copies ("taken down",
#    "to be removed", "disabled", "infringing files/URLs/material/copies/content/
#    repositories/links/locations", "unauthorized", "offending", "forks"). Any other
#    heading is unlabelled.
# 3. Every URL written in a labelled section's body (not the heading line itself), other
#    than a help/template link, is gold original or gold infringing. A URL found under both
#    labels is ambiguous and left out. URLs in unlabelled sections are not scored.
# 4. A notice is covered when it has at least one gold infringing URL.
# Precision = reader's infringing URLs that are gold infringing / reader's infringing URLs
# that are gold (either label); recall = gold infringing URLs the reader proposes.
# ---------------------------------------------------------------------------------------

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_GOLD_INFRINGING = re.compile(
    r"taken down|to be removed|be (?:removed|disabled)|disable|"
    r"infringing (?:files?|urls?|material|copies|content|repositor\w*|links?|locations?|"
    r"works?|pages?|sites?)|unauthori[sz]ed|offending|\bforks?\b",
    re.IGNORECASE,
)
_GOLD_ORIGINAL = re.compile(
    r"\boriginal\b|\bofficial\b|\bour work|\bmy work|copyrighted work", re.IGNORECASE
)


def _is_gold_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if re.match(r"^#{1,6}\s", stripped):
        return True
    if stripped.startswith("**") and stripped.rstrip(" :").endswith("**") and len(stripped) > 4:
        return True
    plain = _URL.sub("", stripped).strip()
    return bool(plain) and len(plain) < 400 and plain[-1] in "?:"


def gold_labels(text: str) -> tuple[set[str], set[str]]:
    original: set[str] = set()
    infringing: set[str] = set()
    label = None
    for line in text.split("\n"):
        if _is_gold_heading(line):
            heading = _URL.sub("", line)
            if _GOLD_INFRINGING.search(heading):
                label = "infringing"
            elif _GOLD_ORIGINAL.search(heading):
                label = "original"
            else:
                label = None
            continue
        if label is None:
            continue
        for url in extract_urls(line):
            if HELP_LINK.match(url):
                continue
            (infringing if label == "infringing" else original).add(url)
    both = original & infringing
    return original - both, infringing - both


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _delete(text: str, pieces: list[str]) -> str:
    for piece in sorted(set(pieces), key=len, reverse=True):
        if piece:
            text = text.replace(piece, "")
    return text


# The bench's own cut of a text into sentences and lines (not the reader's), for deleting
# what a careful reader would call the sworn statement: every sentence made under oath.
_SWORN = re.compile(r"perjur|\bsworn\b|\bswear|under oath", re.IGNORECASE)


def _pieces(text: str) -> list[str]:
    return [p for p in re.split(r"(?<=[.!?])\s+|\n", text) if p.strip()]


def _delete_urls(text: str, urls: list[str]) -> str:
    wanted = set(urls)
    spans = [(start, end) for start, end, url in url_spans(text) if url in wanted]
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    # bare hosts and IPs listed as material
    return _delete(text, [u for u in urls if not u.lower().startswith("http")])


def measure_corpus(records: list[dict]) -> dict:

    confusion = {k: Counter() for k in CORPUS_KINDS}
    element_counts = {"form": Counter(), "free": Counter()}
    totals = Counter()
    counter_elements = Counter()
    ablation = {key: Counter() for key in TAKEDOWN_ELEMENTS}
    sworn = Counter()
    url_tp = url_fp = url_fn = 0
    inf_tp = inf_fp = inf_fn = 0
    covered = 0
    help_taken: Counter = Counter()
    help_notices = 0
    misread: dict[str, list[str]] = {k: [] for k in CORPUS_KINDS}

    for record in records:
        text = record["text"][record["github_preamble_end"] :]
        reading = read_text(text)
        kind = READER_TO_CORPUS[reading.kind]
        confusion[record["kind"]][kind] += 1
        if kind != record["kind"] and len(misread[record["kind"]]) < 10:
            misread[record["kind"]].append(record["path"])

        gold_urls = {url for url in record["urls"] if url in text}
        found = set(reading.urls)
        url_tp += len(found & gold_urls)
        url_fp += len(found - gold_urls)
        url_fn += len(gold_urls - found)

        taken_help = [u for u in reading.infringing if HELP_LINK.match(u)]
        help_taken.update(re.sub(r"^https?://(?:www\.)?", "", u).split("/")[0] for u in taken_help)
        help_notices += bool(taken_help)

        if record["kind"] == "counter" and reading.kind == "counter_notice":
            for key in COUNTER_ELEMENTS:
                counter_elements[key] += reading.elements[key].present
            counter_elements["_n"] += 1

        if record["kind"] != "takedown":
            continue
        gold_original, gold_infringing = gold_labels(text)
        if gold_infringing:
            covered += 1
            proposed = set(reading.infringing)
            inf_tp += len(proposed & gold_infringing)
            inf_fp += len(proposed & gold_original)
            inf_fn += len(gold_infringing - proposed)

        group = "form" if record["form_template"] else "free"
        totals[group] += 1
        if reading.kind != "takedown":
            continue
        for key in TAKEDOWN_ELEMENTS:
            element_counts[group][key] += reading.elements[key].present
        element_counts[group]["all six"] += all(
            reading.elements[key].present for key in TAKEDOWN_ELEMENTS
        )
        if group != "free":
            continue
        without_oath = _delete(text, [p for p in _pieces(text) if _SWORN.search(p)])
        if without_oath != text:
            after = read_text(without_oath)
            sworn["n"] += 1
            sworn["still present"] += (
                after.kind == "takedown" and after.elements["accuracy_statement"].present
            )
        for key in TAKEDOWN_ELEMENTS:
            if not reading.elements[key].present:
                continue
            if key == "infringing_material":
                ablated = _delete_urls(text, reading.infringing)
            else:
                ablated = _delete(text, reading.sources.get(key, []))
            after = read_text(ablated)
            ablation[key]["n"] += 1
            if after.kind == "takedown" and after.elements[key].present:
                ablation[key]["still present"] += 1
            others_lost = [
                other
                for other in TAKEDOWN_ELEMENTS
                if other != key
                and reading.elements[other].present
                and (after.kind != "takedown" or not after.elements[other].present)
            ]
            ablation[key]["other element lost"] += bool(others_lost)

    return {
        "records": len(records),
        "kind": {
            "confusion (rows: corpus, columns: reader)": {
                k: {c: confusion[k][c] for c in CORPUS_KINDS} for k in CORPUS_KINDS
            },
            "recall": {
                k: _ratio(confusion[k][k], sum(confusion[k].values())) for k in CORPUS_KINDS
            },
            "misread examples": {k: v for k, v in misread.items() if v},
        },
        "takedown elements detected": {
            group: {
                "n": totals[group],
                **{
                    key: _ratio(element_counts[group][key], totals[group])
                    for key in (*TAKEDOWN_ELEMENTS, "all six")
                },
            }
            for group in ("free", "form")
        },
        "counter notice elements detected": {
            "n": counter_elements["_n"],
            **{
                key: _ratio(counter_elements[key], counter_elements["_n"])
                for key in COUNTER_ELEMENTS
            },
        },
        "ablation, free-text takedowns (false present rate)": {
            key: {
                "n": ablation[key]["n"],
                "false present rate": _ratio(ablation[key]["still present"], ablation[key]["n"]),
                "another element also lost": _ratio(
                    ablation[key]["other element lost"], ablation[key]["n"]
                ),
            }
            for key in TAKEDOWN_ELEMENTS
        },
        "sworn statement deleted (every sentence under oath), accuracy still present": {
            "n": sworn["n"],
            "rate": _ratio(sworn["still present"], sworn["n"]),
        },
        "urls": {
            "precision": _ratio(url_tp, url_tp + url_fp),
            "recall": _ratio(url_tp, url_tp + url_fn),
            "true positives": url_tp,
            "false positives": url_fp,
            "false negatives": url_fn,
        },
        "infringing vs original (gold from the notices' own headings)": {
            "notices covered": covered,
            "precision": _ratio(inf_tp, inf_tp + inf_fp),
            "recall": _ratio(inf_tp, inf_tp + inf_fn),
            "true positives": inf_tp,
            "gold original proposed as infringing": inf_fp,
            "gold infringing missed": inf_fn,
        },
        "help/template links taken as infringing": {
            "links": sum(help_taken.values()),
            "notices": help_notices,
            "by host": dict(help_taken.most_common()),
        },
    }


DEVSET_KINDS = ("takedown", "counter_notice", "retraction", "other")


def _bare(url: str) -> str:
    """A URL compared without its scheme, a leading www., a trailing slash or case."""
    url = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    url = re.sub(r"^www\.", "", url, flags=re.IGNORECASE)
    return url.rstrip("/").lower()


def measure_nonnotices(folder: Path) -> dict:
    by_category: dict[str, Counter] = {}
    misread: dict[str, str] = {}
    with (folder / "labels.jsonl").open(encoding="utf-8") as labels:
        rows = [json.loads(line) for line in labels]
    for row in rows:
        reading = read_text((folder / row["file"]).read_text(encoding="utf-8"))
        counts = by_category.setdefault(row["category"], Counter())
        counts["n"] += 1
        counts[reading.kind] += 1
        if reading.kind != "other":
            misread[row["file"]] = reading.kind
    total = sum((c for c in by_category.values()), Counter())
    return {
        "texts": len(rows),
        "other recall": _ratio(total["other"], total["n"]),
        "other recall by category": {
            category: f"{c['other']}/{c['n']}" for category, c in sorted(by_category.items())
        },
        "read as": {kind: total[kind] for kind in DEVSET_KINDS},
        "misread": misread,
    }


def measure_notices(path: Path) -> dict:
    with path.open(encoding="utf-8") as notices:
        rows = [json.loads(line) for line in notices]
    kinds = {kind: Counter() for kind in DEVSET_KINDS}
    agree = pairs = false_present = labelled_absent = 0
    per_element = {key: Counter() for key in TAKEDOWN_ELEMENTS}
    inf_found = inf_total = work_taken = work_total = extra = 0
    misread: dict[str, str] = {}
    wrong_elements: dict[str, list[str]] = {}
    missed_urls: dict[str, int] = {}
    for row in rows:
        reading = read_text(row["text"])
        kinds[row["kind"]][reading.kind] += 1
        if reading.kind != row["kind"]:
            misread[row["id"]] = reading.kind
        proposed = {_bare(url) for url in reading.infringing}
        gold_infringing = {_bare(url) for url in row["infringing_urls"]}
        gold_work = {_bare(url) for url in row["work_urls"]}
        inf_total += len(gold_infringing)
        inf_found += len(gold_infringing & proposed)
        if gold_infringing - proposed:
            missed_urls[row["id"]] = len(gold_infringing - proposed)
        work_total += len(gold_work)
        work_taken += len(gold_work & proposed)
        extra += len(proposed - gold_infringing - gold_work)
        if row["kind"] != "takedown":
            continue
        for key in TAKEDOWN_ELEMENTS:
            said = reading.kind == "takedown" and reading.elements[key].present
            truth = row["elements"][key]
            pairs += 1
            agree += said == truth
            per_element[key]["agree"] += said == truth
            per_element[key]["n"] += 1
            labelled_absent += not truth
            false_present += said and not truth
            if said != truth:
                wrong_elements.setdefault(row["id"], []).append(
                    f"{key}: {'present' if said else 'absent'}"
                )
    return {
        "notices": len(rows),
        "kind recall": {
            kind: _ratio(kinds[kind][kind], sum(kinds[kind].values()))
            for kind in DEVSET_KINDS
            if sum(kinds[kind].values())
        },
        "misread": misread,
        "elements agreement": _ratio(agree, pairs),
        "elements agreement by element": {
            key: _ratio(c["agree"], c["n"]) for key, c in per_element.items()
        },
        "elements reported present, absent from the text": f"{false_present} of {labelled_absent}",
        "elements disagreeing": wrong_elements,
        "infringing URLs found": _ratio(inf_found, inf_total),
        "infringing URLs": f"{inf_found} of {inf_total}",
        "infringing URLs missed by notice": missed_urls,
        "work URLs taken as infringing": f"{work_taken} of {work_total}",
        "proposed as infringing, listed as neither": extra,
    }


def summary(result: dict) -> list[tuple[str, str, object]]:
    """(set, measure, figure): the issue's tables, one row each."""
    corpus, others, notices = result["corpus"], result["nonnotices"], result["notices"]
    free = corpus["takedown elements detected"]["free"]
    rows = [
        ("corpus", f"kind recall: {kind}", corpus["kind"]["recall"][kind]) for kind in CORPUS_KINDS
    ]
    rows += [
        (
            "corpus",
            "URLs found (precision / recall)",
            f"{corpus['urls']['precision']} / {corpus['urls']['recall']}",
        ),
        (
            "corpus",
            "free-text takedowns: work / material found",
            f"{free['copyrighted_work']} / {free['infringing_material']}",
        ),
        (
            "corpus",
            "sworn statement deleted, still reported present",
            corpus["sworn statement deleted (every sentence under oath), accuracy still present"][
                "rate"
            ],
        ),
        ("nonnotices", "kind recall: other", others["other recall"]),
    ]
    rows += [
        ("nonnotices", f"  {category}", figure)
        for category, figure in others["other recall by category"].items()
    ]
    rows += [
        ("notices", f"kind recall: {kind}", figure)
        for kind, figure in notices["kind recall"].items()
    ]
    rows += [
        ("notices", "six elements, agreement", notices["elements agreement"]),
        (
            "notices",
            "element reported present, absent",
            notices["elements reported present, absent from the text"],
        ),
        ("notices", "infringing URLs found", notices["infringing URLs found"]),
        ("notices", "work URLs taken as infringing", notices["work URLs taken as infringing"]),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "dev.jsonl"))
    parser.add_argument("--devsets", default=str(ROOT.parent / "shared" / "corpus" / "devsets"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "reader.json"))
    args = parser.parse_args()
    started = time.monotonic()
    with Path(args.corpus).open(encoding="utf-8") as corpus:
        records = [json.loads(line) for line in corpus]
    devsets = Path(args.devsets)
    result = {
        "corpus": measure_corpus(records),
        "nonnotices": measure_nonnotices(devsets / "nonnotices"),
        "notices": measure_notices(devsets / "notices.jsonl"),
        "seconds": round(time.monotonic() - started, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for name, measure, figure in summary(result):
        print(f"{name:<11} {measure:<50} {figure}")
    print(f"written to {out} ({result['seconds']} s)")


if __name__ == "__main__":
    main()
