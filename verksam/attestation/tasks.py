"""Background work of attestation (DESIGN.md rule 12: JSON arguments incl. tenant_id, run in the
tenant's scope, idempotent): the e-mail to an employee whose days were rejected, and the reminders
before the deviation period (avvikelseperiod) ends."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from verksam.jobs.services import job_run_for_tenant
from verksam.schedules.selectors import schedule_histories
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_task
from verksam.timecodes.periods import period_for
from verksam.timereporting import selectors as time_selectors

from . import selectors
from .mails import mail_to_member
from .models import Delegation, ReminderKind, ReminderLog

JOB_TIME_REMINDERS = "send_time_reminders"


@task()
def send_time_reminders_job(*, tenant_id: int, today: str) -> dict[str, int] | None:
    """The daily reminders of one tenant as a recorded job run: in its own scope and transaction, a
    failure recorded and retried later (issue 7 item 11); None when it failed or was not due."""
    return job_run_for_tenant(
        job=JOB_TIME_REMINDERS,
        tenant_id=tenant_id,
        run_for=dt.date.fromisoformat(today),
        func=lambda: send_time_reminders.call(tenant_id=tenant_id, today=today),
    )


def _is_reminder_day(today: dt.date, reminder: selectors.AttestationSettings) -> bool:
    period = period_for(today, reminder.period_start_day)
    return 0 <= (period.end - today).days <= reminder.reminder_days_before


@task()
@tenant_task
def send_time_reminders(*, tenant_id: int, today: str | None = None) -> dict[str, int]:
    """From N days before the deviation period ends until its last day, e-mail once a day every
    employee with unlocked workdays up to today (not weekends nor röda dagar) and every approver (or
    their substitute today) with locked days waiting for attestation. A ReminderLog row per person
    and day makes reruns harmless."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    config = selectors.attestation_settings()
    sent = {"employees": 0, "approvers": 0}
    if not config.reminders_enabled or not _is_reminder_day(day, config):
        return sent
    period = period_for(day, config.period_start_day)
    everyone = {m.pk: m for m in Membership.objects.select_related("user", "tenant")}
    members = {pk: m for pk, m in everyone.items() if m.is_active}
    # Reminders go only to someone who can act (issue 8 item 7): an approver or substitute who is
    # active and whose licence allows attestation.
    can_attest = {pk for pk, m in members.items() if m.licence in selectors.APPROVER_LICENCES}
    if not members:
        return sent
    states: dict[int, dict[dt.date, str]] = defaultdict(dict)
    # Every employee's locks, a former one's too: their locked time still waits for the approver.
    locks = time_selectors.day_locks(membership_ids=list(everyone), start=period.start, end=period.end)
    for membership_id, date, status in locks.order_by().values_list("membership_id", "date", "status"):
        states[membership_id][date] = status
    # Only days with time in the employee's work schedule are chased: never weekends, röda dagar or
    # the schedule's days off (a part-timer free on Fridays is not reminded of Fridays).
    histories = schedule_histories(membership_ids=list(members))
    last = min(period.end, day)
    open_days = {
        pk: [
            d
            for d in histories[pk].working_days(
                max(period.start, histories[pk].first_day or period.start), last
            )
            if d not in states[pk]
        ]
        for pk in members
    }
    # Locked days route to the approver, or to the substitutes who stand in for them today.
    substitutes: dict[int, list[int]] = defaultdict(list)
    for approver_id, substitute_id in Delegation.objects.filter(
        start_date__lte=day, end_date__gte=day, revoked_at__isnull=True
    ).values_list("approver_id", "substitute_id"):
        substitutes[approver_id].append(substitute_id)
    waiting: dict[int, list[tuple[Membership, int]]] = defaultdict(list)
    for pk, member in everyone.items():
        locked = sum(1 for s in states[pk].values() if s == selectors.LOCKED)
        if not locked or member.approver_id is None:
            continue
        acting = [a for a in substitutes.get(member.approver_id, []) if a in can_attest]
        for approver_id in acting or [member.approver_id]:
            if approver_id in can_attest and approver_id != pk:
                waiting[approver_id].append((member, locked))
    already = set(ReminderLog.objects.filter(sent_on=day).values_list("membership_id", "kind"))
    tenant = next(iter(members.values())).tenant
    base = {"tenant": tenant, "period": period, "key": period.key}
    for pk, days in open_days.items():
        if days and (pk, ReminderKind.EMPLOYEE) not in already:
            link = settings.SITE_URL + reverse("web:time_week", args=[tenant.slug])
            context = {**base, "user": members[pk].user, "days": days, "link": link}
            sent["employees"] += _send_once(
                members[pk], ReminderKind.EMPLOYEE, day, period.key, "reminder_employee", context
            )
    for pk, rows in waiting.items():
        if (pk, ReminderKind.APPROVER) not in already:
            link = (
                settings.SITE_URL + reverse("web:attest_queue", args=[tenant.slug]) + f"?period={period.key}"
            )
            rows.sort(key=lambda r: r[0].user.name)
            context = {
                **base,
                "user": members[pk].user,
                "employees": [{"name": m.user.name or m.user.email, "days": n} for m, n in rows],
                "total": sum(n for _m, n in rows),
                "link": link,
            }
            sent["approvers"] += _send_once(
                members[pk], ReminderKind.APPROVER, day, period.key, "reminder_approver", context
            )
    return sent


def _send_once(member: Membership, kind: str, day: dt.date, key: str, template: str, context: dict) -> int:
    if not member.user.email:
        return 0
    try:
        with transaction.atomic():
            log = ReminderLog(
                tenant_id=member.tenant_id, membership=member, kind=kind, sent_on=day, period_key=key
            )
            log.save()
            # The mail row commits with the log row; its own task delivers it afterwards and retries
            # a failure with back-off, so one bad address never stops the others (issue 7 item 11).
            mail_to_member(template, context, member, f"reminder_{kind}")
    except IntegrityError:
        return 0  # a concurrent run sent it first
    return 1
