"""The pages and endpoints of work schedules: what each role may see and do, another tenant's ids
answer 404, a refused call changes nothing, and the list pages cost a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from verksam.audit.models import AuditEvent
from verksam.schedules.models import ScheduleTemplate, WorkSchedule
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of, sv

JSON = "application/json"
PART = [360, 360, 360, 360, 360, 0, 0]
ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
MANAGERS = {"owner", "partner_full"}  # Perm.SCHEDULES_MANAGE
VIEWERS = {"owner", "partner_full", "partner_limited"}  # Perm.EMPLOYEES_VIEW
REPORTERS = {"owner", "attestant", "employee"}  # Perm.TIME_REPORT_OWN


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(ScheduleTemplate.objects.order_by("pk").values()),
            list(WorkSchedule.objects.order_by("pk").values()),
            AuditEvent.objects.count(),
        )


def _template(tenant, name="Deltid 75 %", minutes=PART, percent=75, **kwargs):
    template = ScheduleTemplate(tenant=tenant, name=name, percent=percent, **kwargs)
    template.set_weekday_minutes(minutes)
    template.save()
    return template


def _base(tenant):
    return f"/api/v1/tenants/{tenant.pk}"


def _web(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


# --- the journey through the web ------------------------------------------------------------------


def test_owner_adds_a_template_and_gives_it_to_two_users_from_a_date(tenant, owner, attestant, employee):
    client = login_client(owner)
    response = client.post(
        _web("schedule_template_create", tenant),
        {"t-name": "Deltid 75 %", "t-percent": "75", "t-is_active": "on"}
        | {f"t-{d}_minutes": "6" for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        template = ScheduleTemplate.objects.get(name="Deltid 75 %")
        assert template.weekday_minutes == tuple(PART) and template.percent == 75
        members = [membership_of(tenant, u) for u in (attestant, employee)]
    page = client.get(_web("schedules", tenant)).content.decode()
    assert "Deltid 75 %" in page and 'data-testid="assign-users"' in page
    response = client.post(
        _web("schedule_assign", tenant),
        {"a-template": template.pk, "a-valid_from": "2026-12-01", "a-memberships": [m.pk for m in members]},
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        rows = WorkSchedule.objects.filter(membership__in=members)
        assert (
            sorted((r.valid_from, r.percent, r.template_id) for r in rows)
            == [(dt.date(2026, 12, 1), 75, template.pk)] * 2
        )
    history = client.get(_web("member_schedule", tenant, members[1].pk)).content.decode()
    assert "2026-12-01" in history and "Deltid 75 %" in history


def test_assigning_to_nobody_or_a_bad_schedule_is_refused_clearly(tenant, owner):
    client = login_client(owner)
    before = _state(tenant)
    response = client.post(
        _web("schedule_template_create", tenant), {"t-name": "Tom", "t-percent": "100", "t-is_active": "on"}
    )
    assert response.status_code == 422
    assert sv("A schedule needs working time on at least one day.") in response.content.decode()
    response = client.post(
        _web("schedule_template_create", tenant),
        {"t-name": "Lång", "t-monday_minutes": "25", "t-percent": "100", "t-is_active": "on"},
    )
    assert response.status_code == 422
    assert sv("A day of the schedule can hold at most 24 hours.") in response.content.decode()
    with tenant_scope(tenant.pk):
        template = _template(tenant)
    before = _state(tenant)
    response = client.post(
        _web("schedule_assign", tenant), {"a-template": template.pk, "a-valid_from": "2026-12-01"}
    )
    assert response.status_code == 422
    assert sv("Choose at least one user.") in response.content.decode()
    assert _state(tenant) == before


def test_member_schedule_set_and_delete_a_dated_row(tenant, owner, employee):
    client = login_client(owner)
    member = membership_of(tenant, employee)
    url = _web("member_schedule", tenant, member.pk)
    for day, hours in (("2026-01-01", "8"), ("2026-09-01", "6")):
        data = {"valid_from": day, "percent": "75" if hours == "6" else "100"}
        data |= {f"{d}_minutes": hours for d in ("monday", "tuesday", "wednesday", "thursday", "friday")}
        assert client.post(url, data).status_code == 302
    with tenant_scope(tenant.pk):
        rows = list(WorkSchedule.objects.filter(membership=member).order_by("valid_from"))
    assert [(r.valid_from, r.monday_minutes) for r in rows] == [
        (dt.date(2026, 1, 1), 480),
        (dt.date(2026, 9, 1), 360),
    ]
    assert client.post(_web("member_schedule_delete", tenant, member.pk, rows[1].pk)).status_code == 302
    # the only row left cannot be removed
    response = client.post(_web("member_schedule_delete", tenant, member.pk, rows[0].pk), follow=True)
    assert sv("The employee's only schedule cannot be removed; give them another one instead.") in (
        response.content.decode()
    )
    with tenant_scope(tenant.pk):
        assert list(WorkSchedule.objects.filter(membership=member).values_list("pk", flat=True)) == [
            rows[0].pk
        ]


def test_employee_sees_their_own_schedule_only(tenant, owner, employee, attestant):
    with tenant_scope(tenant.pk):
        template = _template(tenant)
        row = WorkSchedule(
            tenant=tenant,
            membership=membership_of(tenant, employee),
            valid_from=dt.date(2026, 1, 1),
            template=template,
        )
        row.set_weekday_minutes(PART)
        row.percent = 75
        row.save()
    client = login_client(employee)
    page = client.get(_web("my_schedule", tenant))
    assert page.status_code == 200 and "Deltid 75 %" in page.content.decode()
    assert 'data-testid="schedule-form"' not in page.content.decode()
    # another user's schedule page needs EMPLOYEES_VIEW
    assert client.get(_web("member_schedule", tenant, membership_of(tenant, attestant).pk)).status_code == 403
    body = api_client(employee).get(f"{_base(tenant)}/time/schedule").json()
    assert body["current"]["weekday_minutes"] == PART and body["current"]["template_name"] == "Deltid 75 %"


# --- the API ----------------------------------------------------------------------------------------


def test_api_templates_assign_and_history(tenant, owner, employee):
    client = api_client(owner)
    created = client.post(
        f"{_base(tenant)}/schedule-templates",
        {"name": "Deltid 75 %", "weekday_minutes": PART, "percent": 75, "is_default": True},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    template_id = created.json()["id"]
    assert created.json()["week_minutes"] == 1800
    patched = client.patch(
        f"{_base(tenant)}/schedule-templates/{template_id}", {"name": "Deltid 6 h"}, content_type=JSON
    )
    assert patched.json()["name"] == "Deltid 6 h" and patched.json()["weekday_minutes"] == PART
    member = membership_of(tenant, employee)
    assigned = client.post(
        f"{_base(tenant)}/schedule-templates/{template_id}/assign",
        {"member_ids": [member.pk], "valid_from": "2026-12-01"},
        content_type=JSON,
    )
    assert assigned.status_code == 200 and assigned.json()[0]["template_name"] == "Deltid 6 h"
    own = client.post(
        f"{_base(tenant)}/members/{member.pk}/schedules",
        {"valid_from": "2027-01-01", "weekday_minutes": [480, 480, 480, 480, 0, 0, 0], "percent": 80},
        content_type=JSON,
    )
    assert own.status_code == 201
    history = client.get(f"{_base(tenant)}/members/{member.pk}/schedules").json()
    assert [s["valid_from"] for s in history["schedules"]] == ["2027-01-01", "2026-12-01"]
    deleted = client.delete(f"{_base(tenant)}/members/{member.pk}/schedules/{own.json()['id']}")
    assert deleted.status_code == 204
    listed = client.get(f"{_base(tenant)}/schedule-templates").json()
    assert listed["total"] == 1 and listed["items"][0]["is_default"] is True


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "X", "weekday_minutes": [0] * 7, "percent": 100}, "schedule_empty"),
        ({"name": "X", "weekday_minutes": [1441, 0, 0, 0, 0, 0, 0], "percent": 100}, "invalid"),
        ({"name": "X", "weekday_minutes": [480] * 5, "percent": 100}, "invalid"),
        ({"name": "X", "weekday_minutes": [480] * 7, "percent": 0}, "invalid"),
        ({"name": "X", "weekday_minutes": ["480"] * 7, "percent": 100}, "invalid"),
    ],
)
def test_api_refuses_bad_schedules(tenant, owner, body, code):
    before = _state(tenant)
    response = api_client(owner).post(f"{_base(tenant)}/schedule-templates", body, content_type=JSON)
    assert response.status_code in (400, 422) and response.json()["code"] == code
    assert _state(tenant) == before


# --- other tenants, permissions, query counts ---------------------------------------------------------


def test_other_tenants_ids_answer_404(tenant, other_tenant, owner, employee, stranger):
    foreign_member = membership_of(other_tenant, stranger)
    with tenant_scope(other_tenant.pk):
        foreign_template = _template(other_tenant)
        foreign_row = WorkSchedule(
            tenant=other_tenant, membership=foreign_member, valid_from=dt.date(2026, 1, 1)
        )
        foreign_row.set_weekday_minutes(PART)
        foreign_row.save()
    own_member = membership_of(tenant, employee)
    before = (_state(tenant), _state(other_tenant))
    web = login_client(owner)
    assert web.get(_web("member_schedule", tenant, foreign_member.pk)).status_code == 404
    assert web.get(_web("schedule_template_edit", tenant, foreign_template.pk)).status_code == 404
    assert web.post(_web("member_schedule_delete", tenant, own_member.pk, foreign_row.pk)).status_code == 404
    response = web.post(
        _web("schedule_assign", tenant),
        {"a-template": foreign_template.pk, "a-valid_from": "2026-12-01", "a-memberships": [own_member.pk]},
    )
    assert response.status_code == 422  # not a choice of this company
    api = api_client(owner)
    base = _base(tenant)
    calls = [
        api.get(f"{base}/members/{foreign_member.pk}/schedules"),
        api.patch(f"{base}/schedule-templates/{foreign_template.pk}", {"name": "Y"}, content_type=JSON),
        api.post(
            f"{base}/schedule-templates/{foreign_template.pk}/assign",
            {"member_ids": [own_member.pk], "valid_from": "2026-12-01"},
            content_type=JSON,
        ),
        api.delete(f"{base}/members/{own_member.pk}/schedules/{foreign_row.pk}"),
        api.post(
            f"{base}/members/{foreign_member.pk}/schedules",
            {"valid_from": "2026-12-01", "weekday_minutes": PART, "percent": 75},
            content_type=JSON,
        ),
    ]
    with tenant_scope(tenant.pk):
        own_template = _template(tenant, name="Egen")
    calls.append(
        api.post(
            f"{base}/schedule-templates/{own_template.pk}/assign",
            {"member_ids": [foreign_member.pk], "valid_from": "2026-12-01"},
            content_type=JSON,
        )
    )
    assert [c.status_code for c in calls] == [404] * len(calls)
    assert _state(other_tenant) == before[1]
    # a stranger to the company: 404 on every page and endpoint
    stranger_web, stranger_api = login_client(stranger), api_client(stranger)
    assert stranger_web.get(_web("schedules", tenant)).status_code == 404
    assert stranger_api.get(f"{base}/schedule-templates").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(request, tenant, everyone, employee, role):
    user = request.getfixturevalue(role)
    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        template = _template(tenant)
        row = WorkSchedule(tenant=tenant, membership=member, valid_from=dt.date(2026, 1, 1))
        row.set_weekday_minutes(PART)
        row.save()
        second = WorkSchedule(tenant=tenant, membership=member, valid_from=dt.date(2026, 6, 1))
        second.set_weekday_minutes(PART)
        second.save()
    web, api, base = login_client(user), api_client(user), _base(tenant)
    manage = role in MANAGERS
    assert web.get(_web("schedules", tenant)).status_code == (200 if manage else 403)
    assert api.get(f"{base}/schedule-templates").status_code == (200 if manage else 403)
    view = 200 if role in VIEWERS else 403
    assert web.get(_web("member_schedule", tenant, member.pk)).status_code == view
    assert api.get(f"{base}/members/{member.pk}/schedules").status_code == view
    own = 200 if role in REPORTERS else 403
    assert web.get(_web("my_schedule", tenant)).status_code == own
    assert api.get(f"{base}/time/schedule").status_code == own
    before = _state(tenant)
    writes = [
        web.post(
            _web("schedule_template_create", tenant),
            {"t-name": "N", "t-monday_minutes": "8", "t-percent": "100"},
        ),
        web.post(
            _web("schedule_template_edit", tenant, template.pk),
            {"name": "N2", "monday_minutes": "8", "percent": "100", "is_active": "on"},
        ),
        web.post(
            _web("schedule_assign", tenant),
            {"a-template": template.pk, "a-valid_from": "2026-12-01", "a-memberships": [member.pk]},
        ),
        web.post(
            _web("member_schedule", tenant, member.pk),
            {"valid_from": "2026-12-02", "monday_minutes": "8", "percent": "100"},
        ),
        web.post(_web("member_schedule_delete", tenant, member.pk, second.pk)),
        api.post(
            f"{base}/schedule-templates",
            {"name": "A", "weekday_minutes": PART, "percent": 75},
            content_type=JSON,
        ),
        api.patch(f"{base}/schedule-templates/{template.pk}", {"name": "A2"}, content_type=JSON),
        api.post(
            f"{base}/schedule-templates/{template.pk}/assign",
            {"member_ids": [member.pk], "valid_from": "2026-12-03"},
            content_type=JSON,
        ),
        api.post(
            f"{base}/members/{member.pk}/schedules",
            {"valid_from": "2026-12-04", "weekday_minutes": PART, "percent": 75},
            content_type=JSON,
        ),
        api.delete(f"{base}/members/{member.pk}/schedules/{row.pk}"),
    ]
    if manage:
        assert [w.status_code for w in writes] == [302, 302, 302, 302, 302, 201, 200, 200, 201, 204]
    else:
        assert {w.status_code for w in writes} == {403}
        assert _state(tenant) == before


def _members_with_schedules(tenant, n):
    with tenant_scope(tenant.pk):
        template = ScheduleTemplate.objects.filter(name="Deltid 75 %").first() or _template(tenant)
        for _ in range(n):
            m = MembershipFactory(tenant=tenant, licence=Licence.LIGHT)
            for day in (dt.date(2026, 1, 1), dt.date(2026, 6, 1)):
                row = WorkSchedule(tenant=tenant, membership=m, valid_from=day, template=template)
                row.set_weekday_minutes(PART)
                row.save()
            _template(tenant, name=f"Mall {m.pk}")


@pytest.mark.parametrize("page", ["schedules", "member", "api_templates", "api_member"])
def test_query_count_is_constant(tenant, owner, employee, page):
    member = membership_of(tenant, employee)
    web, api = login_client(owner), api_client(owner)

    def get():
        if page == "schedules":
            return web.get(_web("schedules", tenant))
        if page == "member":
            return web.get(_web("member_schedule", tenant, member.pk))
        if page == "api_templates":
            return api.get(f"{_base(tenant)}/schedule-templates?page_size=100")
        return api.get(f"{_base(tenant)}/members/{member.pk}/schedules")

    def add_rows(n):
        _members_with_schedules(tenant, n)
        with tenant_scope(tenant.pk):
            template = ScheduleTemplate.objects.first()
            for i in range(n):
                row = WorkSchedule(
                    tenant=tenant,
                    membership=member,
                    valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=i + 30 * n),
                    template=template,
                )
                row.set_weekday_minutes(PART)
                row.save()

    add_rows(2)
    get()  # warm caches (session, content types)
    small, first = count_queries(get)
    add_rows(28)
    large, second = count_queries(get)
    assert first.status_code == second.status_code == 200
    assert small == large


def test_api_invitation_with_a_schedule_template(tenant, other_tenant, owner):
    from verksam.tenancy.models import Invitation

    with tenant_scope(tenant.pk):
        template = _template(tenant)
    with tenant_scope(other_tenant.pk):
        foreign = _template(other_tenant, name="Främmande")
    client = api_client(owner)
    url = f"{_base(tenant)}/members"
    response = client.post(
        url, {"email": "ny@example.se", "schedule_template_id": foreign.pk}, content_type=JSON
    )
    assert response.status_code == 404
    response = client.post(
        url, {"email": "ny@example.se", "schedule_template_id": template.pk}, content_type=JSON
    )
    assert response.status_code == 201
    with tenant_scope(tenant.pk):
        assert Invitation.objects.get(email="ny@example.se").schedule_template_id == template.pk


# --- the week view and locking, in the web and the API ----------------------------------------------


def test_week_view_reads_reported_of_scheduled_and_locking_explains_refusals(tenant, employee):
    import time_machine

    from verksam.timereporting.models import DayLock
    from verksam.timereporting.tests.factories import TimeEntryFactory

    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        row = WorkSchedule(tenant=tenant, membership=member, valid_from=dt.date(2026, 1, 1), percent=75)
        row.set_weekday_minutes(PART)
        row.save()
        TimeEntryFactory(membership=member, date=dt.date(2026, 11, 16), minutes=360)
        TimeEntryFactory(membership=member, date=dt.date(2026, 11, 17), minutes=240)
    client = login_client(employee)
    week_url = _web("time_week", tenant) + "?week=2026-W47"
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        html = client.get(week_url).content.decode()
        assert "6:00 av 6:00" in html and "4:00 av 6:00" in html and "10:00 av 30:00" in html
        assert 'data-testid="nothing-to-report"' in html  # Tuesday is short, Wednesday empty
        # locking the week without confirming: refused, in Swedish, nothing locked
        response = client.post(_web("time_lock", tenant), {"week": "2026-W47"}, follow=True)
        assert (
            sv("Nothing is reported on %(days)s. Confirm that there is nothing to report to lock it.")
            % {"days": "2026-11-18"}
            in response.content.decode()
        )
        # a future week: refused
        response = client.post(_web("time_lock", tenant), {"week": "2026-W48"}, follow=True)
        assert (
            sv("The week has not begun yet; lock it when its days have happened.")
            in response.content.decode()
        )
        api = api_client(employee)
        refused = api.post(f"{_base(tenant)}/time/lock", {"dates": ["2026-11-19"]}, content_type=JSON)
        assert refused.status_code == 400 and refused.json()["code"] == "future_day"
        refused = api.post(f"{_base(tenant)}/time/lock", {"dates": ["2026-11-18"]}, content_type=JSON)
        assert refused.json()["code"] == "nothing_reported" and refused.json()["extra"]["dates"] == [
            "2026-11-18"
        ]
        with tenant_scope(tenant.pk):
            assert not DayLock.objects.exists()
        # confirmed: Monday–Wednesday are locked, Thursday and Friday stay open
        client.post(_web("time_lock", tenant), {"week": "2026-W47", "nothing_to_report": "1"})
        with tenant_scope(tenant.pk):
            assert sorted(DayLock.objects.values_list("date", flat=True)) == [
                dt.date(2026, 11, 16),
                dt.date(2026, 11, 17),
                dt.date(2026, 11, 18),
            ]
        days = api.get(f"{_base(tenant)}/time/days?from=2026-11-16&to=2026-11-20").json()
    assert [(d["scheduled_minutes"], d["reported"]) for d in days] == [
        (360, True),
        (360, True),  # confirmed at locking
        (360, True),
        (360, False),
        (360, False),
    ]
