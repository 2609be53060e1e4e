"""The time pages: week (grid), day, entry edit, month, lock/unlock, copy week — and the DESIGN.md
trio: other tenant → 404 (incl. forged ids), authorization matrix, constant query count."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from verksam.audit.models import AuditEvent
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.services import tenant_create
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, sv
from verksam.timecodes.models import TimeCode
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import DayLock, DayRejection, DayStatus, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

from .conftest import MONDAY, membership_of

WEEK = "2026-W45"
DAY = MONDAY.isoformat()


def _state(tenant):
    with tenant_scope(tenant.pk):
        return {
            "entries": list(TimeEntry.objects.order_by("pk").values()),
            "locks": list(DayLock.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _entry(tenant, user, codes, projects, **kwargs):
    data = {"membership": membership_of(tenant, user), "project": projects.site, "time_code": codes.normal}
    data.update(kwargs)
    return TimeEntryFactory(**data)


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


# --- pages work -----------------------------------------------------------------------------------


def test_week_is_the_start_page_with_grid_status_and_time_bank(tenant, employee, codes, projects):
    # given an employee with Monday's time, overtime on Tuesday and a locked Wednesday
    _entry(tenant, employee, codes, projects, minutes=450)
    _entry(
        tenant,
        employee,
        codes,
        projects,
        date=MONDAY + dt.timedelta(days=1),
        time_code=codes.overtime,
        minutes=90,
    )
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY + dt.timedelta(days=2))
    # when they open the time page for week 45
    response = login_client(employee).get(_url("time_week", tenant) + f"?week={WEEK}")
    # then the grid shows hours, day statuses and the time bank (+1:30 from overtime)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="week-grid"' in html and 'data-testid="week-list"' in html
    assert 'value="7:30"' in html
    assert "Villa Ek" in html
    assert response.context["balance"] == 0  # the bank counts attested time only
    assert response.context["bank_preview"] == 90  # unattested, shown as a preview
    statuses = {d.date: d.status for d in response.context["days"]}
    assert statuses[MONDAY + dt.timedelta(days=2)] == "locked"
    assert response.context["week_total"] == "9:00"


@time_machine.travel(dt.datetime(2026, 3, 31, 10, 0, tzinfo=dt.UTC))
def test_week_defaults_to_the_current_iso_week(tenant, employee, codes):
    response = login_client(employee).get(_url("time_week", tenant))
    assert response.context["monday"] == dt.date(2026, 3, 30)
    response = login_client(employee).get(_url("time_week", tenant) + "?week=nonsense")
    assert response.context["monday"] == dt.date(2026, 3, 30)


def test_week_containing_a_dst_sunday(tenant, employee, codes, projects):
    _entry(tenant, employee, codes, projects, date=dt.date(2026, 10, 25), minutes=180)
    response = login_client(employee).get(_url("time_week", tenant) + "?week=2026-W43")
    assert [d.date for d in response.context["days"]][-1] == dt.date(2026, 10, 25)
    assert response.context["week_total"] == "3:00"


def test_grid_cell_saves_through_htmx(tenant, employee, codes, projects):
    client = login_client(employee)
    key = f"{projects.site.pk}-0-{codes.normal.pk}"
    # when the employee types 7,5 in Monday's cell of a new row
    response = client.post(
        _url("time_grid_save", tenant),
        {"week": WEEK, "row": key, f"c_{key}_{DAY}": "7,5"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=f"c_{key}_{DAY}",
    )
    # then one entry of 450 minutes exists and the grid comes back with the new time bank
    assert response.status_code == 200
    assert 'id="week-grid"' in response.content.decode() and 'hx-swap-oob="true"' in response.content.decode()
    with tenant_scope(tenant.pk):
        entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.date, entry.project_id) == (450, MONDAY, projects.site.pk)
    # when they change it to 8:00 and then empty it
    client.post(
        _url("time_grid_save", tenant),
        {"week": WEEK, f"c_{key}_{DAY}": "8:00"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=f"c_{key}_{DAY}",
    )
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.get().minutes == 480
    client.post(
        _url("time_grid_save", tenant),
        {"week": WEEK, f"c_{key}_{DAY}": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=f"c_{key}_{DAY}",
    )
    with tenant_scope(tenant.pk):
        assert not TimeEntry.objects.exists()


def test_grid_shows_errors_in_the_cell_and_writes_nothing(tenant, employee, codes, projects):
    key = f"{projects.site.pk}-0-{codes.normal.pk}"
    before = _state(tenant)
    response = login_client(employee).post(
        _url("time_grid_save", tenant),
        {"week": WEEK, "row": key, f"c_{key}_{DAY}": "25"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=f"c_{key}_{DAY}",
    )
    # htmx swaps only a 200: the grid comes back with the error in the cell
    assert response.status_code == 200
    assert sv("A day cannot have more than 24 hours reported.") in response.content.decode()
    response = login_client(employee).post(
        _url("time_grid_save", tenant),
        {"week": WEEK, f"c_{key}_{DAY}": "sju"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=f"c_{key}_{DAY}",
    )
    assert sv("Write the time as 7,5 or 7:30.") in response.content.decode()
    assert _state(tenant) == before


def test_grid_form_without_javascript_saves_every_changed_cell(tenant, employee, codes, projects):
    key = f"{projects.site.pk}-0-{codes.normal.pk}"
    data = {"week": WEEK, "row": key}
    for i in range(5):
        data[f"c_{key}_{(MONDAY + dt.timedelta(days=i)).isoformat()}"] = "8"
    response = login_client(employee).post(_url("time_grid_save", tenant), data)
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 5


def test_cells_of_locked_days_and_start_end_entries_are_read_only(tenant, employee, codes, projects):
    _entry(tenant, employee, codes, projects, start_time=dt.time(8), end_time=dt.time(12), minutes=240)
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY + dt.timedelta(days=1))
    key = f"{projects.site.pk}-0-{codes.normal.pk}"
    html = login_client(employee).get(_url("time_week", tenant) + f"?week={WEEK}").content.decode()
    assert f'name="c_{key}_{DAY}"' not in html
    assert f'name="c_{key}_{(MONDAY + dt.timedelta(days=1)).isoformat()}"' not in html
    assert f'name="c_{key}_{(MONDAY + dt.timedelta(days=2)).isoformat()}"' in html
    before = _state(tenant)
    response = login_client(employee).post(
        _url("time_grid_save", tenant),
        {"week": WEEK, f"c_{key}_{DAY}": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=f"c_{key}_{DAY}",
    )
    assert sv("Change this in the day view.") in response.content.decode()
    assert _state(tenant) == before


def test_add_row_shows_an_empty_row(tenant, employee, codes, projects):
    url = (
        _url("time_week", tenant)
        + f"?week={WEEK}&add_project={projects.site.pk}&add_activity=&add_time_code={codes.overtime.pk}"
    )
    response = login_client(employee).get(url)
    assert [r.label for r in response.context["rows"]] == [str(projects.site)]
    # a project the LIGHT employee is not assigned to is not offered and not added
    url = (
        _url("time_week", tenant)
        + f"?week={WEEK}&add_project={projects.unassigned.pk}&add_time_code={codes.normal.pk}"
    )
    assert login_client(employee).get(url).context["rows"] == []


def test_day_view_adds_work_and_absence(tenant, employee, codes, projects):
    client = login_client(employee)
    url = _url("time_day", tenant, DAY)
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "kind": "work", "work-project": projects.site.pk, "work-time_code": codes.normal.pk,
        "work-start_time": "07:00", "work-end_time": "12:00", "work-break_minutes": "30",
        "work-comment": "Stommen", "work-internal_comment": "Nyckel hos grannen",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        url, {"kind": "absence", "absence-absence_type": codes.sick.pk, "absence-minutes": "3,5"}
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        work, absence = TimeEntry.objects.order_by("pk")
    assert (work.minutes, work.comment, work.internal_comment) == (270, "Stommen", "Nyckel hos grannen")
    assert (absence.kind, absence.minutes) == ("absence", 210)
    html = client.get(url).content.decode()
    assert "4:30 h" in html and "Nyckel hos grannen" in html


def test_day_view_refuses_bad_input_with_422_and_a_swedish_message(tenant, employee, codes, projects):
    client = login_client(employee)
    url = _url("time_day", tenant, DAY)
    before = _state(tenant)
    response = client.post(url, {
        "kind": "work", "work-project": projects.site.pk, "work-time_code": codes.normal.pk,
        "work-start_time": "12:00", "work-end_time": "08:00",
    })  # fmt: skip
    assert response.status_code == 422
    assert sv("The end time must be after the start time.") in response.content.decode()
    response = client.post(
        url, {"kind": "absence", "absence-absence_type": codes.vab.pk, "absence-whole_day": "on"}
    )
    assert response.status_code == 422
    assert (
        escape(sv("%(absence)s needs the child's personnummer.") % {"absence": "VAB"})
        in response.content.decode()
    )
    # a project the LIGHT employee is not assigned to is not a valid choice
    response = client.post(url, {"kind": "work", "work-project": projects.unassigned.pk, "work-minutes": "1"})
    assert response.status_code == 422
    assert _state(tenant) == before


def test_rejection_comment_is_shown_on_day_week_and_month(tenant, employee, attestant, codes, projects):
    with tenant_scope(tenant.pk):
        DayRejection.objects.create(
            tenant=tenant,
            membership=membership_of(tenant, employee),
            date=MONDAY,
            comment="Fel projekt på måndag",
        )
    client = login_client(employee)
    for url in (
        _url("time_day", tenant, DAY),
        _url("time_week", tenant) + f"?week={WEEK}",
        _url("time_month", tenant) + "?month=2026-11",
    ):
        assert "Fel projekt på måndag" in client.get(url).content.decode(), url


def test_edit_and_delete_an_entry(tenant, employee, codes, projects):
    entry = _entry(tenant, employee, codes, projects, minutes=60)
    client = login_client(employee)
    assert client.get(_url("time_entry_edit", tenant, entry.pk)).status_code == 200
    response = client.post(_url("time_entry_edit", tenant, entry.pk), {
        "project": projects.site.pk, "time_code": codes.normal.pk, "minutes": "2,25", "comment": "Ändrad",
    })  # fmt: skip
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        entry.refresh_from_db()
    assert (entry.minutes, entry.comment) == (135, "Ändrad")
    assert client.post(_url("time_entry_delete", tenant, entry.pk)).status_code == 302
    with tenant_scope(tenant.pk):
        assert not TimeEntry.objects.exists()


def test_locked_entry_cannot_be_edited_or_deleted(tenant, employee, codes, projects):
    entry = _entry(tenant, employee, codes, projects, minutes=60)
    DayLockFactory(
        membership=membership_of(tenant, employee),
        date=MONDAY,
        status=DayStatus.ATTESTED,
        attested_at=dt.datetime.now(dt.UTC),
    )
    client = login_client(employee)
    before = _state(tenant)
    response = client.post(
        _url("time_entry_edit", tenant, entry.pk),
        {"project": projects.site.pk, "time_code": codes.normal.pk, "minutes": "2"},
    )
    assert response.status_code == 422
    assert sv("The day is attested and cannot be changed.") in response.content.decode()
    client.post(_url("time_entry_delete", tenant, entry.pk))
    assert _state(tenant) == before


def _message(response) -> str:
    """The flash message a POST left for the next page (the newest one)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_lock_and_unlock_week_and_day(tenant, employee):
    client = login_client(employee)
    week_url = _url("time_week", tenant) + f"?week={WEEK}"
    response = client.post(
        _url("time_lock", tenant), {"week": WEEK, "next": week_url, "nothing_to_report": "1"}
    )
    assert response.status_code == 302 and response["Location"] == week_url
    assert _message(response) == "Vecka 45 är låst och skickad för attest."
    with tenant_scope(tenant.pk):
        assert DayLock.objects.count() == 7
    response = client.post(_url("time_unlock", tenant), {"date": [DAY]})
    assert _message(response) == "1 dag upplåst."
    with tenant_scope(tenant.pk):
        assert DayLock.objects.count() == 6
    response = client.post(_url("time_unlock", tenant), {"week": WEEK})
    assert _message(response) == "Vecka 45 är upplåst."
    response = client.post(_url("time_lock", tenant), {"date": [DAY], "nothing_to_report": "1"})
    assert _message(response) == "1 dag låst och skickad för attest."
    response = client.post(
        _url("time_lock", tenant), {"date": [DAY], "next": "https://evil.example/", "nothing_to_report": "1"}
    )
    assert response["Location"] == _url("time_week", tenant)
    html = client.get(_url("time_day", tenant, DAY)).content.decode()
    assert 'data-testid="unlock-day"' in html


def test_copy_last_week(tenant, employee, codes, projects):
    _entry(tenant, employee, codes, projects, date=MONDAY - dt.timedelta(days=7), minutes=480)
    response = login_client(employee).post(_url("time_copy_week", tenant), {"week": WEEK})
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.filter(date=MONDAY).count() == 1


def test_month_view_has_totals_and_status_colours(tenant, employee, codes, projects):
    _entry(tenant, employee, codes, projects, date=dt.date(2026, 11, 30), minutes=480)
    _entry(tenant, employee, codes, projects, date=dt.date(2026, 12, 1), minutes=60)
    DayLockFactory(
        membership=membership_of(tenant, employee),
        date=dt.date(2026, 11, 30),
        status=DayStatus.ATTESTED,
        attested_at=dt.datetime.now(dt.UTC),
    )
    response = login_client(employee).get(_url("time_month", tenant) + "?month=2026-11")
    assert response.status_code == 200
    assert response.context["month_total"] == "8:00"  # 1 December belongs to the next month
    html = response.content.decode()
    assert 'class="status-attested" data-testid="cal-2026-11-30"' in html
    assert response.context["counts"]["attested"] == 1


def test_holidays_are_named_on_the_week_month_and_day_pages(tenant, employee, codes, projects):
    # given Christmas week 2026: julafton (Thu), juldagen (Fri) and annandag jul (Sat); an on-call
    # hour reported on juldagen
    _entry(tenant, employee, codes, projects, date=dt.date(2026, 12, 25), minutes=60)
    client = login_client(employee)
    # when the employee opens the week
    response = client.get(_url("time_week", tenant) + "?week=2026-W52")
    # then each holiday is named (in the phone list and in the grid header) and shown as a day off
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Julafton", "Juldagen", "Annandag jul"):
        assert html.count(f'data-testid="holiday">{name}</small>') == 2
    assert 'class="day-card status-open day-off"' in html
    assert 'class="num status-open day-off"' in html
    days = {d.date: d for d in response.context["days"]}
    assert days[dt.date(2026, 12, 25)].holiday == "Juldagen" and days[dt.date(2026, 12, 25)].total == "1:00"
    assert days[dt.date(2026, 12, 21)].holiday is None and not days[dt.date(2026, 12, 21)].is_day_off
    assert days[dt.date(2026, 12, 27)].is_day_off and days[dt.date(2026, 12, 27)].holiday is None
    # and the month calendar names them in their cells, nyårsafton included
    html = client.get(_url("time_month", tenant) + "?month=2026-12").content.decode()
    assert 'data-testid="cal-2026-12-25" title="Juldagen · ' in html
    assert 'data-testid="holiday">Nyårsafton</small>' in html
    assert 'data-testid="holiday">Julafton</small>' in html
    # and the day heading of Långfredagen names it; an ordinary Monday has no label
    html = client.get(_url("time_day", tenant, "2026-04-03")).content.decode()
    assert 'data-testid="holiday">Långfredagen</small></h1>' in html
    assert 'data-testid="holiday"' not in client.get(_url("time_day", tenant, DAY)).content.decode()


# --- (a) other tenant → 404, forged ids → 404 -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("time_week", [], "get"),
        ("time_month", [], "get"),
        ("time_day", [DAY], "get"),
        ("time_day", [DAY], "post"),
        ("time_grid_save", [], "post"),
        ("time_lock", [], "post"),
        ("time_unlock", [], "post"),
        ("time_copy_week", [], "post"),
    ],
)
def test_stranger_gets_404(tenant, everyone, stranger, codes, projects, name, args, method):
    before = _state(tenant)
    data = {"week": WEEK, "kind": "work", "work-project": projects.site.pk, "work-minutes": "1", "date": DAY}
    response = getattr(login_client(stranger), method)(
        _url(name, tenant, *args), data if method == "post" else None
    )
    assert response.status_code == 404
    assert _state(tenant) == before


def test_forged_ids_answer_404(tenant, other_tenant, everyone, employee, owner, stranger, codes, projects):
    # given an entry in another tenant and an entry of another user in the same tenant
    foreign = TimeEntryFactory(membership=membership_of(other_tenant, stranger))
    colleague = _entry(tenant, owner, codes, projects, minutes=60)
    foreign_project = ProjectFactory(tenant=other_tenant)
    foreign_code = TimeCodeFactory(tenant=other_tenant)
    before = _state(tenant)
    client = login_client(employee)
    for entry in (foreign, colleague):
        assert client.get(_url("time_entry_edit", tenant, entry.pk)).status_code == 404
        assert client.post(_url("time_entry_edit", tenant, entry.pk), {"minutes": "1"}).status_code == 404
        assert client.post(_url("time_entry_delete", tenant, entry.pk)).status_code == 404
    # a forged project or time code in a grid row
    for key in (f"{foreign_project.pk}-0-{codes.normal.pk}", f"{projects.site.pk}-0-{foreign_code.pk}"):
        response = client.post(_url("time_grid_save", tenant), {"week": WEEK, f"c_{key}_{DAY}": "1"})
        assert response.status_code == 404
    # a forged project in the day form is not a valid choice
    response = client.post(
        _url("time_day", tenant, DAY),
        {"kind": "work", "work-project": foreign_project.pk, "work-minutes": "1"},
    )
    assert response.status_code == 422
    assert _state(tenant) == before
    assert client.get(_url("time_day", tenant, "2026-13-45")).status_code == 404


