import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.network.plan import COLUMNS, PlanRefused, import_plan


class Command(BaseCommand):
    help = (
        "Import the address plan from CSV (columns: "
        + ", ".join(COLUMNS)
        + ") and print a JSON summary. A file with any bad line is refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_plan(file.read_bytes())
        except PlanRefused as refused:
            self.stdout.write(json.dumps(refused.as_json()))
            for number, problems in sorted(refused.bad_lines.items()):
                for problem in problems:
                    self.stderr.write(f"line {number}: {problem}")
            raise CommandError(
                f"{len(refused.bad_lines)} bad line(s): nothing was imported."
            ) from None
        self.stdout.write(json.dumps(result.as_json()))
