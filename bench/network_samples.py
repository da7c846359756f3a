"""Measure the network-notice reader (notices/network/) on the real samples and its speed.

1. The samples in ../shared/acns-samples/ (read at run time only, never copied into the
   project): for each, the events it holds are taken by a plain regex over its decoded
   text (each ACNS `<Source>`'s address, port and time; a XARF report's source fields),
   independently of the reader, and compared with what the reader gives: the same set of
   (address, port, time to the second), each once.
2. Speed: generated ACNS mails in four shapes (inline between markers, PGP dash-escaped,
   quoted-printable, XML attachment), mails per second through parse + read and read
   alone, against lxml parsing the same XML alone in the same run.

Run: .venv/bin/python bench/network_samples.py [--samples DIR] [--mails 2000 (per shape)]
Prints the figures and writes them to var/bench/network_samples.json.
"""

import argparse
import email
import email.policy
import json
import re
import sys
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from notices.mailbox.reader.message import parse_message  # noqa: E402
from notices.network.reading import (  # noqa: E402
    NoticeRefused,
    read_network_notice,
    read_network_payload,
)

SOURCE = re.compile(r"<Source>(.*?)</Source>", re.DOTALL)
SECOND = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})")


def _tag(name: str, text: str) -> str:
    match = re.search(rf"<{name}>\s*([^<]*?)\s*</{name}>", text)
    return match.group(1) if match else ""


def _second(written: str) -> str:
    match = SECOND.search(written or "")
    return f"{match.group(1)}T{match.group(2)}" if match else ""


def expected_eml(raw: bytes) -> set[tuple]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    texts = []
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode("utf-8", errors="replace"))
    found = set()
    for source in SOURCE.findall("\n".join(texts)):
        port = _tag("Port", source)
        found.add(
            (
                _tag("IP_Address", source),
                int(port) if port else None,
                _second(_tag("TimeStamp", source)),
            )
        )
    return found


def expected_json(raw: bytes) -> set[tuple]:
    report = json.loads(raw)
    if "xarf_version" in report:
        return {
            (report["source_identifier"], report.get("source_port"), _second(report["timestamp"]))
        }
    body = report["Report"]
    return {(body["SourceIp"], body.get("SourcePort"), _second(body.get("Date", "")))}


def read(path: Path):
    raw = path.read_bytes()
    if path.suffix == ".json":
        return expected_json(raw), read_network_payload(raw, "application/json")
    return expected_eml(raw), read_network_notice(parse_message(raw))


def samples_table(folder: Path) -> list[dict]:
    rows = []
    for path in sorted([*folder.glob("*.eml"), *folder.glob("*/*.json")]):
        variant = re.sub(r"^\d+-", "", path.stem)
        try:
            wanted, reading = read(path)
        except NoticeRefused as error:
            rows.append({"sample": variant, "read": False, "why": f"refused: {error}"[:120]})
            continue
        got = [(e["ip"], e["port"], e["timestamp"][:19]) for e in reading.events]
        rows.append(
            {
                "sample": variant,
                "expected": len(wanted),
                "events": len(got),
                "read": set(got) == wanted and len(got) == len(wanted),
                "format": reading.format,
                "kind": reading.kind,
                "flags": list(reading.flags),
                "problems": len(reading.problems),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------
# Speed: generated mails (documentation addresses, example domains).


def _xml(number: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Infringement xmlns="http://www.acns.net/ACNS">'
        f"<Case><ID>B-{number}</ID><Status>Open</Status></Case>"
        "<Complainant><Entity>Example Pictures LLC</Entity>"
        "<Email>notices@rights.example</Email></Complainant>"
        f"<Source><TimeStamp>2026-03-02T10:{number // 60 % 60:02d}:{number % 60:02d}Z"
        f"</TimeStamp><IP_Address>198.51.100.{number % 250 + 1}</IP_Address>"
        f"<Port>{1024 + number % 60000}</Port><Type>BitTorrent</Type></Source>"
        "<Content><Item><Title>An Example Film</Title><FileName>An.Example.Film.mkv"
        '</FileName><FileSize>1048576</FileSize><Hash Type="SHA1">'
        "0123456789abcdef0123456789abcdef01234567</Hash></Item></Content></Infringement>\n"
    )


SHAPES = ("inline", "pgp_dash_escaped", "quoted_printable", "xml_attachment")


def _mail(number: int, shape: str) -> bytes:
    xml = _xml(number)
    letter = (
        "Dear Sir or Madam,\n\nAn address on your network shared an infringing copy.\n"
        f"Infringer's IP Address: 198.51.100.{number % 250 + 1}\n\n"
    )
    block = f"---Start ACNS XML\n{xml}---End ACNS XML\n"
    message = EmailMessage()
    message["From"] = "Notices <notices@rights.example>"
    message["Subject"] = f"Notice of Claimed Infringement B-{number}"
    message["Message-ID"] = f"<b-{number}@rights.example>"
    if shape == "inline":
        message.set_content(letter + block)
    elif shape == "pgp_dash_escaped":
        signed = block.replace("---", "- ---")
        message.set_content(f"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{letter}{signed}")
    elif shape == "quoted_printable":
        message.set_content(letter + block, cte="quoted-printable")
    else:
        message.set_content(letter + "The notice is attached.\n")
        message.add_attachment(
            xml.encode(), maintype="application", subtype="xml", filename=f"B-{number}.xml"
        )
    return message.as_bytes()


def speed(count: int, shape: str) -> dict:
    mails = [_mail(number, shape) for number in range(count)]
    xmls = [_xml(number).split("\n", 1)[1].encode() for number in range(count)]
    started = time.perf_counter()
    messages = [parse_message(raw) for raw in mails]
    parsed = time.perf_counter()
    readings = [read_network_notice(message) for message in messages]
    done = time.perf_counter()
    assert all(len(reading.events) == 1 for reading in readings)
    for data in xmls:
        etree.fromstring(data)
    baseline = time.perf_counter() - done
    return {
        "shape": shape,
        "mails": count,
        "parse_and_read_per_s": round(count / (done - started)),
        "read_only_per_s": round(count / (done - parsed)),
        "lxml_xml_only_per_s": round(count / baseline),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", default=str(ROOT.parent / "shared" / "acns-samples"))
    parser.add_argument("--mails", type=int, default=2000, help="per shape")
    options = parser.parse_args()
    rows = samples_table(Path(options.samples))
    print(f"{'sample':62} {'exp':>3} {'got':>3} {'read':>5}  format     kind      flags")
    for row in rows:
        if "why" in row:
            print(f"{row['sample'][:62]:62} {'':>3} {'':>3} {'no':>5}  {row['why']}")
            continue
        print(
            f"{row['sample'][:62]:62} {row['expected']:>3} {row['events']:>3} "
            f"{'yes' if row['read'] else 'NO':>5}  {row['format']:10} {row['kind']:9} "
            f"{','.join(row['flags'])}"
        )
    print(f"read to the expected events: {sum(r['read'] for r in rows)} of {len(rows)}")
    figures = [speed(options.mails, shape) for shape in SHAPES]
    print(
        f"\n{'ACNS mails/s':18} {'mails':>6} {'parse+read':>11} {'read alone':>11} {'lxml XML':>9}"
    )
    for row in figures:
        print(
            f"{row['shape']:18} {row['mails']:>6,} {row['parse_and_read_per_s']:>11,} "
            f"{row['read_only_per_s']:>11,} {row['lxml_xml_only_per_s']:>9,}"
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "network_samples.json").write_text(
        json.dumps({"samples": rows, "speed": figures}, indent=2)
    )


if __name__ == "__main__":
    main()
