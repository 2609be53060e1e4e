"""seed_demo creates the demo through the services and is idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from verksam.audit.models import AuditEvent
from verksam.billing.selectors import balance_get
from verksam.demo.seed import COMPANIES, DEMO_PASSWORD, GRANTS, demo_slugs
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, Membership, PartnerGrant, PartnerLevel, Tenant, Variant
from verksam.tenancy.scope import dangerously_system_scope, tenant_scope

User = get_user_model()
pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    with dangerously_system_scope("test: count every demo row"):  # row-level security on PostgreSQL
        return {
            "tenants": Tenant.objects.count(),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            "grants": PartnerGrant.objects.count(),
            "audit": AuditEvent.objects.count(),
        }


def test_running_twice_creates_once_and_prints_the_logins_both_times():
    first = run()
    after_first = counts()

    second = run()

    assert counts() == after_first
    assert after_first["tenants"] == 3
    assert after_first["users"] == sum(len(c.people) for c in COMPANIES)
    assert after_first["grants"] == len(GRANTS)
    assert "Demo data created" in first
    assert "nothing changed" in second
    for output in (first, second):
        assert "agnes@byggmastarna.test" in output
        assert "lena@revisionsbyran.test" in output
        assert DEMO_PASSWORD in output


def test_every_tenant_has_an_active_total_user_who_can_log_in():
    run()

    for slug in demo_slugs():
        tenant = Tenant.objects.get(slug=slug)
        with tenant_scope(tenant.pk):
            totals = Membership.objects.filter(is_active=True, licence=Licence.TOTAL).select_related("user")
            assert totals.exists(), slug
            assert all(m.user.check_password(DEMO_PASSWORD) for m in totals)


def test_the_accounting_firm_starts_with_two_free_e_signatures_once():
    run()
    run()

    firm = Tenant.objects.get(slug="revisionsbyran")
    with tenant_scope(firm.pk):
        assert balance_get("E_SIGNATURE") == 2


def test_companies_match_the_spec():
    run()

    bygg = Tenant.objects.get(slug="byggmastarna")
    assert (bygg.name, bygg.variant, bygg.craftsman_mode, bygg.orgnr) == (
        "Byggmästarna i Norr AB",
        Variant.PRO,
        True,
        "5566778899",
    )
    assert Tenant.objects.get(slug="elfirman").variant == Variant.BUSINESS
    assert Tenant.objects.get(slug="revisionsbyran").variant == Variant.PARTNER
    with tenant_scope(bygg.pk):
        members = list(Membership.objects.select_related("user", "approver"))
    assert len(members) == 8
    assert {m.licence for m in members} == set(Licence.values)
    assert all(m.licence != Licence.LIGHT or m.approver is not None for m in members)
    approvers = {m.approver_id for m in members if m.approver_id}
    assert all(m.approver_id for m in members if m.pk not in approvers)
    assert all(m.employment_number for m in members)
    assert {m.salary_form for m in members} == {"hourly", "monthly"}
    assert all(m.user.check_password(DEMO_PASSWORD) for m in members)
    assert any(m.user.personnummer for m in members)


def test_grants_exist_at_full_and_limited_and_let_the_accountants_in():
    run()

    bygg = Tenant.objects.get(slug="byggmastarna")
    el = Tenant.objects.get(slug="elfirman")
    with tenant_scope(bygg.pk):
        levels = set(PartnerGrant.objects.filter(revoked_at__isnull=True).values_list("level", flat=True))
    assert levels == {PartnerLevel.FULL, PartnerLevel.LIMITED}
    lena = User.objects.get(email="lena@revisionsbyran.test")
    martin = User.objects.get(email="martin@revisionsbyran.test")
    assert resolve(lena, bygg).partner_level == PartnerLevel.FULL
    assert resolve(martin, bygg).partner_level == PartnerLevel.LIMITED
    assert resolve(lena, el).partner_level == PartnerLevel.FULL
    assert resolve(martin, el) is None
    assert lena.personnummer and martin.personnummer


def test_a_revoked_grant_is_recreated_but_nothing_else_changes():
    run()
    bygg = Tenant.objects.get(slug="byggmastarna")
    with tenant_scope(bygg.pk):
        PartnerGrant.objects.filter(level=PartnerLevel.LIMITED).update(revoked_at="2026-01-01T00:00:00Z")
    before = counts()

    run()

    assert counts()["grants"] == before["grants"] + 1
    assert counts()["users"] == before["users"]


def test_demo_has_three_months_of_time_partly_attested_partly_locked_some_missing():
    import datetime as dt

    from django.utils import timezone

    from verksam.projects.models import Project
    from verksam.timereporting import services as time_services
    from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeEntry

    run()
    tenant = Tenant.objects.get(slug="byggmastarna")
    today = timezone.localdate()
    with tenant_scope(tenant.pk):
        entries = TimeEntry.objects.select_related("membership__user", "absence_type")
        first = entries.order_by("date").first()
        assert first is not None and (today - first.date).days >= 85  # about three months
        assert Project.objects.filter(kind="internal").exists()
        statuses = set(DayLock.objects.values_list("status", flat=True))
        assert statuses == {DayStatus.ATTESTED, DayStatus.LOCKED}
        # attested days carry what they contributed to flex and the time bank (issue 8)
        attested = DayLock.objects.filter(status=DayStatus.ATTESTED)
        assert not attested.filter(flex_minutes__isnull=True).exists()
        assert attested.filter(scheduled_minutes__gt=0).exists()
        # absence of several kinds, VAB with the child's personnummer
        absences = {e.absence_type.code: e for e in entries.filter(kind=EntryKind.ABSENCE)}
        assert {"SJK", "VAB", "SEM"} <= set(absences)
        assert len(absences["VAB"].child_personnummer) == 12
        # Hanna has not reported the end of last week: missing days for the approver to chase
        last_friday = today - dt.timedelta(days=today.weekday() + 3)
        assert not entries.filter(
            membership__user__email="hanna@byggmastarna.test", date=last_friday
        ).exists()
        # the data satisfies the services' rules: an open entry can be saved again through them
        open_entry = (
            entries.exclude(membership__day_locks__date=models.F("date"))
            .filter(kind=EntryKind.WORK, membership__user__email="hanna@byggmastarna.test")
            .first()
        )
    assert open_entry is not None  # Hanna has not locked last week
    employee = open_entry.membership.user
    with tenant_scope(tenant.pk):
        actor = resolve(employee, tenant)
        time_services.time_entry_update(actor=actor, entry=open_entry, comment="Kontrollerad")


def test_demo_time_is_created_once():
    from verksam.timereporting.models import TimeEntry

    run()
    with dangerously_system_scope("test: count demo entries"):
        before = TimeEntry.objects.count()
    run()
    with dangerously_system_scope("test: count demo entries"):
        assert TimeEntry.objects.count() == before > 1000


def test_demo_time_follows_schedules_with_a_part_timer_komp_a_semester_range_and_vab():
    from django.db.models import Sum

    from verksam.schedules.selectors import schedule_histories
    from verksam.timereporting.absence import VAB_AGE_LIMIT, birthday, child_birth_date
    from verksam.timereporting.models import AbsenceRange, DayLock, DayStatus, EntryKind, TimeEntry

    run()
    tenant = Tenant.objects.get(slug="byggmastarna")
    with tenant_scope(tenant.pk):
        members = {m.user.email: m for m in Membership.objects.select_related("user")}
        histories = schedule_histories(membership_ids=[m.pk for m in members.values()])
        entries = TimeEntry.objects.select_related("time_code", "absence_type")
        # one part-timer at 75 %, everyone else full time; monthly and hourly staff
        percents = {email: histories[m.pk].schedules[-1].percent for email, m in members.items()}
        assert percents.pop("hanna@byggmastarna.test") == 75
        assert set(percents.values()) == {100}
        assert {m.salary_form for m in members.values()} == {"hourly", "monthly"}
        hanna = members["hanna@byggmastarna.test"]
        days = entries.filter(membership=hanna, kind=EntryKind.WORK, time_code__is_default=True)
        per_day = set(days.values("date").annotate(total=Sum("minutes")).values_list("total", flat=True))
        assert per_day == {360}
        # the one with komp: overtime to the time bank (KOMPIN) and a KOM absence
        fredrik = members["fredrik@byggmastarna.test"]
        assert entries.filter(membership=fredrik, time_code__code="KOMPIN").count() >= 8
        assert entries.filter(membership=fredrik, absence_type__paxml_code="KOM").exists()
        assert not entries.filter(time_code__code="KOMPIN").exclude(membership=fredrik).exists()
        # a week of semester as one registration, expanded over the working days
        [semester] = AbsenceRange.objects.select_related("absence_type")
        assert semester.absence_type.paxml_code == "SEM" and semester.membership_id == fredrik.pk
        assert 3 <= semester.entries.count() <= 5
        assert set(semester.entries.values_list("minutes", flat=True)) == {480}
        # a VAB day whose child is under 12 on the day
        vab = entries.get(absence_type__paxml_code="VAB")
        assert vab.date < birthday(child_birth_date(vab.child_personnummer), VAB_AGE_LIMIT)
        # the older weeks were attested by the approvers through the service
        assert DayLock.objects.filter(status=DayStatus.ATTESTED).exists()
        assert AuditEvent.objects.filter(action="time.attest").count() >= 6
        assert AuditEvent.objects.filter(action="time.absence_range_create").count() == 1


def test_the_accounting_firm_shares_folders_a_document_and_messages_with_byggmastarna():
    from verksam.documents.models import Document, Folder
    from verksam.messaging.models import Message

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # once only
    customer = Tenant.objects.get(slug="byggmastarna")
    with tenant_scope(customer.pk):
        assert sorted(Folder.objects.values_list("name", flat=True)) == [
            "Bokslut och deklaration",
            "Underlag från kunden",
        ]
        assert Document.objects.count() == 1
        assert Message.objects.count() == 2


def test_demo_payroll_basis_shows_attested_time_with_employment_numbers():
    """Löneunderlag (issue 9): the period payroll is working on has attested deviations, absence and
    balances for employees who all carry an employment number."""
    from verksam.payroll import selectors as payroll

    run()
    tenant = Tenant.objects.get(slug="byggmastarna")
    with tenant_scope(tenant.pk):
        key = payroll.closing_period_key()
        basis, missing = payroll.basis_and_missing(tenant=tenant, period_key=key)
    assert basis.employees and all(e.employment_number for e in basis.employees)
    assert sum(len(e.time) for e in basis.employees) > 10
    assert any(b.paxml_code == "FLX" for e in basis.employees for b in e.balances)
    assert basis.preliminary == bool(missing)
