from django.core.management.base import BaseCommand

from counternotices.services import counter_notices_sweep
from notices.outbox.letters import letters_sweep
from notices.records.exports import exports_expire, exports_sweep
from notices.records.retention import retention_sweep


class Command(BaseCommand):
    help = "Run the periodic sweeps once (what Celery beat triggers)."

    def handle(self, *args, **options):
        clock = counter_notices_sweep()
        self.stdout.write(
            f"restoration windows opened: {clock['opened']}, escalated: {clock['escalated']}"
        )
        self.stdout.write(f"letters queued: {letters_sweep()}")
        self.stdout.write(f"exports queued: {exports_sweep()}")
        self.stdout.write(f"export files deleted: {exports_expire()}")
        self.stdout.write(f"cases and caseless messages anonymized: {retention_sweep()}")
