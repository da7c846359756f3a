"""Settings for the gunicorn that the intake benchmarks run: the test settings (PostgreSQL
and Redis), the product's URLs plus a baseline endpoint, and the rate limits lifted.

Never used by the product or the tests.
"""

from iija_compliance.settings_test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Lifted, not removed: the limiters still run, so their cache round trips are counted. Per
# second, so that DRF's throttle history (a list of timestamps kept in the cache) stays as
# short as it would be under the product's own rate.
NOTICE_FORM_RATE = NOTICE_FORM_ATTEMPT_RATE = "1000000/s"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000000/s"}}  # noqa: F405

# Letters are still published to Redis after commit, but to a queue of their own that no
# worker reads, so the benchmark can delete what it queued without touching anyone else's.
CELERY_TASK_DEFAULT_QUEUE = "bench-letters"
