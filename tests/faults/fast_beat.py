"""Celery beat on a fast clock: the letters sweep every half second, as if each tick came
FAST_BEAT_AHEAD_SECONDS later (by default, after the sweep's grace period).
Run as `python -m tests.faults.fast_beat`."""

import os
import time
from datetime import timedelta

import django

django.setup()

from django.utils import timezone  # noqa: E402

from notices.outbox.letters import QUEUE_GRACE, letters_sweep  # noqa: E402

ahead = timedelta(seconds=float(os.environ.get("FAST_BEAT_AHEAD_SECONDS", 0))) or QUEUE_GRACE
while True:
    letters_sweep(now=timezone.now() + ahead)
    time.sleep(0.5)
