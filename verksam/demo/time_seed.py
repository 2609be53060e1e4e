"""Demo projects and three months of time and absence, relative to today so the demo always looks
current: older weeks attested, last week locked and waiting for the approver, this week open, and a
few days missing — what an approver meets on a Monday morning.

Master data (time codes, absence types, activities) comes from `timecodes_install_defaults`, the
same service a new company gets. Projects are created through the projects service. Work schedules
come from the schedules services (issue 8 item 9): one part-timer at 75 %, everyone else full time;
one employee (Fredrik) puts his overtime in the time bank (KOMPIN, ÖK1) and takes half a day
komp-ledig (KOM). A week of semester is registered through `absence_range_create` (one registration
expanded over the schedule) and a VAB day through `time_entry_create`, by the employees themselves;
older weeks are attested through the approver's service (`attestation.time_attest`), so whatever
attestation records for flex and the time bank is recorded for the demo too. The everyday entries
are written in bulk (a few thousand rows through the services would also write a few thousand audit
rows, which would drown the demo's real audit log); they are built to satisfy every rule the
services enforce, and `test_seed_demo` checks that.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from verksam.attestation import services as attestation_services
from verksam.projects import services as project_services
from verksam.projects.models import PricingType, Project, ProjectKind, ProjectStatus
from verksam.schedules import selectors as schedule_selectors
from verksam.schedules import services as schedule_services
from verksam.schedules.dto import ScheduleHistory
from verksam.schedules.models import ScheduleTemplate
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.models import Membership
from verksam.timecodes.models import AbsenceType, Activity, TimeCode
from verksam.timecodes.services import timecodes_install_defaults
from verksam.timereporting import services as time_services
from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeEntry

WEEKS = 13  # about three months
PART_TIMER = "hanna@byggmastarna.test"  # the apprentice works 75 %: 6 h Monday–Friday
KOMP = "fredrik@byggmastarna.test"  # puts his overtime in the time bank and takes komp-ledig
VAB_PARENT = "elin@byggmastarna.test"
SEMESTER = "fredrik@byggmastarna.test"


def _luhn(digits: str) -> str:
    total = 0
    for i, char in enumerate(digits):
        n = int(char) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def child_personnummer(today: dt.date) -> str:
    """A fictitious, Luhn-valid personnummer of a child of about six, relative to today (a fixed
    number would turn 12 one day and make the demo's VAB day refused)."""
    born = dt.date(today.year - 6, 2, 14)
    body = f"{born:%y%m%d}238"
    return f"{born:%Y%m%d}238{_luhn(body)}"


@dataclass(frozen=True)
class DemoProject:
    number: str
    name: str
    customer: str
    pricing: str
    members: tuple[str, ...] = ()  # e-mails of the people assigned (LIGHT users report only on these)
    kind: str = ProjectKind.PROJECT
    address: tuple[str, str, str] = ("", "", "")
    hourly_rate_kr: int | None = None
    fixed_price_kr: int | None = None
    completed: bool = False
    manager: str = ""  # e-mail of the project manager


PROJECTS: dict[str, tuple[DemoProject, ...]] = {
    "byggmastarna": (
        DemoProject(
            "1001",
            "Tillbyggnad villa Sundberg",
            "Familjen Sundberg",
            PricingType.TIME_AND_MATERIALS,
            ("elin@byggmastarna.test", "gustav@byggmastarna.test", "hanna@byggmastarna.test"),
            address=("Björkvägen 12", "903 42", "Umeå"),
            hourly_rate_kr=595,
            manager="cecilia@byggmastarna.test",
        ),
        DemoProject(
            "1002",
            "Renovering kontor Norrlandsbanken",
            "Norrlandsbanken AB",
            PricingType.FIXED_PRICE,
            ("elin@byggmastarna.test", "fredrik@byggmastarna.test", "gustav@byggmastarna.test"),
            address=("Kungsgatan 40", "903 26", "Umeå"),
            fixed_price_kr=485_000,
            manager="david@byggmastarna.test",
        ),
        DemoProject(
            "1003",
            "Nybyggnad garage Lundgren",
            "Per Lundgren",
            PricingType.TIME_AND_MATERIALS,
            ("fredrik@byggmastarna.test", "hanna@byggmastarna.test"),
            address=("Tallstigen 3", "904 20", "Umeå"),
            hourly_rate_kr=575,
        ),
        DemoProject(
            "1004",
            "Badrumsrenovering BRF Tallen",
            "BRF Tallen",
            PricingType.FIXED_PRICE,
            ("elin@byggmastarna.test",),
            address=("Skolgatan 7", "903 30", "Umeå"),
            fixed_price_kr=168_000,
            completed=True,
        ),
        DemoProject("9001", "Intern tid", "", PricingType.NOT_INVOICED, kind=ProjectKind.INTERNAL),
    ),
    "elfirman": (
        DemoProject(
            "2001",
            "Elinstallation Hyllie Park",
            "Skanska Sverige AB",
            PricingType.TIME_AND_MATERIALS,
            ("kalle@elfirman.test",),
            address=("Hyllie boulevard 20", "215 32", "Malmö"),
            hourly_rate_kr=640,
            manager="jenny@elfirman.test",
        ),
        DemoProject(
            "2002",
            "Serviceavtal ICA Maxi Lorensborg",
            "ICA Maxi Lorensborg",
            PricingType.TIME_AND_MATERIALS,
            ("kalle@elfirman.test",),
            hourly_rate_kr=620,
        ),
        DemoProject("9001", "Intern tid", "", PricingType.NOT_INVOICED, kind=ProjectKind.INTERNAL),
    ),
}


def _ensure_projects(actor: Actor, slug: str, members: dict[str, Membership]) -> dict[str, Project]:
    existing = {p.number: p for p in Project.objects.all()}
    for demo in PROJECTS.get(slug, ()):
        if demo.number in existing:
            continue
        project = project_services.project_create(
            actor=actor,
            number=demo.number,
            name=demo.name,
            kind=demo.kind,
            customer_name=demo.customer,
            manager=members.get(demo.manager),
            pricing_type=demo.pricing,
            hourly_rate_ore=demo.hourly_rate_kr * 100 if demo.hourly_rate_kr else None,
            fixed_price_ore=demo.fixed_price_kr * 100 if demo.fixed_price_kr else None,
            site_address=demo.address[0],
            site_postcode=demo.address[1],
            site_city=demo.address[2],
            start_date=timezone.localdate() - dt.timedelta(weeks=WEEKS + 4),
        )
        for email in demo.members:
            if email in members:
                project_services.project_member_add(actor=actor, project=project, membership=members[email])
        if demo.completed:
            project_services.project_complete(actor=actor, project=project)
        existing[demo.number] = project
    return existing


@dataclass
class _Codes:
    normal: TimeCode
    overtime: TimeCode
    komp_in: TimeCode
    activities: list[Activity]
    absence: dict[str, AbsenceType]  # by PAXml code: SJK, VAB, SEM, KOM


def _codes() -> _Codes:
    time_codes = list(TimeCode.objects.filter(is_active=True))
    normal = next((c for c in time_codes if c.is_default), time_codes[0])
    overtime = next((c for c in time_codes if c.paxml_code == "ÖT1"), normal)
    komp_in = next((c for c in time_codes if c.code == "KOMPIN"), overtime)
    absence = {a.paxml_code: a for a in AbsenceType.objects.filter(is_active=True)}
    return _Codes(normal, overtime, komp_in, list(Activity.objects.filter(is_active=True)), absence)


def _entry(
    tenant_id, membership, day, project, code, activity, start, end, break_minutes, **extra
) -> TimeEntry:
    minutes = (end[0] * 60 + end[1]) - (start[0] * 60 + start[1]) - break_minutes
    invoiceable = (
        0
        if project.kind == ProjectKind.INTERNAL or project.pricing_type == PricingType.NOT_INVOICED
        else minutes
    )
    return TimeEntry(
        tenant_id=tenant_id,
        membership=membership,
        date=day,
        kind=EntryKind.WORK,
        project=project,
        time_code=code,
        activity=activity,
        start_time=dt.time(*start),
        end_time=dt.time(*end),
        break_minutes=break_minutes,
        minutes=minutes,
        invoiceable_minutes=invoiceable,
        created_by=membership.user,
        **extra,
    )


def _absence(tenant_id, membership, day, absence_type: AbsenceType, minutes=480, **extra) -> TimeEntry:
    return TimeEntry(
        tenant_id=tenant_id,
        membership=membership,
        date=day,
        kind=EntryKind.ABSENCE,
        absence_type=absence_type,
        whole_day=minutes >= 480,
        minutes=minutes,
        invoiceable_minutes=0,
        created_by=membership.user,
        **extra,
    )


def _activity(codes: _Codes, code: str) -> Activity | None:
    return next(
        (a for a in codes.activities if a.code == code), codes.activities[0] if codes.activities else None
    )


def _day_entries(
    tenant_id, rng, membership, day, scheduled, projects, codes, internal, absence_plan
) -> list[TimeEntry]:
    """One day's work (or absence) of `membership`, `scheduled` minutes long by their schedule."""
    plan = absence_plan.get((membership.user.email, day))
    if plan in {"VAB", "SEM"}:
        return []  # registered through the services (seed_time)
    if plan == "SJK" and plan in codes.absence:
        return [_absence(tenant_id, membership, day, codes.absence[plan], minutes=scheduled)]
    if not projects:  # office staff: internal time
        admin = _activity(codes, "ADM")
        return [_entry(tenant_id, membership, day, internal, codes.normal, admin, (8, 0), (16, 30), 30)]
    activity = _activity(codes, "ARB")  # the crew's work on site; one grid row per project
    first, second = rng.choice(projects), rng.choice(projects)
    # 07–11, lunch, then the rest of the scheduled day (11:30–16:00 full time, 11:30–14:00 at 75 %)
    end = 11 * 60 + 30 + 30 + (scheduled - 240)
    entries = [
        _entry(tenant_id, membership, day, first, codes.normal, activity, (7, 0), (11, 0), 0,
               comment=rng.choice(["", "Stomme och reglar", "Montering av fönster", "Rivning"])),
        _entry(tenant_id, membership, day, second, codes.normal, activity, (11, 30), divmod(end, 60), 30,
               internal_comment=rng.choice(["", "", "Materialbrist, beställt mer"])),
    ]  # fmt: skip
    komp = membership.user.email == KOMP
    if plan == "KOM" and "KOM" in codes.absence:  # leaves at 12: half a day komp-ledig
        entries = entries[:1] + [_absence(tenant_id, membership, day, codes.absence["KOM"], minutes=240)]
    elif (komp and day.weekday() == 3) or (not komp and rng.random() < 0.12):
        # overtime in the evening: Fredrik's every Thursday goes to his time bank (ÖK1), the
        # others' occasional evening is paid (ÖT1)
        code = codes.komp_in if komp else codes.overtime
        entries.append(
            _entry(
                tenant_id, membership, day, second, code, activity, divmod(end, 60), divmod(end + 120, 60), 0
            )
        )
    return entries


def _absence_plan(today: dt.date, monday0: dt.date) -> dict[tuple[str, dt.date], str]:
    """A few realistic absences: a sick spell, a VAB day, a week of holiday, a half day komp-ledig."""
    plan = {}
    for i in (1, 2):
        plan[("gustav@byggmastarna.test", monday0 + dt.timedelta(weeks=3, days=i))] = "SJK"
    plan[(VAB_PARENT, monday0 + dt.timedelta(weeks=5, days=4))] = "VAB"
    for i in range(7):
        plan[(SEMESTER, monday0 + dt.timedelta(weeks=7, days=i))] = "SEM"
    plan[(KOMP, monday0 + dt.timedelta(weeks=10, days=2))] = "KOM"
    plan[("kalle@elfirman.test", monday0 + dt.timedelta(weeks=4, days=0))] = "SJK"
    return plan


def _ensure_schedules(actor: Actor, members: dict[str, Membership]) -> dict[int, ScheduleHistory]:
    """The part-timer's 75 % schedule (everyone else keeps the company's full-time default), set
    from the date of their first schedule row so it covers the whole demo."""
    part_timer = members.get(PART_TIMER)
    template = ScheduleTemplate.objects.filter(percent=75, is_active=True).first()
    if part_timer is not None and template is not None:
        first = schedule_selectors.work_schedules(membership_id=part_timer.pk).last()
        schedule_services.schedule_template_assign(
            actor=actor,
            template=template,
            memberships=[part_timer],
            valid_from=first.valid_from if first else timezone.localdate(),
        )
    return schedule_selectors.schedule_histories(membership_ids=[m.pk for m in members.values()])


def _register_absence(tenant_id: int, members: dict[str, Membership], codes: _Codes, plan) -> None:
    """The week of semester as one range and the VAB day, registered by the employees themselves."""
    for (email, day), kind in sorted(plan.items(), key=lambda item: item[0][1]):
        member = members.get(email)
        if member is None or kind not in codes.absence:
            continue
        actor = resolve(member.user, member.tenant)
        if actor is None:
            continue
        if kind == "VAB":
            time_services.time_entry_create(
                actor=actor,
                date=day,
                kind=EntryKind.ABSENCE,
                absence_type=codes.absence["VAB"],
                whole_day=True,
                child_personnummer=child_personnummer(timezone.localdate()),
            )
        elif kind == "SEM" and day.weekday() == 0:  # the Monday of the week: one range to Sunday
            time_services.absence_range_create(
                actor=actor,
                absence_type=codes.absence["SEM"],
                start_date=day,
                end_date=day + dt.timedelta(days=6),
                comment="Höstlov med familjen",
            )


def seed_time(actor: Actor, slug: str) -> int:
    """Projects, schedules and three months of time for one demo company; returns the entries
    created (0 if present)."""
    tenant_id = actor.tenant_id
    timecodes_install_defaults(tenant_id=tenant_id)
    members = {m.user.email: m for m in Membership.objects.select_related("user", "approver__user", "tenant")}
    projects = _ensure_projects(actor, slug, members)
    if TimeEntry.objects.exists():
        return 0
    histories = _ensure_schedules(actor, members)
    codes = _codes()
    internal = next(p for p in projects.values() if p.kind == ProjectKind.INTERNAL)
    rng = random.Random(f"verksam-demo-{slug}")  # noqa: S311 - deterministic demo data, not security
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    monday0 = this_monday - dt.timedelta(weeks=WEEKS)
    plan = _absence_plan(today, monday0)
    _register_absence(tenant_id, members, codes, plan)
    entries: list[TimeEntry] = []
    locks: list[DayLock] = []
    to_attest: dict[int, list[dt.date]] = {}
    now = timezone.now()
    for membership in members.values():
        history = histories[membership.pk]
        assigned = [
            p for p in projects.values()
            if p.status == ProjectStatus.ACTIVE and p.kind != ProjectKind.INTERNAL
            and p.assignments.filter(membership=membership).exists()
        ]  # fmt: skip
        for week in range(WEEKS + 1):
            monday = monday0 + dt.timedelta(weeks=week)
            week_days = [monday + dt.timedelta(days=i) for i in range(7)]
            for day in week_days[:5]:
                if day >= today:
                    break
                scheduled = history.minutes_on(day)
                if not scheduled:  # röda dagar and days off: nobody reports Juldagen
                    continue
                # Some days missing: Hanna has not reported the last two days of last week; Gustav
                # has not started on this week.
                last_week = this_monday - dt.timedelta(weeks=1)
                if membership.user.email == "hanna@byggmastarna.test" and day in {
                    last_week + dt.timedelta(days=3),
                    last_week + dt.timedelta(days=4),
                }:
                    continue
                if membership.user.email == "gustav@byggmastarna.test" and day >= this_monday:
                    continue
                entries += _day_entries(
                    tenant_id, rng, membership, day, scheduled, assigned, codes, internal, plan
                )
            age_weeks = (this_monday - monday).days // 7
            if age_weeks >= 2 or (age_weeks == 1 and membership.user.email != "hanna@byggmastarna.test"):
                locks += [
                    DayLock(
                        tenant_id=tenant_id, membership=membership, date=day, status=DayStatus.LOCKED,
                        locked_at=now, locked_by=membership.user,
                    )
                    for day in week_days
                ]  # fmt: skip
                if age_weeks >= 2 and membership.approver is not None:
                    to_attest.setdefault(membership.pk, []).extend(week_days)
    TimeEntry.objects.bulk_create(entries, batch_size=500)
    DayLock.objects.bulk_create(locks, batch_size=500)
    # The approvers attest the older weeks through their service (one call per employee).
    by_pk = {m.pk: m for m in members.values()}
    for membership_id, days in to_attest.items():
        membership = by_pk[membership_id]
        approver = resolve(membership.approver.user, membership.tenant)
        if approver is not None:
            attestation_services.time_attest(actor=approver, membership=membership, dates=days)
    return TimeEntry.objects.count()
