"""Two workers at once, for real: a thread with its own database connection, and a wait
until one connection is blocked by another's lock."""

import threading
import time

from django.db import connection, connections


def in_thread(target) -> threading.Thread:
    """Run `target` in a thread started now (with its own connection, closed at its end)."""

    def run():
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def waiting_on_a_lock(timeout: float = 20.0) -> bool:
    """Whether another connection to this test's database waits on a lock of another."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
