"""Flex and the time bank (issue 8 item 2): what each attested day contributed is stored when it is
attested, and the balances are the sum of those plus the bank's adjustments; the factor per time
code; komp-ledig beyond the bank refused (unless allowed); period edges; and the API and pages that
show the balances as of a date, with their permissions, other tenants and query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verksam.attestation import services as attestation_services
from verksam.attestation.selectors import attestation_queue
from verksam.core.errors import DomainError
from verksam.schedules import selectors as schedule_selectors
from verksam.schedules.models import WorkSchedule
from verksam.schedules.services import work_schedule_set
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of
from verksam.timecodes import services as timecode_services
from verksam.timecodes.models import TimeBankEffect, TimeCodeKind, TimeSettings
from verksam.timecodes.periods import period_by_key
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting import balances, services
from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeBankAdjustment, TimeEntry

from .conftest import actor_for
from .factories import TimeEntryFactory, attest

START = dt.date(2026, 10, 5)  # a Monday
STOCKHOLM_NOON = dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def kit(tenant):
    return {
        "norm": TimeCodeFactory(tenant=tenant, code="N", kind=TimeCodeKind.WORKED, paxml_code="TID"),
        "komp": TimeCodeFactory(
            tenant=tenant,
            code="K15",
            kind=TimeCodeKind.OVERTIME,
            paxml_code="ÖK1",
            time_bank_effect=TimeBankEffect.ADD,
            time_bank_factor_pct=150,
        ),
        "ob": TimeCodeFactory(
            tenant=tenant, code="OB", kind=TimeCodeKind.SUPPLEMENT, counts_as_worked=False, paxml_code="OB1"
        ),
        "kom": AbsenceTypeFactory(
            tenant=tenant, code="KOM", paxml_code="KOM", time_bank_effect=TimeBankEffect.SUBTRACT
        ),
        "sem": AbsenceTypeFactory(tenant=tenant, code="SEM", paxml_code="SEM"),
    }


def _entry(member, day, code, minutes):
    if code.__class__.__name__ == "AbsenceType":
        return TimeEntryFactory(
            membership=member,
            date=day,
            kind=EntryKind.ABSENCE,
            project=None,
            time_code=None,
            absence_type=code,
            minutes=minutes,
            invoiceable_minutes=0,
        )
    return TimeEntryFactory(membership=member, date=day, time_code=code, minutes=minutes)


# --- the arithmetic over random schedules and entries -------------------------------------------------

weekdays = st.lists(st.integers(0, 600), min_size=7, max_size=7).filter(lambda w: sum(w) > 0)
reported = st.lists(
    st.tuples(st.integers(0, 41), st.sampled_from(["norm", "komp", "ob", "kom", "sem"]), st.integers(1, 540)),
    max_size=25,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=weekdays,
    second=weekdays,
    percent=st.integers(1, 100),
    change=st.integers(1, 40),
    rows=reported,
    adjustments=st.lists(st.tuples(st.integers(0, 41), st.integers(-600, 600).filter(bool)), max_size=3),
    cut=st.integers(0, 41),
)
def test_the_balance_is_the_sum_of_the_stored_day_contributions(
    tenant, owner, employee, kit, first, second, percent, change, rows, adjustments, cut
):
    member = membership_of(tenant, employee)
    boss = actor_for(tenant, owner)
    with tenant_scope(tenant.pk):
        for model in (TimeEntry, DayLock, TimeBankAdjustment, WorkSchedule):
            model.objects.filter(membership=member).delete()
        # a schedule that changes in the middle of the six weeks
        work_schedule_set(actor=boss, membership=member, valid_from=START, weekday_minutes=first, percent=100)
        work_schedule_set(
            actor=boss,
            membership=member,
            valid_from=START + dt.timedelta(days=change),
            weekday_minutes=second,
            percent=percent,
        )
        for offset, code, minutes in rows:
            _entry(member, START + dt.timedelta(days=offset), kit[code], minutes)
        for offset, minutes in adjustments:
            TimeBankAdjustment.objects.create(
                tenant=tenant,
                membership=member,
                date=START + dt.timedelta(days=offset),
                minutes=minutes,
                reason="x",
            )
    days = [START + dt.timedelta(days=i) for i in range(42)]
    with tenant_scope(tenant.pk):
        live = balances.day_results(membership_ids=[member.pk], start=days[0], end=days[-1])[member.pk]
    locks = attest(member, days)
    as_of = days[cut]
    with tenant_scope(tenant.pk):
        result = balances.balances(membership_ids=[member.pk], as_of=as_of)[member.pk]
        history = schedule_selectors.schedule_history(membership_id=member.pk)
    # each stored contribution is the day's classification
    for lock in locks:
        assert (lock.flex_minutes, lock.bank_minutes) == (
            live[lock.date].flex_minutes,
            live[lock.date].bank_minutes,
        )
        assert lock.scheduled_minutes == history.minutes_on(lock.date)
    # and the balance is their sum up to the date, plus the adjustments
    counted = [lock for lock in locks if lock.date <= as_of]
    assert result.flex_minutes == sum(lock.flex_minutes for lock in counted)
    assert result.bank_minutes == sum(lock.bank_minutes for lock in counted) + sum(
        m for offset, m in adjustments if days[offset] <= as_of
    )
    # flex is worked (ordinary) + absence − scheduled, day by day (monthly salary, the flex rule)
    for lock in counted:
        day_rows = [r for r in rows if days[r[0]] == lock.date]
        ordinary = sum(m for _o, c, m in day_rows if c == "norm")
        absent = sum(m for _o, c, m in day_rows if c in ("kom", "sem"))
        assert lock.flex_minutes == ordinary + absent - history.minutes_on(lock.date)
        komp_in = sum(m for _o, c, m in day_rows if c == "komp") * 150
        komp_out = sum(m for _o, c, m in day_rows if c == "kom") * 100
        assert abs(lock.bank_minutes * 100 - (komp_in - komp_out)) <= 50


# --- factor, adjustments, and attested figures that do not move ------------------------------------


def test_komp_at_one_and_a_half_and_adjustments(tenant, owner, employee, kit):
    member = membership_of(tenant, employee)
    monday = dt.date(2026, 11, 2)
    _entry(member, monday, kit["norm"], 480)
    _entry(member, monday, kit["komp"], 60)  # one hour of overtime to komp at 1.5
    attest(member, [monday])
    with tenant_scope(tenant.pk):
        services.time_bank_adjust(
            actor=actor_for(tenant, owner), membership=member, date=monday, minutes=-30, reason="Utbetalning"
        )
    with tenant_scope(tenant.pk):
        result = balances.balances(membership_ids=[member.pk], as_of=monday)[member.pk]
    assert (result.flex_minutes, result.bank_minutes) == (0, 90 - 30)


def test_changing_a_code_or_a_schedule_after_attestation_does_not_move_the_balance(
    tenant, owner, employee, kit
):
    # given a day with 9 h normal time and 1 h komp at 1.5, attested
    member = membership_of(tenant, employee)
    boss = actor_for(tenant, owner)
    monday = dt.date(2026, 11, 2)
    _entry(member, monday, kit["norm"], 540)
    _entry(member, monday, kit["komp"], 60)
    attest(member, [monday])

    def now():
        with tenant_scope(tenant.pk):
            b = balances.balances(membership_ids=[member.pk], as_of=monday)[member.pk]
        return b.flex_minutes, b.bank_minutes

    assert now() == (60, 90)
    # when the time code's factor and the schedule change afterwards
    with tenant_scope(tenant.pk):
        timecode_services.time_code_update(actor=boss, time_code=kit["komp"], time_bank_factor_pct=200)
        timecode_services.time_code_update(actor=boss, time_code=kit["norm"], kind=TimeCodeKind.NOT_WORKED)
        work_schedule_set(
            actor=boss, membership=member, valid_from=monday, weekday_minutes=(360,) * 5 + (0, 0), percent=75
        )
    # then the attested balance is as it was
    assert now() == (60, 90)
    # and a reopen (deleting the lock) and a new attestation count the day by today's rules
    with tenant_scope(tenant.pk):
        attestation_services.time_reopen(actor=boss, membership=member, dates=[monday], reason="Fel")
    assert now() == (0, 0)
    attest(member, [monday])
    assert now() == (0 - 360, 120)  # restid is not worked: only −6 h of schedule; komp at 2.0


# --- the period edges ---------------------------------------------------------------------------------


def test_period_16th_to_15th_across_new_year_with_a_schedule_change(tenant, owner, attestant, employee, kit):
    # given periods from the 16th, an employee full time until New Year and 75 % from 1 January, who
    # works 8 h on each scheduled day of the period 16 Dec 2026 – 15 Jan 2027, all attested
    timecode_services.timecodes_install_defaults(tenant_id=tenant.pk)
    member = membership_of(tenant, employee)
    boss = actor_for(tenant, owner)
    with tenant_scope(tenant.pk):
        TimeSettings.objects.update(period_start_day=16)
        work_schedule_set(
            actor=boss,
            membership=member,
            valid_from=dt.date(2026, 1, 1),
            weekday_minutes=(480,) * 5 + (0, 0),
            percent=100,
        )
        work_schedule_set(
            actor=boss,
            membership=member,
            valid_from=dt.date(2027, 1, 1),
            weekday_minutes=(360,) * 5 + (0, 0),
            percent=75,
        )
        history = schedule_selectors.schedule_history(membership_id=member.pk)
    period = period_by_key("2027-01", 16)
    assert (period.start, period.end) == (dt.date(2026, 12, 16), dt.date(2027, 1, 15))
    working = history.working_days(period.start, period.end)
    for day in working:
        _entry(member, day, kit["norm"], 480)
    attest(member, period.days)
    # then flex is +2 h per January workday, none in December (röda dagar count 0 and had no time)
    january = [d for d in working if d.year == 2027]
    assert dt.date(2026, 12, 24) not in working and dt.date(2027, 1, 6) not in working
    with time_machine.travel(STOCKHOLM_NOON, tick=False), tenant_scope(tenant.pk):
        row = attestation_queue(actor=actor_for(tenant, attestant), period=period)[0]
        december = attestation_queue(
            actor=actor_for(tenant, attestant), period=period, as_of=dt.date(2026, 12, 31)
        )[0]
    assert row.flex_minutes == 120 * len(january)
    assert december.flex_minutes == 0


# --- komp-ledig beyond the bank -----------------------------------------------------------------------


def test_komp_ledig_beyond_the_bank_is_refused_with_a_swedish_message(tenant, owner, employee, kit):
    # given a bank of 1 h (an opening balance)
    member = membership_of(tenant, employee)
    me = actor_for(tenant, employee)
    with tenant_scope(tenant.pk):
        services.time_bank_adjust(
            actor=actor_for(tenant, owner),
            membership=member,
            date=dt.date(2026, 1, 1),
            minutes=60,
            reason="IB",
        )
    # when the employee takes 2 h komp-ledig
    with tenant_scope(tenant.pk), translation.override("sv"):
        with pytest.raises(DomainError) as refused:
            services.time_entry_create(
                actor=me,
                date=dt.date(2026, 11, 2),
                kind=EntryKind.ABSENCE,
                absence_type=kit["kom"],
                minutes=120,
            )
        # then it is refused, with the balance in the message, and nothing is written
        assert refused.value.code == "time_bank_exceeded"
        assert "Tidsbanken har 1:00 h" in refused.value.message and "1:00" in refused.value.message
        assert refused.value.extra["balance_minutes"] == 60
        assert not TimeEntry.objects.exists()
        # one hour fits
        services.time_entry_create(
            actor=me, date=dt.date(2026, 11, 2), kind=EntryKind.ABSENCE, absence_type=kit["kom"], minutes=60
        )
        # and unattested komp-ledig already registered counts too: the next hour is refused
        with pytest.raises(DomainError):
            services.time_entry_create(
                actor=me,
                date=dt.date(2026, 11, 3),
                kind=EntryKind.ABSENCE,
                absence_type=kit["kom"],
                minutes=30,
            )
        # unless the company allows a negative balance
        TimeSettings.objects.update_or_create(tenant=tenant, defaults={"allow_negative_time_bank": True})
        services.time_entry_create(
            actor=me, date=dt.date(2026, 11, 3), kind=EntryKind.ABSENCE, absence_type=kit["kom"], minutes=30
        )


def test_the_api_refuses_komp_ledig_beyond_the_bank(tenant, employee, kit):
    response = api_client(employee).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries",
        {"date": "2026-11-02", "kind": "absence", "absence_type_id": kit["kom"].pk, "minutes": 60},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["code"] == "time_bank_exceeded" and "tidsbank" in body["message"].lower()


def test_the_negative_balance_setting_is_on_the_settings_page_and_in_the_api(tenant, owner):
    timecode_services.timecodes_install_defaults(tenant_id=tenant.pk)
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/time-settings"
    body = client.patch(
        url, {"allow_negative_time_bank": True, "excess_time_rule": "paid"}, content_type="application/json"
    ).json()
    assert (body["allow_negative_time_bank"], body["excess_time_rule"]) == (True, "paid")
    page = login_client(owner).get(reverse("web:timecodes_settings", args=[tenant.slug]))
    assert 'name="ps-allow_negative_time_bank"' in page.content.decode()
    bad = client.patch(url, {"excess_time_rule": "nope"}, content_type="application/json")
    assert bad.json()["code"] == "invalid_excess_time_rule"


# --- API and pages ------------------------------------------------------------------------------------


def _attested_week(tenant, employee, kit):
    member = membership_of(tenant, employee)
    monday = dt.date(2026, 11, 2)
    for i in range(5):
        _entry(member, monday + dt.timedelta(days=i), kit["norm"], 510)  # +30 min flex a day
    _entry(member, monday, kit["komp"], 60)
    _entry(member, monday, kit["ob"], 120)
    attest(member, [monday + dt.timedelta(days=i) for i in range(4)])  # Friday is not attested
    return member


def test_own_balances_in_the_api_as_of_a_date_with_the_preview(tenant, employee, kit):
    _attested_week(tenant, employee, kit)
    client = api_client(employee)
    body = client.get(f"/api/v1/tenants/{tenant.pk}/time/balances?date=2026-11-06").json()
    assert (body["flex_minutes"], body["bank_minutes"]) == (4 * 30, 90)
    assert (body["unattested_flex_minutes"], body["unattested_bank_minutes"]) == (30, 0)
    assert [d["attested"] for d in body["days"]] == [True] * 4 + [False]
    early = client.get(f"/api/v1/tenants/{tenant.pk}/time/balances?date=2026-11-03").json()
    assert (early["flex_minutes"], early["bank_minutes"]) == (60, 90)


def test_approver_reads_their_employees_balances_and_others_are_refused(
    tenant, owner, attestant, employee, partner_full, partner_limited, other_tenant, kit
):
    member = _attested_week(tenant, employee, kit)
    url = f"/api/v1/tenants/{tenant.pk}/members/{member.pk}/balances?date=2026-11-30"
    for user in (attestant, owner, partner_full):
        body = api_client(user).get(url).json()
        assert (body["flex_minutes"], body["bank_minutes"]) == (4 * 30, 90), user
    # an approver of other people, the employee for a colleague, a LIMITED partner: 403
    other_approver = MembershipFactory(
        tenant=tenant, user=UserFactory(email="x@s.se"), licence=Licence.STANDARD
    )
    colleague = MembershipFactory(tenant=tenant, user=UserFactory(email="c@s.se"), licence=Licence.LIGHT)
    assert api_client(other_approver.user).get(url).status_code == 403
    assert api_client(partner_limited).get(url).status_code == 403
    colleague_url = f"/api/v1/tenants/{tenant.pk}/members/{colleague.pk}/balances"
    assert api_client(employee).get(colleague_url).status_code == 403
    # another tenant's member answers 404, like a missing one
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get()
    for member_id in (foreign.pk, 999999):
        response = api_client(owner).get(f"/api/v1/tenants/{tenant.pk}/members/{member_id}/balances")
        assert response.status_code == 404


def test_pages_show_flex_bank_and_payroll_codes(tenant, attestant, employee, kit):
    member = _attested_week(tenant, employee, kit)
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False):
        queue = login_client(attestant).get(
            reverse("web:attest_queue", args=[tenant.slug]) + "?period=2026-11"
        )
        detail = login_client(attestant).get(
            reverse("web:attest_employee", args=[tenant.slug, member.pk]) + "?period=2026-11"
        )
        week = login_client(employee).get(reverse("web:time_week", args=[tenant.slug]) + "?week=2026-W45")
    html = queue.content.decode()
    assert 'data-testid="flex" data-minutes="120"' in html and 'data-minutes="90"' in html
    page = detail.content.decode()
    codes = {c.paxml_code: c.minutes for c in detail.context["detail"].payroll_codes}
    # monthly staff: TID within schedule, ÖK1 komp, OB1 on top of the worked hours
    assert codes == {"TID": 5 * 510, "ÖK1": 60, "OB1": 120}
    assert 'data-testid="payroll-codes"' in page and 'data-testid="balance-flex" data-minutes="120"' in page
    assert week.context["flex"] == 120 and week.context["balance"] == 90
    assert week.context["flex_preview"] == 30


def test_other_tenants_member_page_answers_404(tenant, other_tenant, owner):
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get()
    response = login_client(owner).get(reverse("web:attest_employee", args=[tenant.slug, foreign.pk]))
    assert response.status_code == 404


# --- constant query count: the queue for many employees × 12 months -----------------------------------


def test_queue_balances_cost_the_same_for_2_and_30_employees_over_a_year(tenant, attestant):
    approver = membership_of(tenant, attestant)
    period = period_by_key("2026-12", 1)

    def team(n, prefix):
        people = [
            MembershipFactory(
                tenant=tenant,
                user=UserFactory(email=f"{prefix}{i}@s.se"),
                licence=Licence.LIGHT,
                approver=approver,
            )
            for i in range(n)
        ]
        with tenant_scope(tenant.pk):
            DayLock.objects.bulk_create(
                DayLock(
                    tenant=tenant,
                    membership=p,
                    date=dt.date(2026, 1, 1) + dt.timedelta(days=d),
                    status=DayStatus.ATTESTED,
                    attested_at=STOCKHOLM_NOON,
                    scheduled_minutes=480,
                    worked_minutes=500,
                    flex_minutes=20,
                    bank_minutes=0,
                )
                for p in people
                for d in range(0, 365, 3)
            )
        return people

    who = actor_for(tenant, attestant)
    first = team(2, "a")
    with tenant_scope(tenant.pk):
        small, rows = count_queries(lambda: attestation_queue(actor=who, period=period))
    second = team(30, "b")
    with tenant_scope(tenant.pk):
        large, rows = count_queries(lambda: attestation_queue(actor=who, period=period))
    assert small == large
    team_ids = {p.pk for p in first + second}
    assert {r.flex_minutes for r in rows if r.member_id in team_ids} == {20 * 122}
    assert len([r for r in rows if r.member_id in team_ids]) == 32


# --- kinds of time and the factor in the master data ------------------------------------------------


def test_time_code_kind_and_factor_through_the_api(tenant, owner):
    timecode_services.timecodes_install_defaults(tenant_id=tenant.pk)
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/time-codes"
    body = {"code": "OK2", "name": "Övertid till komp (2,0)", "kind": "overtime", "paxml_code": "ÖK2",
            "time_bank_effect": "add", "time_bank_factor_pct": 200}  # fmt: skip
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    out = created.json()
    assert (out["kind"], out["time_bank_factor_pct"], out["counts_as_worked"]) == ("overtime", 200, True)
    # a supplement cannot move the bank, and the factor has bounds: clear errors, nothing written
    bad = client.patch(f"{url}/{out['id']}", {"kind": "supplement"}, content_type="application/json").json()
    assert bad["code"] == "supplement_time_bank"
    assert (
        client.patch(
            f"{url}/{out['id']}", {"time_bank_factor_pct": 0}, content_type="application/json"
        ).json()["code"]
        == "invalid_time_bank_factor"
    )
    # older clients that send only counts_as_worked still get a consistent kind
    older = client.post(
        url, {"code": "RES2", "name": "Restid 2", "counts_as_worked": False}, content_type="application/json"
    ).json()
    assert (older["kind"], older["counts_as_worked"]) == ("not_worked", False)


def test_time_code_form_takes_the_factor_as_people_write_it(tenant, owner):
    timecode_services.timecodes_install_defaults(tenant_id=tenant.pk)
    data = {"tc-code": "OK15", "tc-name": "Komp 1,5", "tc-paxml_code": "ÖK1", "tc-kind": "overtime"}
    data |= {"tc-time_bank_effect": "add", "tc-time_bank_factor_pct": "1,5", "tc-sort_order": "90"}
    response = login_client(owner).post(reverse("web:timecodes_time_code_create", args=[tenant.slug]), data)
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        from verksam.timecodes.models import TimeCode

        code = TimeCode.objects.get(code="OK15")
    assert (code.kind, code.time_bank_factor_pct, code.time_bank_factor) == ("overtime", 150, "1.5")
    page = login_client(owner).get(reverse("web:timecodes_settings", args=[tenant.slug])).content.decode()
    assert 'data-testid="time-bank-factor">1.5<' in page


def test_a_supplement_lies_on_top_of_the_worked_hours(tenant, employee, projects, kit):
    # given 8 h 16:00–24:00 of normal time, OB for the same evening hours is accepted (not an overlap,
    # not more than the day's 24 h)
    me = actor_for(tenant, employee)
    with tenant_scope(tenant.pk):
        common = {"actor": me, "date": dt.date(2026, 11, 2), "project": projects.site}
        services.time_entry_create(
            **common, time_code=kit["norm"], start_time=dt.time(8), end_time=dt.time(23)
        )
        services.time_entry_create(
            **common, time_code=kit["ob"], start_time=dt.time(18), end_time=dt.time(23)
        )
        services.time_entry_create(**common, time_code=kit["ob"], minutes=600)
        # but worked time still may not overlap worked time
        with pytest.raises(DomainError) as refused:
            services.time_entry_create(
                **common, time_code=kit["norm"], start_time=dt.time(22), end_time=dt.time(23, 30)
            )
        assert refused.value.code == "overlap"


def test_komp_ledig_below_zero_when_allowed_is_saved_with_a_warning(tenant, employee, kit):
    # given a company that allows a negative time bank, and an empty bank
    with tenant_scope(tenant.pk):
        TimeSettings.objects.update_or_create(tenant=tenant, defaults={"allow_negative_time_bank": True})
    url = reverse("web:time_day", args=[tenant.slug, "2026-11-02"])
    # when the employee registers 2 h komp-ledig on the day page
    response = login_client(employee).post(
        url, {"kind": "absence", "absence-absence_type": kit["kom"].pk, "absence-minutes": "2"}, follow=True
    )
    # then it is saved, and the page warns that the bank is below zero
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("−2:00" in t for t in texts), texts


def test_the_api_saves_komp_ledig_below_zero_when_allowed_and_says_so(tenant, employee, kit):
    # given a company that allows a negative time bank, and an empty bank
    with tenant_scope(tenant.pk):
        TimeSettings.objects.update_or_create(tenant=tenant, defaults={"allow_negative_time_bank": True})
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    # when the phone registers 1 h komp-ledig
    response = client.post(
        url,
        {"date": "2026-11-02", "kind": "absence", "absence_type_id": kit["kom"].pk, "minutes": 60},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    # then it is saved with the warning and the balance, as the day page says it
    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert warning["code"] == "time_bank_negative" and warning["extra"] == {"balance_minutes": -60}
    assert "under noll" in warning["message"]
    # and a change that keeps it below zero says so again; the list carries no warnings
    entry_id = response.json()["id"]
    changed = client.patch(f"{url}/{entry_id}", {"minutes": 90}, content_type="application/json")
    assert changed.json()["warnings"][0]["extra"] == {"balance_minutes": -90}
    listed = client.get(f"{url}?from=2026-11-02&to=2026-11-02").json()
    assert listed["items"][0]["warnings"] == []


@pytest.mark.django_db(transaction=True)
def test_the_warning_of_komp_ledig_is_read_before_the_create_commits(tenant, employee, kit):
    """Committed for real (on PostgreSQL the create's INSERT may commit in its own write, issue 13):
    an entry that draws the bank keeps its COMMIT apart, so its warning reads the balance in the
    request's transaction."""
    with tenant_scope(tenant.pk):
        TimeSettings.objects.update_or_create(tenant=tenant, defaults={"allow_negative_time_bank": True})
    response = api_client(employee).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries",
        {"date": "2026-11-02", "kind": "absence", "absence_type_id": kit["kom"].pk, "minutes": 60},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    [warning] = response.json()["warnings"]
    assert warning["extra"] == {"balance_minutes": -60}


def test_the_data_migration_stores_what_already_attested_days_contributed(tenant, employee, kit):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("verksam.timereporting.migrations.0005_flex_and_kinds")
    # given days attested before the contributions were stored (as the migration finds them)
    member = membership_of(tenant, employee)
    monday = dt.date(2026, 11, 2)
    _entry(member, monday, kit["norm"], 540)
    _entry(member, monday, kit["komp"], 60)
    _entry(member, monday + dt.timedelta(days=1), kit["kom"], 480)
    with tenant_scope(tenant.pk):
        for day in (monday, monday + dt.timedelta(days=1)):
            DayLock.objects.create(
                tenant=tenant,
                membership=member,
                date=day,
                status=DayStatus.ATTESTED,
                attested_at=STOCKHOLM_NOON,
            )
        DayLock.objects.create(tenant=tenant, membership=member, date=monday + dt.timedelta(days=2))
    # when the migration runs
    migration.store(apps, SimpleNamespace(connection=connection))
    # then each attested day has its figures, the locked day none, and the balances read them
    with tenant_scope(tenant.pk):
        stored = {
            lock.date: (lock.scheduled_minutes, lock.worked_minutes, lock.flex_minutes, lock.bank_minutes)
            for lock in DayLock.objects.filter(membership=member)
        }
        result = balances.balances(membership_ids=[member.pk], as_of=monday + dt.timedelta(days=6))[member.pk]
    assert stored == {
        monday: (480, 600, 60, 90),
        monday + dt.timedelta(days=1): (480, 0, 0, -480),
        monday + dt.timedelta(days=2): (None, None, None, None),
    }
    assert (result.flex_minutes, result.bank_minutes) == (60, 90 - 480)
