"""Queue work by its task's registered name.

The code that queues work never imports the tasks module that runs it (the tasks import
that code): so nothing imports a tasks module, and there is no import cycle.
"""

import logging
import queue
import threading

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


# Publishes waiting for the background publisher. Past this many (the broker slow or away
# for long), more are not kept: their rows wait for the sweep, as after a lost message.
PUBLISH_BACKLOG = 10_000
_backlog: queue.Queue = queue.Queue(maxsize=PUBLISH_BACKLOG)
_publisher: threading.Thread | None = None
_publisher_lock = threading.Lock()


def enqueue_soon(task_name: str, *args) -> None:
    """`enqueue` from a thread of this process, so that the caller (a request, after
    commit) does not wait for the broker. The work's row is already stored: a publish that
    never happens (the process ends first) is made good by the row's sweep."""
    _start_publisher()
    try:
        _backlog.put_nowait((task_name, args))
    except queue.Full:
        logger.warning("Publish backlog full; %s waits for the next sweep", task_name)


def _start_publisher() -> None:
    global _publisher
    # A forked process (a gunicorn or Celery worker) has no thread of its parent's.
    if _publisher is None or not _publisher.is_alive():
        with _publisher_lock:
            if _publisher is None or not _publisher.is_alive():
                _publisher = threading.Thread(target=_publish, name="publisher", daemon=True)
                _publisher.start()


def _publish() -> None:
    while True:
        task_name, args = _backlog.get()
        enqueue(task_name, *args)
