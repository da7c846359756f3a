from django.core.management.base import BaseCommand

from iija_compliance.celery import app


class Command(BaseCommand):
    help = (
        "Run the periodic sweeps once, now: each entry of Celery beat's schedule, by its "
        "task's registered name, as beat runs it."
    )

    def handle(self, *args, **options):
        app.loader.import_default_modules()  # the tasks modules, as a worker imports them
        for entry, scheduled in app.conf.beat_schedule.items():
            done = app.tasks[scheduled["task"]].apply().get()  # raises what the task raised
            counts = ", ".join(f"{what}: {count}" for what, count in done.items())
            self.stdout.write(f"{entry}: {counts}")
