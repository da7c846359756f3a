from django.core.management.base import BaseCommand

from counternotices.services import counter_notices_sweep
from notices.letters import letters_sweep


class Command(BaseCommand):
    help = "Run the periodic sweeps once (what Celery beat triggers every minute)."

    def handle(self, *args, **options):
        clock = counter_notices_sweep()
        self.stdout.write(
            f"restoration windows opened: {clock['opened']}, escalated: {clock['escalated']}"
        )
        self.stdout.write(f"letters queued: {letters_sweep()}")
