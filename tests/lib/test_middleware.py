import psycopg
import pytest
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory

from iija_compliance.lib.middleware import DatabaseUnavailableMiddleware
from notices.models import Notice


def test_a_database_error_with_the_server_up_stays_a_server_error(db):
    """A deadlock or a bug must keep its traceback, not pass for an outage."""
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/notices/")
    Notice.objects.exists()  # the connection is open and answering
    assert middleware.process_exception(request, OperationalError("deadlock detected")) is None


def _terminate_own_connection() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_inside_a_transaction_is_a_503():
    """The server ended the connection mid-request (a restart, a failover): the answer is
    503 with Retry-After, even though the lost connection still looks open to a probe."""
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/notices/")
    with pytest.raises(OperationalError) as lost, transaction.atomic():
        Notice.objects.exists()
        _terminate_own_connection()
        Notice.objects.exists()
    response = middleware.process_exception(request, lost.value)
    connection.close()
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)
def test_an_error_the_server_reports_on_a_live_connection_stays_a_server_error():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/notices/")
    with (
        pytest.raises(OperationalError) as canceled,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 1")
        cursor.execute("SELECT pg_sleep(1)")
    assert canceled.value.__cause__.sqlstate == "57014"  # query_canceled
    assert middleware.process_exception(request, canceled.value) is None
