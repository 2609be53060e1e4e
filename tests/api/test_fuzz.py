"""Schema-driven fuzzing of the whole published API (issue 7 items 5 and 6).

Every operation of `verksam.api.v1.api` is called in-process (WSGI) with inputs schemathesis derives
from the OpenAPI document: valid ones, and invalid ones (wrong types, out-of-range numbers, missing
fields). The test fails on any 5xx, on an answer whose status, content type or body the document does
not describe, and on invalid input that is accepted. Each example runs in a savepoint that is rolled
back, so what one example writes never changes the next. The number of examples per operation is
bounded and the run is derandomised: the same inputs every run, on SQLite and on PostgreSQL."""

import datetime as dt
from collections import Counter, defaultdict

import httpx
import pytest
import schemathesis
import schemathesis.checks
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from verksam.accounts.services import api_token_create
from verksam.api.v1 import api
from verksam.core import timeutil
from verksam.integrations.payment.fake.app import FakePaymentProvider
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import membership_of
from verksam.timecodes.services import timecodes_install_defaults
from verksam.timereporting.tests.factories import TimeEntryFactory

# Examples per operation and mode: about a minute for the whole API on this 2-core machine.
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 5}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
]


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, sharing the test's database connection and transaction (as the test
    client does: the handler must not close the connection at the end of each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def payments(settings):
    """The fake payment provider in-process (as the billing tests mount it): a top-up or a webhook
    reaches a provider that answers, so a 502 would be a real defect."""
    fake = FakePaymentProvider(api_key="test-key")
    settings.PAYMENT_PROVIDER_URL = "http://payments.test"
    settings.PAYMENT_PROVIDER_API_KEY = "test-key"
    settings.PAYMENT_PROVIDER_TRANSPORT = httpx.WSGITransport(app=fake)
    settings.PAYMENT_PROVIDER_CLASS = "verksam.integrations.payment.client.HttpPaymentProvider"
    return fake


@pytest.fixture
def world(tenant, owner, employee, attestant, partner_full, payments):
    """A small company as the demo has it: default codes, a project, some time reported."""
    timecodes_install_defaults(tenant_id=tenant.pk)
    member = membership_of(tenant, owner)
    with tenant_scope(tenant.pk):
        project = ProjectFactory(tenant=tenant)
        for offset in range(3):
            TimeEntryFactory(
                tenant=tenant,
                membership=member,
                project=project,
                date=timeutil.today() - dt.timedelta(offset),
            )
    _token, secret = api_token_create(user=owner, name="fuzz")
    return {"tenant_id": tenant.pk, "token": secret}


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(inner) for inner in exc.exceptions) + f"\n{exc}"
    return f"{type(exc).__name__}: {exc}"


def _operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.django_db
def test_every_operation_survives_fuzzing_and_answers_as_documented(world, wsgi_app):
    failures = []
    seen: dict[str, Counter] = defaultdict(Counter)
    headers = {"Authorization": f"Bearer {world['token']}"}
    for operation in _operations():
        path_parameters = {"tenant_id": world["tenant_id"]} if "{tenant_id}" in operation.path else {}
        for mode, count in EXAMPLES.items():

            @settings(
                max_examples=count,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
            def run(case):
                with transaction.atomic():
                    try:
                        response = case.call(app=wsgi_app, headers=headers)
                        seen[case.operation.label][response.status_code] += 1
                        case.validate_response(response, checks=CHECKS, headers=headers)
                    finally:
                        transaction.set_rollback(True)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
                failures.append(f"{operation.label} [{mode}]: {_describe(exc)}")
    print("\n".join(f"{label}: {dict(counts)}" for label, counts in seen.items()))
    assert not failures, "\n\n".join(failures)
