"""Demo projects and three months of time and absence, relative to today so the demo always looks
current: older weeks attested, last week locked and waiting for the approver, this week open, and a
few days missing — what an approver meets on a Monday morning.

Master data (time codes, absence types, activities) comes from `timecodes_install_defaults`, the
same service a new company gets. Projects are created through the projects service. The entries
themselves are written in bulk (a few thousand rows through the services would also write a few
thousand audit rows, which would drown the demo's real audit log); they are built to satisfy every
rule the services enforce, and `test_seed_demo` checks that.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from verksam.core.timeutil import is_workday
from verksam.projects import services as project_services
from verksam.projects.models import PricingType, Project, ProjectKind, ProjectStatus
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.timecodes.models import AbsenceType, Activity, TimeCode
from verksam.timecodes.services import timecodes_install_defaults
from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeEntry

WEEKS = 13  # about three months
CHILD_PNR = "201502142383"  # a fictitious child, Luhn-valid (VAB needs the child's personnummer)


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
    activities: list[Activity]
    absence: dict[str, AbsenceType]  # by PAXml code: SJK, VAB, SEM, KOM


def _codes() -> _Codes:
    time_codes = list(TimeCode.objects.filter(is_active=True))
    normal = next((c for c in time_codes if c.is_default), time_codes[0])
    overtime = next((c for c in time_codes if c.paxml_code == "ÖT1"), normal)
    absence = {a.paxml_code: a for a in AbsenceType.objects.filter(is_active=True)}
    return _Codes(normal, overtime, list(Activity.objects.filter(is_active=True)), absence)


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


def _day_entries(tenant_id, rng, membership, day, projects, codes, internal, absence_plan) -> list[TimeEntry]:
    plan = absence_plan.get((membership.user.email, day))
    if plan in {"SJK", "VAB", "SEM"} and plan in codes.absence:
        extra = {"child_personnummer": CHILD_PNR} if plan == "VAB" else {}
        return [_absence(tenant_id, membership, day, codes.absence[plan], **extra)]
    if not projects:  # office staff: internal time
        admin = _activity(codes, "ADM")
        return [_entry(tenant_id, membership, day, internal, codes.normal, admin, (8, 0), (16, 30), 30)]
    activity = _activity(codes, "ARB")  # the crew's work on site; one grid row per project
    first, second = rng.choice(projects), rng.choice(projects)
    entries = [
        _entry(tenant_id, membership, day, first, codes.normal, activity, (7, 0), (11, 0), 0,
               comment=rng.choice(["", "Stomme och reglar", "Montering av fönster", "Rivning"])),
        _entry(tenant_id, membership, day, second, codes.normal, activity, (11, 30), (16, 0), 30,
               internal_comment=rng.choice(["", "", "Materialbrist, beställt mer"])),
    ]  # fmt: skip
    if plan == "KOM" and "KOM" in codes.absence:  # leaves at 12: half a day komp-ledig
        entries = entries[:1] + [_absence(tenant_id, membership, day, codes.absence["KOM"], minutes=240)]
    elif rng.random() < 0.12:  # occasional overtime in the evening
        entries.append(
            _entry(tenant_id, membership, day, second, codes.overtime, activity, (16, 0), (18, 0), 0)
        )
    return entries


def _absence_plan(today: dt.date, monday0: dt.date) -> dict[tuple[str, dt.date], str]:
    """A few realistic absences: a sick spell, a VAB day, a week of holiday, a half day komp-ledig."""
    plan = {}
    for i in (1, 2):
        plan[("gustav@byggmastarna.test", monday0 + dt.timedelta(weeks=3, days=i))] = "SJK"
    plan[("elin@byggmastarna.test", monday0 + dt.timedelta(weeks=5, days=4))] = "VAB"
    for i in range(5):
        plan[("fredrik@byggmastarna.test", monday0 + dt.timedelta(weeks=7, days=i))] = "SEM"
    plan[("hanna@byggmastarna.test", monday0 + dt.timedelta(weeks=9, days=2))] = "KOM"
    plan[("kalle@elfirman.test", monday0 + dt.timedelta(weeks=4, days=0))] = "SJK"
    return plan


def seed_time(actor: Actor, slug: str) -> int:
    """Projects and three months of time for one demo company; returns the entries created (0 if present)."""
    tenant_id = actor.tenant_id
    timecodes_install_defaults(tenant_id=tenant_id)
    members = {m.user.email: m for m in Membership.objects.select_related("user", "approver__user")}
    projects = _ensure_projects(actor, slug, members)
    if TimeEntry.objects.exists():
        return 0
    codes = _codes()
    internal = next(p for p in projects.values() if p.kind == ProjectKind.INTERNAL)
    rng = random.Random(f"verksam-demo-{slug}")  # noqa: S311 - deterministic demo data, not security
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    monday0 = this_monday - dt.timedelta(weeks=WEEKS)
    plan = _absence_plan(today, monday0)
    entries: list[TimeEntry] = []
    locks: list[DayLock] = []
    now = timezone.now()
    for membership in members.values():
        assigned = [
            p for p in projects.values()
            if p.status == ProjectStatus.ACTIVE and p.kind != ProjectKind.INTERNAL
            and p.assignments.filter(membership=membership).exists()
        ]  # fmt: skip
        for week in range(WEEKS + 1):
            monday = monday0 + dt.timedelta(weeks=week)
            week_days = [monday + dt.timedelta(days=i) for i in range(7)]
            reported = []
            for day in week_days[:5]:
                if day >= today:
                    break
                if not is_workday(day):  # röda dagar: nobody reports Juldagen
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
                entries += _day_entries(tenant_id, rng, membership, day, assigned, codes, internal, plan)
                reported.append(day)
            age_weeks = (this_monday - monday).days // 7
            if age_weeks >= 2 or (age_weeks == 1 and membership.user.email != "hanna@byggmastarna.test"):
                attested = age_weeks >= 2 and membership.approver is not None
                for day in week_days:
                    locks.append(
                        DayLock(
                            tenant_id=tenant_id,
                            membership=membership,
                            date=day,
                            status=DayStatus.ATTESTED if attested else DayStatus.LOCKED,
                            locked_at=now,
                            locked_by=membership.user,
                            attested_at=now if attested else None,
                            attested_by=membership.approver.user if attested else None,
                        )
                    )
    TimeEntry.objects.bulk_create(entries, batch_size=500)
    DayLock.objects.bulk_create(locks, batch_size=500)
    return len(entries)
