"""Celery tasks: thin, ids only; the work is in `letters`."""

from celery import shared_task

from .outbox import letters


@shared_task
def letter_send_task(letter_id: int) -> None:
    letters.letter_send(letter_id=letter_id)


@shared_task
def letters_sweep_task() -> None:
    letters.letters_sweep()


@shared_task
def export_run_task(job_id: int) -> None:
    from .records import exports

    exports.export_run(job_id=job_id)


@shared_task
def records_sweep_task() -> None:
    from .records import exports, retention

    exports.exports_sweep()
    exports.exports_expire()
    retention.retention_sweep()


@shared_task
def mailbox_poll_task() -> None:
    from .mailbox import imap

    imap.mailbox_poll()
