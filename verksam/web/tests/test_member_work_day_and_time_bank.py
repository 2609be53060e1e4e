"""The user page (web:member_edit): the link to the user's work schedule (which replaced the normal
working day), and the Tidsbank section where an administrator reads the balance and adjusts it by
hand. With the DESIGN.md trio: other tenant -> 404, authorization matrix, constant query count."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from verksam.audit.models import AuditEvent
from verksam.core.duration import hm, typed_hours
from verksam.tenancy.models import Invitation, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import accept_invitation, count_queries, db_state, membership_of, sv
from verksam.timecodes.models import TimeBankEffect
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import TimeBankAdjustment
from verksam.timereporting.tests.factories import TimeEntryFactory, attest

ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ADMINS = {"owner", "partner_full"}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def _edit_data(m: Membership, **changes) -> dict:
    data = {
        "licence": m.licence,
        "approver": m.approver_id or "",
        "employment_number": m.employment_number,
        "salary_form": m.salary_form,
        "is_active": "on" if m.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _bank_data(**changes) -> dict:
    data = {
        "form": "time_bank",
        "bank-date": "2026-11-20",
        "bank-minutes": "+7,5",
        "bank-reason": "Ingående saldo",
    }
    data.update(changes)
    return data


def _url(tenant, member) -> str:
    return reverse("web:member_edit", args=[tenant.slug, member.pk])


def _adjustments(tenant) -> list[dict]:
    with tenant_scope(tenant.pk):
        return list(TimeBankAdjustment.objects.order_by("pk").values())


def _adjust(tenant, member, minutes, *, by=None, date=TODAY, reason="Justering"):
    with tenant_scope(tenant.pk):  # row-level security on PostgreSQL: write inside the scope
        return TimeBankAdjustment.all_tenants.create(
            tenant=tenant, membership=member, date=date, minutes=minutes, reason=reason, created_by=by
        )


# --- formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"), [(480, "8"), (390, "6,5"), (435, "7,25"), (400, "6:40"), (6, "0,1"), (1440, "24")]
)
def test_working_day_is_shown_as_the_hours_a_swede_types(minutes, text):
    assert typed_hours(minutes) == text


@pytest.mark.parametrize(("minutes", "text"), [(450, "+7:30"), (-150, "−2:30"), (0, "0:00"), (-5, "−0:05")])
def test_time_bank_amounts_are_signed_hours_and_minutes(minutes, text):
    assert hm(minutes, signed=True) == text


# --- work schedule (replaces the normal working day, issue 8 item 1) ------------------------------


def test_list_shows_each_users_schedule_and_the_user_page_links_to_it(tenant, owner, employee):
    from verksam.schedules.models import WorkSchedule

    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        row = WorkSchedule(tenant=tenant, membership=member, valid_from=dt.date(2026, 1, 1), percent=75)
        row.set_weekday_minutes((360, 360, 360, 360, 360, 0, 0))
        row.save()
    client = login_client(owner)
    listing = client.get(reverse("web:members", args=[tenant.slug])).content.decode()
    assert "30:00" in listing and "75 %" in listing and sv("Work schedule") in listing
    page = client.get(_url(tenant, member))
    assert "work_day_minutes" not in page.context["form"].fields
    assert reverse("web:member_schedule", args=[tenant.slug, member.pk]) in page.content.decode()


def test_invite_a_part_timer_with_a_schedule_template(tenant, owner):
    from verksam.schedules.models import ScheduleTemplate, WorkSchedule

    with tenant_scope(tenant.pk):
        template = ScheduleTemplate(tenant=tenant, name="Deltid 75 %", percent=75)
        template.set_weekday_minutes((360, 360, 360, 360, 360, 0, 0))
        template.save()
    client = login_client(owner)
    form = client.get(reverse("web:member_invite", args=[tenant.slug])).context["form"]
    assert "work_day_minutes" not in form.fields
    assert form["schedule_template"].value() is None  # the company's default unless chosen
    response = client.post(
        reverse("web:member_invite", args=[tenant.slug]),
        {"email": "deltid@example.se", "name": "Del Tid", "licence": "LIGHT", "salary_form": "monthly",
         "schedule_template": template.pk},
    )  # fmt: skip
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        invitation = Invitation.objects.get(email="deltid@example.se")
    with time_machine.travel(NOW, tick=False):
        accept_invitation(tenant, invitation)
    with tenant_scope(tenant.pk):
        member = Membership.objects.get(user__email="deltid@example.se")
        row = WorkSchedule.objects.get(membership=member)
    assert (row.valid_from, row.monday_minutes, row.percent, row.template_id) == (TODAY, 360, 75, template.pk)


# --- time bank section ----------------------------------------------------------------------------


def test_time_bank_section_shows_the_balance_with_adjustments(tenant, owner, employee):
    # given an employee with 2 h of overtime into the bank, an opening balance and a payout
    member = membership_of(tenant, employee)
    owner_member = membership_of(tenant, owner)
    overtime = TimeCodeFactory(tenant=tenant, code="OT", name="Övertid", time_bank_effect=TimeBankEffect.ADD)
    TimeEntryFactory(membership=member, date=dt.date(2026, 11, 2), time_code=overtime, minutes=120)
    attest(member, [dt.date(2026, 11, 2)])  # the bank counts attested time only
    _adjust(tenant, member, 450, by=owner, date=dt.date(2026, 1, 1), reason="Ingående saldo")
    _adjust(tenant, member, -150, by=owner, date=dt.date(2026, 10, 31), reason="Utbetalning")
    _adjust(tenant, owner_member, 999, by=owner)  # another user's bank does not count
    # when the owner opens the employee's page
    response = login_client(owner).get(_url(tenant, member))
    # then the balance is 2:00 + 7:30 − 2:30 = +7:00, and both adjustments are listed with who made them
    assert response.status_code == 200
    bank = response.context["time_bank"]
    assert bank["balance_minutes"] == 120 + 450 - 150
    assert bank["balance"] == "+7:00"
    assert [(a.date, a.signed, a.reason) for a in bank["adjustments"]] == [
        (dt.date(2026, 1, 1), "+7:30", "Ingående saldo"),
        (dt.date(2026, 10, 31), "−2:30", "Utbetalning"),
    ]
    content = response.content.decode()
    assert sv("Time bank") in content and "+7:00" in content and "−2:30" in content
    assert "Utbetalning" in content and owner.name in content
    assert bank["form"]["date"].value() == TODAY  # the form suggests today


@pytest.mark.parametrize(("typed", "minutes"), [("+7,5", 450), ("-2:30", -150), ("−1", -60), ("3", 180)])
def test_adjust_the_time_bank(tenant, owner, employee, typed, minutes):
    # given an employee / when the owner adjusts the bank with signed hours and a reason
    member = membership_of(tenant, employee)
    response = login_client(owner).post(_url(tenant, member), _bank_data(**{"bank-minutes": typed}))
    # then the adjustment is stored with its author and audited, and the page is shown again
    assert response.status_code == 302
    assert response["Location"] == _url(tenant, member) + "#tidsbank"
    [row] = _adjustments(tenant)
    assert (row["membership_id"], row["date"], row["minutes"], row["reason"], row["created_by_id"]) == (
        member.pk, TODAY, minutes, "Ingående saldo", owner.pk,
    )  # fmt: skip
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.filter(action="time.bank_adjust").count() == 1
    # and the member's own fields were not touched
    assert membership_of(tenant, employee).employment_number == "17"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bank-minutes": "0"}, "minutes", "The adjustment cannot be zero."),
        ({"bank-minutes": "mycket"}, "minutes", "Type the hours with a sign, like +7,5 or -2:30."),
        ({"bank-minutes": ""}, "minutes", "This field is required."),
        ({"bank-reason": "  "}, "reason", "This field is required."),
        ({"bank-date": "igår"}, "date", "Enter a valid date."),
    ],
)
def test_a_bad_adjustment_re_renders_with_422_in_swedish(tenant, owner, employee, changes, field, message):
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    response = login_client(owner).post(_url(tenant, member), _bank_data(**changes))
    assert response.status_code == 422
    assert response.context["time_bank"]["form"].errors[field] == [sv(message)]
    assert sv(message) in response.content.decode()
    assert not response.context["form"].is_bound  # the user's own form is left alone
    assert _adjustments(tenant) == []
    assert db_state(tenant) == before


# --- (a) another tenant's user and forged ids answer 404 ------------------------------------------


def test_another_tenants_user_gets_404_and_changes_nothing(tenant, employee, stranger):
    member = membership_of(tenant, employee)
    client = login_client(stranger)
    assert client.get(_url(tenant, member)).status_code == 404
    assert client.post(_url(tenant, member), _bank_data()).status_code == 404
    assert _adjustments(tenant) == []


def test_forged_member_id_of_another_tenant_answers_404_and_changes_nothing(tenant, owner, other_tenant):
    # given a membership of other_tenant / when tenant's owner adjusts it through tenant's URL
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get(tenant=other_tenant)
    before = db_state(tenant, other_tenant)
    client = login_client(owner)
    assert client.get(_url(tenant, foreign)).status_code == 404
    assert client.post(_url(tenant, foreign), _bank_data()).status_code == 404
    # then nothing was written in either tenant
    assert _adjustments(tenant) == [] and _adjustments(other_tenant) == []
    assert db_state(tenant, other_tenant) == before


# --- (b) authorization matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_time_bank_matrix(request, tenant, everyone, employee, role):
    # given an employee's page / when each role reads it and adjusts the time bank
    member = membership_of(tenant, employee)
    _adjust(tenant, member, 60)
    before, adjustments = db_state(tenant), _adjustments(tenant)
    client = login_client(request.getfixturevalue(role))
    page = client.get(_url(tenant, member))
    response = client.post(_url(tenant, member), _bank_data())
    # then administrators (Perm.USERS_MANAGE) see the section and adjust; everyone else gets 403
    if role in ADMINS:
        assert page.status_code == 200 and page.context["time_bank"]["balance_minutes"] == 60
        assert response.status_code == 302
        assert [a["minutes"] for a in _adjustments(tenant)] == [60, 450]
    else:
        assert page.status_code == 403 and response.status_code == 403
        assert _adjustments(tenant) == adjustments
        assert db_state(tenant) == before


# --- (c) constant query count -----------------------------------------------------------------------


def test_member_edit_page_query_count_with_2_and_30_adjustments(tenant, owner, employee, attestant):
    member = membership_of(tenant, employee)
    client = login_client(owner)
    url = _url(tenant, member)
    people = [owner, attestant]
    for i in range(2):
        _adjust(tenant, member, 30 * (i + 1), by=people[i % 2])
    client.get(url)  # warm the session
    few, _ = count_queries(lambda: client.get(url))
    for i in range(28):
        _adjust(tenant, member, -(i + 1), by=people[i % 2])
    many, response = count_queries(lambda: client.get(url))
    assert len(response.context["time_bank"]["adjustments"]) == 30
    print(f"web:member_edit queries: 2 rows={few}, 30 rows={many}")
    assert few == many
