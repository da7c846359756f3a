import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.mailbox.intake import intake_report, mbox_messages


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
        for file in files:
            for raw in messages_in(file.read_bytes(), file.suffix.lower()):
                self.stdout.write(json.dumps(intake_report(raw), ensure_ascii=False))


def messages_in(data: bytes, suffix: str):
    """An .eml file is one message; an mbox (it starts with a "From " line) many."""
    if suffix != ".eml" and data.startswith(b"From "):
        yield from mbox_messages(data)
    else:
        yield data
