"""Reads never write (issue 7 item 13): opening any page or GET endpoint, as the owner of a company
that was just created, creates no row in any table and no audit event. A company's defaults are
installed when it is created, not by the first visitor."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from verksam.api.v1 import api
from verksam.billing.services import tenant_signup
from verksam.tenancy.models import Membership, Variant
from verksam.tenancy.scope import dangerously_system_scope, tenant_scope
from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.timecodes.models import AbsenceType, Activity, TimeCode, TimeSettings

# Routes that are not the application's pages: Django's admin has its own login and is not a
# tenant page; static files are not views.
SKIP_PREFIXES = ("admin/", "static/", "api/")
MISSING = 987654321  # an id no row has: the page answers 404, which must not write either


def _row_counts() -> dict[str, int]:
    with dangerously_system_scope("test: count every table's rows"):
        return {
            m._meta.label: m._base_manager.count()
            for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy
        }


def _web_routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _web_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern) and not route.startswith(SKIP_PREFIXES):
            yield route


def _fill(route: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group("name")
        return values.get(name, str(MISSING))

    route = re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", value, route)
    return "/" + route.lstrip("^").rstrip("$")


@pytest.fixture
def company(db):
    """A company created the way every company is created (sign-up), with its owner."""
    owner = UserFactory(email="ny@foretag.se", name="Nora Ny")
    tenant = tenant_signup(name="Nytt Företag AB", orgnr="556016-0680", owner=owner, variant=Variant.PRO)
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=owner)
    return tenant, owner, membership


def test_a_new_company_has_its_defaults_from_the_start(company):
    tenant, _owner, _membership = company
    with tenant_scope(tenant.pk):
        assert TimeSettings.objects.filter(tenant=tenant).exists()
        assert TimeCode.objects.filter(is_default=True).count() == 1
        assert AbsenceType.objects.exists() and Activity.objects.exists()


def test_no_page_writes(company):
    tenant, owner, membership = company
    client = login_client(owner)
    today = timezone.localdate()
    values = {
        "slug": tenant.slug,
        "membership_id": str(membership.pk),
        "member_id": str(membership.pk),
        "day": today.isoformat(),
        "uidb64": "MQ",
        "token": "set-password",
    }
    routes = sorted(set(_web_routes()))
    assert any("/time/" in r for r in routes)
    before = _row_counts()
    answers = {}
    for route in routes:
        url = _fill(route, values)
        answers[url] = client.get(url).status_code
    assert _row_counts() == before, answers
    assert all(code < 500 for code in answers.values()), answers


def test_no_get_endpoint_writes(company):
    tenant, owner, membership = company
    client = api_client(owner)
    today = timezone.localdate()
    query = f"from={(today - dt.timedelta(days=7)).isoformat()}&to={today.isoformat()}"
    values = {"tenant_id": str(tenant.pk), "member_id": str(membership.pk)}
    paths = [p for p, ops in api.get_openapi_schema()["paths"].items() if "get" in ops]
    assert any(p.endswith("/time-codes") for p in paths)
    before = _row_counts()
    answers = {}
    for path in paths:
        url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), str(MISSING)), path) + "?" + query
        answers[url] = client.get(url).status_code
    assert _row_counts() == before, answers
    assert all(code < 500 for code in answers.values()), answers
