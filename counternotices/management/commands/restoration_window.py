import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from iija_compliance.lib.business_days import AGENT_TIME_ZONE, local_date, restoration_window


class Command(BaseCommand):
    help = (
        "Print the § 512(g)(2)(C) restoration window for a counter notice received at the "
        "given time (ISO 8601; New York time unless an offset is given), as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("received", help="e.g. 2026-12-18T15:30 or 2026-12-18T20:30+00:00")

    def handle(self, *args, received, **options):
        try:
            moment = datetime.fromisoformat(received)
        except ValueError as exc:
            raise CommandError(f"Not an ISO 8601 date and time: {received!r}") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=AGENT_TIME_ZONE)
        not_before, not_after = restoration_window(moment)
        result = {
            "received_at": moment.isoformat(),
            "received_on": local_date(moment).isoformat(),
            "time_zone": "America/New_York",
            "restore_not_before": not_before.isoformat(),
            "restore_not_after": not_after.isoformat(),
        }
        self.stdout.write(json.dumps(result, indent=2))
