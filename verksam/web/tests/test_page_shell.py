"""What every session-authenticated tenant page costs before its own work (issue 13, docs/performance.md):
the session, its user, the member's row with its tenant (and, for a full page, the user's other
memberships for the tenant switcher), the tenant scope in and out. The week page's budget is pinned
per database and stays the same for 2 or 30 entries and 1 or 25 employees; on PostgreSQL the
session's user query and the member's query switch the row-level-security scope in their own select
lists, and no scope outlives the request, whatever the outcome."""

import datetime as dt

import pytest
from django.db import connection

from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Licence
from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

MONDAY = dt.date(2026, 11, 2)  # ISO week 2026-W45
WEEK_URL = "/t/{slug}/time/?week=2026-W45"

# vendor -> statements of the week page (CaptureQueriesContext, the session already used once).
# 27 -> 16 on PostgreSQL, 21 -> 15 on SQLite (issue 13, h/pgpages): session; user (+ switch to the
# user's scope); the user's memberships with their tenants (the member's row and the switcher);
# set_config into the tenant; the week's entries, day locks and schedules read once for the days,
# the grid and the balances (were read twice); set_config out. SQLite has no set_config.
WEEK_PAGE = {"sqlite": 14, "postgresql": 16}


def _fill(tenant, user, n: int, hour: int = 1) -> None:
    member = membership_of(tenant, user)
    projects = [ProjectFactory(tenant=tenant) for _ in range(3)]
    for i in range(n):
        h = hour + i // 7
        TimeEntryFactory(
            membership=member, date=MONDAY + dt.timedelta(days=i % 7), project=projects[i % 3],
            minutes=10, start_time=dt.time(h), end_time=dt.time(h, 10),
        )  # fmt: skip


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.tenant_ids', true), current_setting('app.user_id', true)")
        return cursor.fetchone()


def test_the_week_page_stays_within_its_query_budget_whatever_the_entries_and_employees(tenant, employee):
    client = login_client(employee)
    url = WEEK_URL.format(slug=tenant.slug)
    _fill(tenant, employee, 2)
    assert client.get(url).status_code == 200  # the session's first use
    few, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    # more entries, day locks and colleagues with their own entries
    _fill(tenant, employee, 28, hour=5)
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY)
    for i in range(24):
        colleague = MembershipFactory(tenant=tenant, user=UserFactory(), licence=Licence.LIGHT).user
        _fill(tenant, colleague, 2, hour=1 + i % 10)
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert few == many
    assert many <= WEEK_PAGE[connection.vendor]


def test_the_week_page_shows_the_same_time_and_balances_as_before(tenant, employee):
    """The week's entries, locks and schedules are read once and handed to the day summaries and the
    balances (timereporting.selectors.week_loaded): the page shows each day's and the week's time."""
    _fill(tenant, employee, 3)
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY + dt.timedelta(days=1))
    page = login_client(employee).get(WEEK_URL.format(slug=tenant.slug)).content.decode()
    assert "0:30" in page  # the week's total: three entries of 10 minutes


def test_the_tenant_switcher_lists_every_membership_and_grant(tenant, owner, partner_firm, partner_full):
    # given a partner who is a member of their firm and of a third company, and holds a grant on `tenant`
    third = TenantFactory(name="Tredje Bolaget AB", slug="tredje")
    MembershipFactory(tenant=third, user=partner_full, licence=Licence.BASIC)
    client = login_client(partner_full)
    # when they open a page of their firm (a full page: the switcher is drawn)
    page = client.get(f"/t/{partner_firm.slug}/").content.decode()
    # then the switcher offers all three: both memberships and the customer through the grant
    for name in (partner_firm.name, third.name, tenant.name):
        assert name in page
    # and a plain member's switcher (no firm: no grants to read) offers their one company
    assert tenant.name in login_client(owner).get(f"/t/{tenant.slug}/").content.decode()


def test_a_partner_enters_the_customer_through_the_grant(tenant, partner_full):
    response = login_client(partner_full).get(f"/t/{tenant.slug}/")
    assert response.status_code == 200
    assert response.context["actor"].is_partner


def test_a_stranger_and_an_unknown_slug_answer_404(tenant, stranger):
    client = login_client(stranger)
    assert client.get(f"/t/{tenant.slug}/").status_code == 404
    assert client.get("/t/no-such-company/").status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_no_scope_outlives_a_page(tenant, employee, stranger, htmx):
    if connection.vendor != "postgresql":
        pytest.skip("the row-level-security settings exist on PostgreSQL only")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = WEEK_URL.format(slug=tenant.slug)
    # a member's page, a refused stranger, an id no row can have
    assert login_client(employee).get(url, **headers).status_code == 200
    assert _settings() == ("", "")
    assert login_client(stranger).get(url, **headers).status_code == 404
    assert _settings() == ("", "")
    big = f"/t/{tenant.slug}/time/entries/{'9' * 30}/"
    login_client(employee).get(big, **headers)
    assert _settings() == ("", "")


def test_a_deactivated_user_s_session_is_refused_and_leaves_no_scope(tenant, employee):
    client = login_client(employee)
    url = WEEK_URL.format(slug=tenant.slug)
    assert client.get(url).status_code == 200
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    if connection.vendor == "postgresql":
        assert _settings() == ("", "")


def test_a_session_from_before_a_password_change_is_refused_and_leaves_no_scope(tenant, employee):
    client = login_client(employee)
    url = WEEK_URL.format(slug=tenant.slug)
    assert client.get(url).status_code == 200
    employee.set_password("ett-nytt-lösenord-123")
    employee.save(update_fields=["password"])
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    if connection.vendor == "postgresql":
        assert _settings() == ("", "")
