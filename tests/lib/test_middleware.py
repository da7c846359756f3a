from django.db import OperationalError
from django.test import RequestFactory

from iija_compliance.lib.middleware import DatabaseUnavailableMiddleware
from notices.models import Notice


def test_a_database_error_with_the_server_up_stays_a_server_error(db):
    """A deadlock or a bug must keep its traceback, not pass for an outage."""
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/notices/")
    Notice.objects.exists()  # the connection is open and answering
    assert middleware.process_exception(request, OperationalError("deadlock detected")) is None
