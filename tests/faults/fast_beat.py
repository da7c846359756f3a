"""Celery beat on a fast clock: the letters sweep every half second, as if each tick came
after the sweep's grace period. Run as `python -m tests.faults.fast_beat`."""

import time

import django

django.setup()

from django.utils import timezone  # noqa: E402

from notices.letters import QUEUE_GRACE, letters_sweep  # noqa: E402

while True:
    letters_sweep(now=timezone.now() + QUEUE_GRACE)
    time.sleep(0.5)
