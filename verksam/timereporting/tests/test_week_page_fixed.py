"""The week page's reads are compiled once per process (issue 13, core.fixedquery): a second request
compiles no SQL of the time pages, the grid's choices or the balances, and the fixed reads answer
the same rows as the querysets they stand for, never another tenant's."""

import datetime as dt
import re
import traceback
from contextlib import contextmanager

from django.db.models.sql import compiler
from django.urls import reverse

from verksam.projects.models import ProjectKind
from verksam.projects.selectors import project_reportable_for, project_reportable_list
from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.timecodes.tests.factories import ActivityFactory, TimeCodeFactory
from verksam.timereporting import balances, selectors
from verksam.timereporting.models import DayRejection, ReturnKind
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

from .conftest import MONDAY, actor_for, membership_of

WEEK = "2026-W45"
SUNDAY = MONDAY + dt.timedelta(days=6)

# the code whose compilations count: the time pages, their selectors and the grid's choices
WATCHED = ("/verksam/timereporting/", "/verksam/web/timereporting/", "/verksam/projects/selectors.py")


@contextmanager
def compilations():
    """The ORM compilations (SQLCompiler.as_sql) made inside, each as the watched frames of its stack."""
    found: list[list[str]] = []
    original = compiler.SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        frames = [
            f"{f.filename.split('/verksam/')[-1]}:{f.lineno}:{f.name}"
            for f in traceback.extract_stack()[:-1]
            if any(part in f.filename for part in WATCHED) and "/tests/" not in f.filename
        ]
        if frames:
            found.append(frames)
        return original(self, *args, **kwargs)

    compiler.SQLCompiler.as_sql = counting  # type: ignore[method-assign]
    try:
        yield found
    finally:
        compiler.SQLCompiler.as_sql = original  # type: ignore[method-assign]


def _week(client, tenant):
    response = client.get(reverse("web:time_week", args=[tenant.slug]) + f"?week={WEEK}")
    assert response.status_code == 200
    return response


