"""Celery tasks: thin, ids only; the work is in the modules they call.

Nothing imports this module: the work queues a task by its name
(iija_compliance.lib.dispatch), and beat and `manage.py run_sweeps` run them by name. The
sweeps return what they did, which `run_sweeps` prints.
"""

from celery import shared_task

from .core import hosted, policy
from .mailbox import imap
from .network import digest
from .outbox import letters
from .records import exports, retention


@shared_task
def letter_send_task(letter_id: int) -> None:
    letters.letter_send(letter_id=letter_id)


@shared_task
def letters_sweep_task() -> dict[str, int]:
    return {"queued": letters.letters_sweep()}


@shared_task
def export_run_task(job_id: int) -> None:
    exports.export_run(job_id=job_id)


@shared_task
def records_sweep_task() -> dict[str, int]:
    return {
        "exports queued": exports.exports_sweep(),
        "export files deleted": exports.exports_expire(),
        "cases, caseless messages and network events anonymized": retention.retention_sweep(),
    }


@shared_task
def mailbox_poll_task() -> dict[str, int]:
    return {"messages taken in": imap.mailbox_poll()}


@shared_task
def network_digests_sweep_task() -> dict[str, int]:
    return {"transit digests written": digest.digests_sweep()}


@shared_task
def hosted_removals_sweep_task() -> dict[str, int]:
    return hosted.hosted_removals_sweep()


@shared_task
def policy_sweep_task() -> dict[str, int]:
    return policy.policy_sweep()
