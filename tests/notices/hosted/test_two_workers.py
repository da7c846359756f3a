"""Two workers taking in reports for the same hosted server at the same moment: the
second waits for the first's request and joins it, so the customer gets one letter."""

import threading

import pytest
from django.db import transaction

from notices.models import HostedRemoval, Letter, NetworkCase
from tests.concurrency import in_thread, waiting_on_a_lock

from .conftest import RECEIVED, report

pytestmark = pytest.mark.django_db(transaction=True)

AT = "2026-03-02T10:15:30+00:00"


def test_a_request_opened_by_another_worker_meanwhile_is_joined(hosting):
    # The customer's network case is open already: the workers meet only on the request.
    NetworkCase.objects.create(subscriber=hosting, opened_at=RECEIVED)
    opened, release = threading.Event(), threading.Event()

    def first_worker():
        with transaction.atomic():
            report(("203.0.113.7", 6881, AT), case_id="RW-1")
            opened.set()
            release.wait(timeout=30)

    first = in_thread(first_worker)
    assert opened.wait(timeout=30)
    second = in_thread(lambda: report(("203.0.113.7", 6882, AT), case_id="RW-2"))
    assert waiting_on_a_lock(), "the second worker should wait for the first's request"
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    removal = HostedRemoval.objects.get()
    assert sorted(removal.events.values_list("port", flat=True)) == [6881, 6882]
    (letter,) = Letter.objects.filter(kind="hosted_removal")
    assert removal.letter == letter and "port 6881" in letter.body_text