def _without_tokens(response) -> str:
    """The page without its CSRF tokens (a new one on every request)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", response.content.decode())


def _fill_week(tenant, user, codes, projects):
    member = membership_of(tenant, user)
    TimeEntryFactory(membership=member, project=projects.site, time_code=codes.normal, minutes=450)
    TimeEntryFactory(
        membership=member,
        project=projects.internal,
        activity=codes.admin,
        time_code=codes.overtime,
        date=MONDAY + dt.timedelta(days=1),
        minutes=60,
    )
    DayLockFactory(membership=member, date=MONDAY + dt.timedelta(days=2))
    with tenant_scope(tenant.pk):
        DayRejection.objects.create(
            tenant=tenant,
            membership=member,
            date=MONDAY + dt.timedelta(days=3),
            comment="Fel projekt",
            kind=ReturnKind.REJECTED,
            rejected_by=user,
        )


def test_second_week_page_compiles_nothing(tenant, employee, owner, codes, projects):
    _fill_week(tenant, employee, codes, projects)
    _fill_week(tenant, owner, codes, projects)
    # a LIGHT employee (assigned projects) and a TOTAL user (every project): two shapes of the choices
    for user in (employee, owner):
        client = login_client(user)
        first = _week(client, tenant)
        with compilations() as found:
            second = _week(client, tenant)
        assert found == [], "\n".join(" < ".join(frames[::-1][:3]) for frames in found)
        assert _without_tokens(second) == _without_tokens(first)


def test_day_summaries_without_loaded_compiles_nothing_the_second_time(tenant, employee, codes, projects):
    _fill_week(tenant, employee, codes, projects)
    member_id = membership_of(tenant, employee).pk
    with tenant_scope(tenant.pk):
        first = selectors.day_summaries(membership_id=member_id, start=MONDAY, end=SUNDAY)
        with compilations() as found:
            second = selectors.day_summaries(membership_id=member_id, start=MONDAY, end=SUNDAY)
        loaded = selectors.week_loaded(membership_id=member_id, start=MONDAY, end=SUNDAY)
        from_loaded = selectors.day_summaries(
            membership_id=member_id, start=MONDAY, end=SUNDAY, loaded=loaded
        )
    assert [c for c in found if "schedules" not in " ".join(c)] == []
    assert second == first == from_loaded
    by_day = {d.date: d for d in first}
    assert by_day[MONDAY].minutes == 450
    assert by_day[MONDAY + dt.timedelta(days=2)].status == selectors.DayState.LOCKED
    assert by_day[MONDAY + dt.timedelta(days=3)].status == selectors.DayState.REJECTED
    assert by_day[MONDAY + dt.timedelta(days=3)].rejection_comment == "Fel projekt"
    assert by_day[MONDAY + dt.timedelta(days=3)].rejected_by == str(employee)


def test_fixed_reads_answer_the_querysets_rows(tenant, employee, owner, codes, projects):
    _fill_week(tenant, employee, codes, projects)
    member_id = membership_of(tenant, employee).pk
    with tenant_scope(tenant.pk):
        for user in (employee, owner):
            actor = actor_for(tenant, user)
            for _ in range(2):  # the first call checks against the ORM, the second reads the cache
                assert project_reportable_list(actor=actor) == list(project_reportable_for(actor=actor))
        assert [p.number for p in project_reportable_list(actor=actor_for(tenant, employee))] == ["INT", "P1"]
        for _ in range(2):
            assert selectors.reportable_activity_list() == list(selectors.reportable_activities())
            assert selectors.reportable_time_code_list() == list(selectors.reportable_time_codes())
            loaded = selectors.week_loaded(membership_id=member_id, start=MONDAY, end=SUNDAY)
            expected = list(selectors.own_time_entries(membership_id=member_id, start=MONDAY, end=SUNDAY))
            assert loaded.entries == expected
            # the same related rows loaded (select_related), nothing read later
            assert [
                (e.project.name, e.time_code.code, e.activity and e.activity.code, e.absence_type)
                for e in loaded.entries
            ] == [
                (e.project.name, e.time_code.code, e.activity and e.activity.code, e.absence_type)
                for e in expected
            ]
            assert loaded.locks == list(
                selectors.day_locks(membership_ids=[member_id], start=MONDAY, end=SUNDAY)
            )
            assert balances.excess_time_rule() == "flex"


def test_another_tenants_rows_never_show(tenant, other_tenant, employee, owner, stranger, codes, projects):
    # given another tenant with time, projects and codes in the same week, whose page is read first
    # (the fixed reads compiled and cached in the other tenant's scope)
    foreign_member = membership_of(other_tenant, stranger)
    foreign_project = ProjectFactory(tenant=other_tenant, number="F1", name="Främmande bygge")
    ProjectFactory(tenant=other_tenant, number="F2", name="Främmande intern", kind=ProjectKind.INTERNAL)
    ProjectMemberFactory(tenant=other_tenant, project=foreign_project, membership=foreign_member)
    foreign_code = TimeCodeFactory(tenant=other_tenant, code="FTC", name="Främmande tidkod")
    ActivityFactory(tenant=other_tenant, code="FAK", name="Främmande aktivitet")
    TimeEntryFactory(membership=foreign_member, project=foreign_project, time_code=foreign_code, minutes=333)
    DayLockFactory(membership=foreign_member, date=MONDAY + dt.timedelta(days=4))
    foreign_page = _week(login_client(stranger), other_tenant).content.decode()
    assert "Främmande bygge" in foreign_page
    _fill_week(tenant, employee, codes, projects)
    # when the tenant's own users open their week, twice (the second read from the cache)
    for user in (employee, owner):
        client = login_client(user)
        for _ in range(2):
            response = _week(client, tenant)
            html = response.content.decode()
            # then nothing of the other tenant shows
            assert "Främmande" not in html
            assert "5:33" not in html
            assert response.context["days"][4].status == selectors.DayState.OPEN
            choices = response.context["choices"]
            assert all(p.tenant_id == tenant.pk for p in choices.projects.values())
            assert all(a.tenant_id == tenant.pk for a in choices.activities.values())
            assert all(t.tenant_id == tenant.pk for t in choices.time_codes.values())
    # the salary forms of day_results, read by ids: another tenant's id answers nothing
    own_id = membership_of(tenant, employee).pk
    with tenant_scope(tenant.pk):
        for ids in ([foreign_member.pk], [foreign_member.pk, own_id]):
            for _ in range(2):
                assert [mid for mid, _form in balances._SALARY_FORMS.rows(ids=ids)] == ids[1:]
