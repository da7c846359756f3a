"""Queue work by its task's registered name.

The code that queues work never imports the tasks module that runs it (the tasks import
that code): so nothing imports a tasks module, and there is no import cycle.
"""

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args) -> None:
    """Publish the task named `task_name` (e.g. "notices.tasks.letter_send_task") with `args`.

    Called after commit, on a row already stored. A broker that does not answer must not
    fail the request: the publish gives up after CELERY_BROKER_CONNECTION_TIMEOUT and
    CELERY_TASK_PUBLISH_RETRY_POLICY (send_task applies both, as delay() does, which calls
    it), and the row's sweep queues the work again once the broker is back.
    """
    try:
        current_app.send_task(task_name, args=args)
    except Exception:
        logger.warning(
            "Broker unavailable; %s for %s waits for the next sweep",
            task_name,
            ", ".join(map(str, args)),
        )
