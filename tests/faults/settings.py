"""Settings of the processes a fault test starts (web, worker, beat): the test settings,
on a Redis server of the test's own that the test may stop, start and flush."""

import os

from iija_compliance.settings_test import *  # noqa: F403

_REDIS = os.environ["FAULT_REDIS_URL"]
CELERY_BROKER_URL = f"{_REDIS}/0"
# Celery prefers this variable to the setting, and the test settings have set it.
os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
CACHES = {"default": redis_cache(f"{_REDIS}/1")}  # noqa: F405
if "FAULT_LETTER_RETRY_BACKOFF" in os.environ:
    # Seconds instead of minutes, so a test can watch several retries.
    LETTER_RETRY_BACKOFF = [int(s) for s in os.environ["FAULT_LETTER_RETRY_BACKOFF"].split(",")]
