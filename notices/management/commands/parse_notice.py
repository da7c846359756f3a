import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.mailbox.reader import read_message, read_text
from notices.mailbox.reader.message import parse_message


class Command(BaseCommand):
    help = (
        "Read a notice from a file (plain text, Markdown or .eml) and print what the reader "
        "finds as JSON: kind, elements with evidence, urls, infringing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        data = file.read_bytes()
        if file.suffix.lower() == ".eml":
            reading = read_message(parse_message(data))
        else:
            reading = read_text(data.decode("utf-8", errors="replace"))
        self.stdout.write(json.dumps(reading.as_json(), indent=2, ensure_ascii=False))
