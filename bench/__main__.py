"""`make bench`: speed figures of the foundation, on a throw-away test database.

Prints the SQL query count of each main page (with 30 users in the tenant), request rates of the
API, and the time-reporting figures (bench/timereporting.py). Runs on SQLite, and on PostgreSQL too
when TEST_DATABASE_URL points at one. Targets live here, never in timed unit tests (DESIGN.md "Tests").
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build_data():
    from verksam.accounts.services import api_token_create
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory, UserFactory

    tenant = TenantFactory(slug="bench")
    owner = UserFactory(email="owner@bench.test")
    MembershipFactory(tenant=tenant, user=owner, licence=Licence.TOTAL)
    for i in range(30):
        MembershipFactory(tenant=tenant, user=UserFactory(email=f"u{i}@bench.test"), licence=Licence.LIGHT)
    _t, secret = api_token_create(user=owner, name="bench")
    return tenant, owner, secret


def measure_pages(client: Client, slug: str) -> list[tuple[str, int, int]]:
    rows = []
    for path in [
        "/",
        f"/t/{slug}/",
        f"/t/{slug}/users/",
        f"/t/{slug}/partners/",
        f"/t/{slug}/audit/",
        f"/t/{slug}/balances/",
        f"/t/{slug}/pricing/",
    ]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, follow=False)
        rows.append((path, response.status_code, len(ctx.captured_queries)))
    return rows


def rate(label: str, func, seconds: float = 3.0) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        func()
        n += 1
    per_s = n / (time.perf_counter() - start)
    print(f"  {label:<55} {per_s:8.1f} /s  ({n} calls)")
    return per_s


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"== Verksam bench on {connection.vendor}")
        tenant, owner, secret = build_data()
        client = Client()
        client.force_login(owner)
        print("Page query counts (tenant with 31 users):")
        for path, status, queries in measure_pages(client, tenant.slug):
            print(f"  {path:<30} HTTP {status}  {queries:3d} queries")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        print("Throughput (single process, Django test client):")
        rate(
            "GET /api/v1/tenants/{id}/members (token auth)",
            lambda: api.get(f"/api/v1/tenants/{tenant.pk}/members"),
        )
        rate("GET /t/<slug>/users/ (session)", lambda: client.get(f"/t/{tenant.slug}/users/"))
        try:
            from verksam.billing import services as billing
            from verksam.core.bounds import MAX_TOPUP_QUANTITY
            from verksam.tenancy.access import resolve
            from verksam.tenancy.scope import tenant_scope

            with tenant_scope(tenant.pk):
                actor = resolve(owner, tenant)
                # the largest top-up the service accepts (core.bounds); a few seconds of consumes
                # of 1 take a few thousand of it
                billing.balance_credit(actor=actor, kind="SMS", amount=MAX_TOPUP_QUANTITY, reason="bench")
                rate(
                    "balance_consume(SMS, 1)",
                    lambda: billing.balance_consume(actor=actor, kind="SMS", amount=1, reason="bench"),
                )
        except (ImportError, AttributeError, TypeError) as exc:
            print(f"  balance_consume: skipped ({exc})")
        from bench import timereporting

        timereporting.run(tenant, owner)
        from bench import payroll_files

        payroll_files.run()
        from bench import card_matching

        card_matching.run(tenant, owner)
        from bench import sie_export

        sie_export.run(tenant, owner)
        from bench import payroll_basis

        payroll_basis.run()
        from bench import portal

        portal.run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
