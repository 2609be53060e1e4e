"""Issue 12 on the time pages: the running timer (page and API), the day form pre-filled for a LIGHT
worker with only the fields they use, the error summary, the week's actions that never contradict,
a reopened day's reason, and messages as sentences."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import sv
from verksam.timereporting import services, timer
from verksam.timereporting.models import DayStatus, RunningTimer, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

from .conftest import MONDAY, actor_for, membership_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEDNESDAY = MONDAY + dt.timedelta(days=2)


def _at(day: dt.date, hour: int, minute: int = 0):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM), tick=False
    )


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _entries(tenant, user):
    with tenant_scope(tenant.pk):
        return list(
            TimeEntry.objects.filter(membership=membership_of(tenant, user))
            .order_by("pk")
            .values("date", "start_time", "end_time", "minutes", "project_id")
        )


def _timers(tenant):
    with tenant_scope(tenant.pk):
        return RunningTimer.objects.count()


# --- the running timer ------------------------------------------------------------------------------


def test_the_timer_started_in_the_morning_becomes_the_days_entry_when_stopped(
    tenant, employee, codes, projects
):
    client = login_client(employee)
    with _at(WEDNESDAY, 7, 2):
        page = client.get(_url("time_day", tenant, WEDNESDAY.isoformat())).content.decode()
        assert 'data-testid="timer-start"' in page
        response = client.post(_url("time_timer_start", tenant), {"project": projects.site.pk})
        assert response.status_code == 302
    # the phone is closed; hours later the page still shows the running timer
    with _at(WEDNESDAY, 15, 30):
        page = client.get(_url("time_day", tenant, WEDNESDAY.isoformat())).content.decode()
        assert 'data-testid="timer-stop"' in page and "07:02" in page
        client.post(_url("time_timer_stop", tenant))
    assert _entries(tenant, employee) == [
        {"date": WEDNESDAY, "start_time": dt.time(7, 2), "end_time": dt.time(15, 30), "minutes": 508,
         "project_id": projects.site.pk}
    ]  # fmt: skip
    assert _timers(tenant) == 0


def test_a_second_stretch_that_starts_where_the_first_ended_extends_it(tenant, employee, codes, projects):
    actor = actor_for(tenant, employee)
    with tenant_scope(tenant.pk):
        with _at(WEDNESDAY, 7):
            timer.timer_start(actor=actor, project=projects.site)
        with _at(WEDNESDAY, 11):
            timer.timer_stop(actor=actor)
        with _at(WEDNESDAY, 11):
            timer.timer_start(actor=actor, project=projects.site)
        with _at(WEDNESDAY, 16):
            timer.timer_stop(actor=actor)
    [entry] = _entries(tenant, employee)
    assert (entry["start_time"], entry["end_time"], entry["minutes"]) == (dt.time(7), dt.time(16), 540)


def test_the_timer_cannot_run_twice_and_stopping_on_a_locked_day_keeps_it_running(
    tenant, employee, codes, projects
):
    actor = actor_for(tenant, employee)
    with tenant_scope(tenant.pk), _at(WEDNESDAY, 7):
        timer.timer_start(actor=actor, project=projects.site)
        with pytest.raises(Exception, match=sv("The timer is already running. Stop it first.")):
            timer.timer_start(actor=actor)
        DayLockFactory(membership=membership_of(tenant, employee), date=WEDNESDAY, status=DayStatus.LOCKED)
    client = login_client(employee)
    with _at(WEDNESDAY, 12):
        response = client.post(_url("time_timer_stop", tenant), follow=True)
    assert response.status_code == 200
    assert _entries(tenant, employee) == [] and _timers(tenant) == 1  # nothing half-written


def test_timer_api_start_status_stop(tenant, employee, codes, projects):
    client = api_client(employee)
    base = f"/api/v1/tenants/{tenant.pk}/time/timer"
    with _at(WEDNESDAY, 8):
        assert client.get(base).json()["running"] is False
        started = client.post(
            f"{base}/start", json.dumps({"project_id": projects.site.pk}), content_type="application/json"
        )
        assert started.status_code == 201 and started.json()["running"] is True
        again = client.post(f"{base}/start", "{}", content_type="application/json")
        assert again.status_code in (400, 409, 422) and again.json()["code"] == "timer_running"
    with _at(WEDNESDAY, 9, 15):
        assert client.get(base).json()["minutes"] == 75
        stopped = client.post(f"{base}/stop")
    assert stopped.status_code == 201
    assert (stopped.json()["start_time"], stopped.json()["end_time"], stopped.json()["minutes"]) == (
        "08:00:00",
        "09:15:00",
        75,
    )
    assert client.get(base).json()["running"] is False


def test_timer_is_refused_to_another_tenant_and_a_foreign_project(
    tenant, employee, stranger, other_tenant, codes, projects
):
    with _at(WEDNESDAY, 8):
        assert login_client(stranger).post(_url("time_timer_start", tenant)).status_code == 404
        api = api_client(stranger)
        assert api.get(f"/api/v1/tenants/{tenant.pk}/time/timer").status_code in (403, 404)
        from verksam.projects.tests.factories import ProjectFactory

        foreign = ProjectFactory(tenant=other_tenant)
        response = login_client(employee).post(_url("time_timer_start", tenant), {"project": foreign.pk})
        assert response.status_code == 404
    assert _timers(tenant) == 0


# --- the day form for a LIGHT worker ----------------------------------------------------------------


def test_the_day_form_is_prefilled_with_the_last_project_and_the_schedules_hours(
    tenant, employee, codes, projects
):
    with tenant_scope(tenant.pk):
        TimeEntryFactory(membership=membership_of(tenant, employee), date=MONDAY, project=projects.internal,
                         time_code=codes.normal, minutes=480, invoiceable_minutes=0)  # fmt: skip
    with _at(WEDNESDAY, 16):
        page = login_client(employee).get(_url("time_day", tenant, WEDNESDAY.isoformat())).content.decode()
    assert f'<option value="{projects.internal.pk}" selected>' in page
    assert 'name="work-minutes" value="8:00"' in page
    # a LIGHT worker who never used them gets no invoiceable hours or internal comment…
    assert 'name="work-internal_comment"' not in page and 'name="work-invoiceable_minutes"' not in page
    assert 'data-testid="more-fields"' in page
    # …but "Fler fält" shows them
    with _at(WEDNESDAY, 16):
        more = login_client(employee).get(_url("time_day", tenant, WEDNESDAY.isoformat()) + "?more=1")
    assert 'name="work-internal_comment"' in more.content.decode()


def test_the_invoicing_fields_show_for_someone_who_uses_them_or_follows_projects(
    tenant, employee, owner, codes, projects
):
    with tenant_scope(tenant.pk):
        TimeEntryFactory(
            membership=membership_of(tenant, employee),
            date=MONDAY,
            project=projects.site,
            time_code=codes.normal,
            minutes=480,
            invoiceable_minutes=480,
            internal_comment="Nyckel hos grannen",
        )
    with _at(WEDNESDAY, 16):
        mine = login_client(employee).get(_url("time_day", tenant, WEDNESDAY.isoformat())).content.decode()
        owners = login_client(owner).get(_url("time_day", tenant, WEDNESDAY.isoformat())).content.decode()
    assert 'name="work-internal_comment"' in mine and 'name="work-invoiceable_minutes"' in mine
    assert 'name="work-internal_comment"' in owners


def test_the_childs_personnummer_belongs_to_the_vab_types(tenant, employee, codes, projects):
    with _at(WEDNESDAY, 16):
        page = login_client(employee).get(_url("time_day", tenant, WEDNESDAY.isoformat())).content.decode()
    assert f'data-child-types="{codes.vab.pk}"' in page and "data-child-fields" in page


def test_a_refused_save_answers_422_with_an_error_summary_linking_to_the_field(
    tenant, employee, codes, projects
):
    with _at(WEDNESDAY, 16):
        response = login_client(employee).post(
            _url("time_day", tenant, WEDNESDAY.isoformat()),
            {"kind": "work", "work-project": "", "work-minutes": "x"},
        )
    page = response.content.decode()
    assert response.status_code == 422
    summary = page.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_work-project"' in summary and 'href="#id_work-minutes"' in summary
    assert page.index('data-testid="error-summary"') < page.index('data-testid="work-form"')


# --- contradicting buttons on the week ------------------------------------------------------------


def _week_page(tenant, user) -> str:
    with _at(MONDAY + dt.timedelta(days=9), 9):  # the Wednesday after: the whole week is past
        return login_client(user).get(_url("time_week", tenant) + "?week=2026-W45").content.decode()


def _buttons(page: str) -> set[str]:
    return {name for name in ("lock-week", "unlock-week", "copy-week") if f'data-testid="{name}"' in page}


def test_an_open_week_offers_lock_and_copy(tenant, employee, codes, projects):
    assert _buttons(_week_page(tenant, employee)) == {"lock-week", "copy-week"}


def test_a_partly_locked_week_offers_only_lock_for_the_rest(tenant, employee, codes, projects):
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY, status=DayStatus.LOCKED)
    assert _buttons(_week_page(tenant, employee)) == {"lock-week"}


def test_a_locked_week_offers_only_unlock(tenant, employee, codes, projects):
    for i in range(7):
        DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY + dt.timedelta(days=i))
    page = _week_page(tenant, employee)
    assert _buttons(page) == {"unlock-week"}
    assert "data-confirm=" in page.split('data-testid="unlock-week"')[0].rsplit("<form", 1)[1]


def test_an_attested_week_offers_nothing_and_says_so(tenant, employee, codes, projects):
    from verksam.timereporting.tests.factories import attest

    attest(membership_of(tenant, employee), [MONDAY + dt.timedelta(days=i) for i in range(7)])
    page = _week_page(tenant, employee)
    assert _buttons(page) == set() and sv("The week is attested.") in page


# --- a reopened day says why ------------------------------------------------------------------------


def test_a_reopened_day_shows_the_employee_the_reason(tenant, employee, owner, codes, projects):
    from verksam.timereporting.tests.factories import attest

    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        TimeEntryFactory(membership=member, date=MONDAY, project=projects.site, time_code=codes.normal)
    attest(member, [MONDAY])
    with tenant_scope(tenant.pk):
        services.attested_days_reopen(
            actor=actor_for(tenant, owner),
            membership=member,
            dates=[MONDAY],
            reason="Fel projekt på måndagen",
        )
    with _at(WEDNESDAY, 9):
        page = login_client(employee).get(_url("time_day", tenant, MONDAY.isoformat())).content.decode()
        day = (
            api_client(employee)
            .get(f"/api/v1/tenants/{tenant.pk}/time/days?from={MONDAY}&to={MONDAY}")
            .json()[0]
        )
    assert 'data-testid="reopen-reason"' in page and "Fel projekt på måndagen" in page
    assert day["status"] == "open" and day["reopen_reason"] == "Fel projekt på måndagen"


def test_deleting_an_entry_asks_first_and_says_what_happens(tenant, employee, codes, projects):
    with tenant_scope(tenant.pk):
        TimeEntryFactory(
            membership=membership_of(tenant, employee),
            date=MONDAY,
            project=projects.site,
            time_code=codes.normal,
        )
    with _at(WEDNESDAY, 9):
        page = login_client(employee).get(_url("time_day", tenant, MONDAY.isoformat())).content.decode()
    form = page.split('data-testid="delete-entry"')[0].rsplit("<form", 1)[1]
    assert "data-confirm=" in form and "8:00" in form


# --- messages as sentences --------------------------------------------------------------------------


def test_locking_days_says_it_as_a_sentence(tenant, employee, codes, projects):
    with tenant_scope(tenant.pk):
        TimeEntryFactory(
            membership=membership_of(tenant, employee),
            date=MONDAY,
            project=projects.site,
            time_code=codes.normal,
        )
    with _at(WEDNESDAY, 9):
        response = login_client(employee).post(
            _url("time_lock", tenant), {"date": [MONDAY.isoformat()]}, follow=True
        )
    text = [str(m) for m in response.context["messages"]]
    assert text == ["1 dag låst och skickad för attest."] or text == [
        sv("%(count)d day locked and sent for attestation.") % {"count": 1}
    ]


@pytest.mark.parametrize("licence", [Licence.LIGHT])
def test_a_partner_without_membership_has_no_timer(tenant, partner_full, licence):
    response = login_client(partner_full).post(_url("time_timer_start", tenant))
    assert response.status_code == 403
    _ = MembershipFactory, UserFactory
