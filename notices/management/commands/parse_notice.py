import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.mailbox.reader import read_message, read_text
from notices.mailbox.reader.message import parse_message
from notices.network.reading import NoticeRefused, read_network_notice, read_network_payload

PAYLOAD_TYPES = {".xml": "application/xml", ".json": "application/json"}


class Command(BaseCommand):
    help = (
        "Read a notice from a file (plain text, Markdown or .eml; ACNS .xml or XARF .json) "
        "and print what the reader finds as JSON: kind, format, network_events, elements "
        "with evidence, urls, infringing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        data = file.read_bytes()
        suffix = file.suffix.lower()
        network, refused = None, ""
        if suffix == ".eml":
            message = parse_message(data)
            reading = read_message(message)
            try:
                network = read_network_notice(message)
            except NoticeRefused as error:
                refused = str(error)
        else:
            reading = read_text(data.decode("utf-8", errors="replace"))
            if suffix in PAYLOAD_TYPES:
                try:
                    network = read_network_payload(data, PAYLOAD_TYPES[suffix])
                except NoticeRefused as error:
                    refused = str(error)
        self.stdout.write(
            json.dumps(_output(reading, network, refused), indent=2, ensure_ascii=False)
        )


def _output(reading, network, refused: str) -> dict:
    """The letter's reading with the network notice's: a network notice's kind is its own
    (a notice of claimed infringement is a takedown whatever its words)."""
    output = reading.as_json()
    output["format"] = network.format if network else "text"
    output["network_events"] = list(network.events) if network else []
    output["network_flags"] = list(network.flags) if network else []
    if network:
        output["kind"] = network.kind
        output["not_read"] += list(network.problems)
    if refused:
        output["not_read"].append(f"The network notice was refused: {refused}")
    return output
