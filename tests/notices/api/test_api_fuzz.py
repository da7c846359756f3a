"""Schemathesis against our own OpenAPI schema: any input, never a 500, always as promised."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from iija_compliance.wsgi import application
from notices.models import ApiSender, ApiToken

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Calling the WSGI app directly fires request_finished, which would close the test's
    # database connection mid-transaction; Django's test client does the same detour.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    sender = ApiSender.objects.create(name="Fuzzer", email="fuzz@example.org")
    return ApiToken.issue(sender)[1]


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=False)
def test_the_api_keeps_its_contract(case, token):
    # Every check but one: the statute's own rules (a signature that matches the sender's
    # name, a location that can be found, a telephone number that exists) are not JSON
    # Schema, so a notice can fit the schema and still be refused with a 400.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )
