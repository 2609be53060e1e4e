"""A deviation period closed after payroll keeps the schedule payroll read: a schedule (or part-time
percentage) set, replaced or removed so that it changes a day of a closed period is refused with 409
`period_closed` — in the service, on the schedule page (Swedish, on the date field, 422) and in the
API — and nothing is written. A change from a day after the period, or after reopening it with a
reason, goes through."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from verksam.attestation import services as attestation
from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict
from verksam.schedules import services
from verksam.schedules.models import ScheduleTemplate, WorkSchedule
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import membership_of, sv

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
FULL = (480, 480, 480, 480, 480, 0, 0)
PART = (360, 360, 360, 360, 360, 0, 0)
JSON = "application/json"
# "today" is Friday 20 November 2026; October 2026 (the calendar month) is closed after payroll
TODAY = dt.datetime(2026, 11, 20, 12, tzinfo=STOCKHOLM)
IN_CLOSED = dt.date(2026, 10, 15)
AFTER = dt.date(2026, 11, 1)


@pytest.fixture
def closed(tenant, owner, employee):
    """The employee works full time from 1 January; October 2026 is closed; returns their membership."""
    with time_machine.travel(TODAY, tick=False), tenant_scope(tenant.pk):
        member = membership_of(tenant, employee)
        WorkSchedule.objects.filter(membership=member).delete()
        actor = resolve(owner, tenant)
        services.work_schedule_set(
            actor=actor, membership=member, valid_from=dt.date(2026, 1, 1), weekday_minutes=FULL, percent=100
        )
        attestation.period_close(actor=actor, period_key="2026-10")
    return member


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(WorkSchedule.objects.order_by("pk").values()),
            AuditEvent.objects.filter(action__startswith="schedule").count(),
        )


def _set(tenant, owner, member, valid_from, minutes=PART, percent=75):
    return services.work_schedule_set(
        actor=resolve(owner, tenant),
        membership=member,
        valid_from=valid_from,
        weekday_minutes=minutes,
        percent=percent,
    )


@pytest.mark.parametrize(
    "valid_from, minutes, percent",
    [
        (IN_CLOSED, PART, 75),  # a new schedule from a day inside the period
        (dt.date(2026, 10, 1), FULL, 80),  # only the part-time percentage, from the period's first day
        (dt.date(2026, 3, 1), PART, 75),  # from before the period: its days change too
        (dt.date(2026, 1, 1), FULL, 80),  # the existing row replaced, only its percentage changed
    ],
)
def test_a_schedule_that_changes_a_closed_period_is_refused(
    tenant, owner, closed, valid_from, minutes, percent
):
    before = _state(tenant)
    with time_machine.travel(TODAY, tick=False), tenant_scope(tenant.pk), pytest.raises(Conflict) as refused:
        _set(tenant, owner, closed, valid_from, minutes, percent)
    assert refused.value.code == "period_closed" and refused.value.extra["period"] == "2026-10"
    assert refused.value.extra["field"] == "valid_from"
    assert "2026-10" in refused.value.message and "öppna perioden igen" in refused.value.message
    assert _state(tenant) == before


def test_a_schedule_after_the_period_or_ending_before_it_goes_through(tenant, owner, closed):
    with time_machine.travel(TODAY, tick=False), tenant_scope(tenant.pk):
        _set(tenant, owner, closed, AFTER)
        # a row from 1 September is followed by another from 1 October: it decides September only…
        WorkSchedule.objects.create(
            tenant=tenant, membership=closed, valid_from=dt.date(2026, 10, 1), monday_minutes=480,
            tuesday_minutes=480, wednesday_minutes=480, thursday_minutes=480, friday_minutes=480,
            week_minutes=2400,
        )  # fmt: skip
        _set(tenant, owner, closed, dt.date(2026, 9, 1))
        # …and replacing the November row again is still after the period
        _set(tenant, owner, closed, AFTER, FULL, 100)
        rows = list(WorkSchedule.objects.filter(membership=closed).order_by("valid_from"))
    assert [r.valid_from.isoformat() for r in rows] == [
        "2026-01-01",
        "2026-09-01",
        "2026-10-01",
        "2026-11-01",
    ]
    assert rows[-1].percent == 100


def test_removing_a_row_whose_days_are_in_a_closed_period_is_refused(tenant, owner, closed):
    with time_machine.travel(TODAY, tick=False), tenant_scope(tenant.pk):
        actor = resolve(owner, tenant)
        november = _set(tenant, owner, closed, AFTER)
        first = WorkSchedule.objects.get(membership=closed, valid_from=dt.date(2026, 1, 1))
        before = _state(tenant)
        with pytest.raises(Conflict) as refused:
            services.work_schedule_delete(actor=actor, schedule=first)
        assert refused.value.code == "period_closed"
        assert _state(tenant) == before
        services.work_schedule_delete(actor=actor, schedule=november)  # after the period: fine
        assert list(WorkSchedule.objects.filter(membership=closed).values_list("pk", flat=True)) == [first.pk]


def test_a_template_given_to_many_is_refused_whole(tenant, owner, attestant, closed):
    with time_machine.travel(TODAY, tick=False), tenant_scope(tenant.pk):
        template = ScheduleTemplate(tenant=tenant, name="Deltid", percent=75)
        template.set_weekday_minutes(PART)
        template.save()
        before = _state(tenant)
        with pytest.raises(Conflict):
            services.schedule_template_assign(
                actor=resolve(owner, tenant),
                template=template,
                memberships=[membership_of(tenant, attestant), closed],
                valid_from=IN_CLOSED,
            )
    assert _state(tenant) == before


def test_after_reopening_with_a_reason_the_schedule_can_change(tenant, owner, closed):
    with time_machine.travel(TODAY, tick=False), tenant_scope(tenant.pk):
        attestation.period_reopen(
            actor=resolve(owner, tenant), period_key="2026-10", reason="Fel schema i oktober"
        )
        row = _set(tenant, owner, closed, IN_CLOSED)
    assert row.valid_from == IN_CLOSED


def _page_data(valid_from):
    data = {"valid_from": valid_from.isoformat(), "percent": "75"}
    return data | {f"{d}_minutes": "6" for d in ("monday", "tuesday", "wednesday", "thursday", "friday")}


def test_the_schedule_page_says_it_in_swedish_and_writes_nothing(tenant, owner, closed):
    client = login_client(owner)
    url = reverse("web:member_schedule", args=[tenant.slug, closed.pk])
    before = _state(tenant)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(url, _page_data(IN_CLOSED))
    assert response.status_code == 422
    page = response.content.decode()
    message = sv(
        "The period %(period)s is closed after payroll, and this schedule would change its scheduled hours. "
        "Give the schedule from a day after the period, or reopen the period, with a reason, first."
    ) % {"period": "2026-10"}
    assert message in page and "stängd" in message
    assert _state(tenant) == before
    with time_machine.travel(TODAY, tick=False):
        assert client.post(url, _page_data(AFTER)).status_code == 302


def test_the_schedule_page_delete_says_it(tenant, owner, closed):
    with tenant_scope(tenant.pk):
        first = WorkSchedule.objects.get(membership=closed)
        WorkSchedule.objects.create(
            tenant=tenant, membership=closed, valid_from=AFTER, monday_minutes=480, week_minutes=480
        )
    url = reverse("web:member_schedule_delete", args=[tenant.slug, closed.pk, first.pk])
    before = _state(tenant)
    with time_machine.travel(TODAY, tick=False):
        response = login_client(owner).post(url, follow=True)
    assert "2026-10" in response.content.decode() and _state(tenant) == before


def test_the_api_answers_409_period_closed(tenant, owner, partner_full, closed):
    url = f"/api/v1/tenants/{tenant.pk}/members/{closed.pk}/schedules"
    body = {"valid_from": IN_CLOSED.isoformat(), "weekday_minutes": list(PART), "percent": 75}
    before = _state(tenant)
    with time_machine.travel(TODAY, tick=False):
        for user in (owner, partner_full):  # the company's admin and its payroll clerk alike
            response = api_client(user).post(url, body, content_type=JSON)
            assert response.status_code == 409, response.content
            assert response.json()["code"] == "period_closed"
            assert response.json()["extra"]["period"] == "2026-10"
        assert _state(tenant) == before
        with tenant_scope(tenant.pk):
            first = WorkSchedule.objects.get(membership=closed)
        response = api_client(owner).delete(f"{url}/{first.pk}")
        assert response.json()["code"] == "last_schedule"  # the only row: refused for that first
        body["valid_from"] = AFTER.isoformat()
        assert api_client(owner).post(url, body, content_type=JSON).status_code == 201
        response = api_client(owner).delete(f"{url}/{first.pk}")
        assert response.status_code == 409 and response.json()["code"] == "period_closed"
