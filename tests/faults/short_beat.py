"""The product's own beat schedule on a short clock: every entry of
iija_compliance/celery.py's beat_schedule, its task named as there, each interval divided
by SHORT_BEAT_SPEEDUP (60: a minute becomes a second), run by Celery's own `beat` command.
Run as `python -m tests.faults.short_beat --schedule FILE`."""

import os
import sys

from iija_compliance.celery import app

speedup = float(os.environ.get("SHORT_BEAT_SPEEDUP", "60"))
app.conf.beat_schedule = {
    name: {**entry, "schedule": entry["schedule"] / speedup}
    for name, entry in app.conf.beat_schedule.items()
}
sys.exit(app.start(["beat", "--loglevel=INFO", *sys.argv[1:]]))
