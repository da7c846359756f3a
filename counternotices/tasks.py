from celery import shared_task

from . import services


@shared_task
def counter_notices_sweep_task() -> None:
    services.counter_notices_sweep()