# --- (b) authorization matrix -----------------------------------------------------------------------

REPORTERS = {"owner", "attestant", "employee", "basic"}


@pytest.fixture
def basic(tenant, owner):
    return MembershipFactory(tenant=tenant, licence=Licence.BASIC).user


@pytest.mark.parametrize(
    "role", ["owner", "attestant", "employee", "basic", "partner_full", "partner_limited"]
)
def test_authorization_matrix(request, tenant, everyone, basic, codes, projects, role):
    user = basic if role == "basic" else request.getfixturevalue(role)
    client = login_client(user)
    expected = 200 if role in REPORTERS else 403
    for url in (_url("time_week", tenant), _url("time_month", tenant), _url("time_day", tenant, DAY)):
        assert client.get(url).status_code == expected, url
    before = _state(tenant)
    key = f"{projects.internal.pk}-0-{codes.normal.pk}"
    writes = [
        (
            _url("time_day", tenant, DAY),
            {
                "kind": "work",
                "work-project": projects.internal.pk,
                "work-time_code": codes.normal.pk,
                "work-minutes": "1",
            },
        ),
        (
            _url("time_grid_save", tenant),
            {"week": WEEK, f"c_{key}_{(MONDAY + dt.timedelta(days=1)).isoformat()}": "1"},
        ),
        (
            _url("time_lock", tenant),
            {"date": [(MONDAY + dt.timedelta(days=3)).isoformat()], "nothing_to_report": "1"},
        ),
        (_url("time_copy_week", tenant), {"week": WEEK}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code == (302 if role in REPORTERS else 403), url
    if role not in REPORTERS:
        assert _state(tenant) == before
    else:
        with tenant_scope(tenant.pk):
            member = membership_of(tenant, user)
            assert TimeEntry.objects.filter(membership=member).count() == 2
            assert DayLock.objects.filter(membership=member).count() == 1


# --- (c) constant query counts ----------------------------------------------------------------------


def _fill(tenant, employee, codes, n, first_hour=1):
    """`n` entries over the week on three projects, with start/end times that never overlap."""
    member = membership_of(tenant, employee)
    projects = [ProjectFactory(tenant=tenant) for _ in range(3)]
    for i in range(n):
        hour = first_hour + i // 7
        TimeEntryFactory(
            membership=member, date=MONDAY + dt.timedelta(days=i % 7), project=projects[i % 3],
            time_code=codes.normal, minutes=10, start_time=dt.time(hour), end_time=dt.time(hour, 10),
        )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        f"time_week?week={WEEK}",
        "time_month?month=2026-11",
        f"time_day:{DAY}",
        # weeks and months with röda dagar: the holidays are computed, never queried
        "time_week?week=2026-W52",
        "time_month?month=2026-12",
        "time_day:2026-12-25",
    ],
)
def test_query_count_is_constant(tenant, employee, codes, projects, url):
    name, _, query = url.partition("?")
    name, _, arg = name.partition(":")
    path = _url(name, tenant, *([arg] if arg else [])) + (f"?{query}" if query else "")
    client = login_client(employee)
    _fill(tenant, employee, codes, 2)
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY + dt.timedelta(days=2))
    client.get(path)  # warm the session
    few, response = count_queries(lambda: client.get(path))
    assert response.status_code == 200
    _fill(tenant, employee, codes, 28, first_hour=5)
    DayLockFactory(membership=membership_of(tenant, employee), date=MONDAY + dt.timedelta(days=3))
    many, response = count_queries(lambda: client.get(path))
    assert response.status_code == 200
    assert few == many


def test_a_new_company_offers_its_default_codes_and_the_visit_writes_nothing(db):
    # given a company just created (its defaults come with it: issue 7 item 13)
    owner = UserFactory(email="ny@foretag.se")
    tenant = tenant_create(name="Nytt AB", orgnr="556016-0680", owner=owner)
    with tenant_scope(tenant.pk):
        default = TimeCode.objects.get(is_default=True)
        codes = TimeCode.objects.count()
    # when the owner opens a day for the first time
    response = login_client(owner).get(_url("time_day", tenant, DAY))
    # then the default code is offered, and opening the page created nothing
    assert response.status_code == 200
    assert default.name in response.content.decode()
    with tenant_scope(tenant.pk):
        assert TimeCode.objects.count() == codes
