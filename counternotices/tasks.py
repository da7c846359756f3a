from celery import shared_task

from . import hosted, services


@shared_task
def counter_notices_sweep_task() -> dict[str, int]:
    clock = services.counter_notices_sweep()
    return {
        "restoration windows opened": clock["opened"],
        "escalated": clock["escalated"],
        "hosted material the customer may restore": hosted.hosted_counters_sweep(),
    }
