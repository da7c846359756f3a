import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.mailbox.intake import batches, intake_reports, mbox_messages


class Command(BaseCommand):
    help = (
        "Take in .eml or mbox files through the mailbox's own pipeline, and print one JSON "
        "line per message, in input order: message_id, kind, format, reference, subscriber, "
        "outcome (case, duplicate, not_ours, too_old, routed, other, refused)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths, **options):
        files = [Path(path) for path in paths]
        missing = [str(file) for file in files if not file.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        for batch in batches(_every_message(files)):
            for report in intake_reports(batch):
                self.stdout.write(json.dumps(report, ensure_ascii=False))


def _every_message(files: list[Path]):
    for file in files:
        yield from messages_in(file.read_bytes(), file.suffix.lower())


def messages_in(data: bytes, suffix: str):
    """An .eml file is one message; an mbox (it starts with a "From " line) many."""
    if suffix != ".eml" and data.startswith(b"From "):
        yield from mbox_messages(data)
    else:
        yield data
