from django.core.management.base import BaseCommand

from notices.letters import letters_sweep


class Command(BaseCommand):
    help = "Run the periodic sweeps once (what Celery beat triggers every minute)."

    def handle(self, *args, **options):
        queued = letters_sweep()
        self.stdout.write(f"letters queued: {queued}")
