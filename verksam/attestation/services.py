"""Writes of attestation: attest, reject, reopen and bulk-attest reported time, and delegations.

This module decides WHO may change a day's state (see selectors.py for the rule); the state change
itself and its audit row are `verksam.timereporting.services`' (locked_days_attest, …).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core import bounds
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.tenancy import services as tenancy_services
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors as time_selectors
from verksam.timereporting import services as time_services

from . import selectors
from .mails import rejection_mail_send, reopen_mail_send
from .models import Delegation, PeriodClose
from .selectors import ATTESTED, LOCKED, Route


def approver_route(actor: Actor, membership: Membership, *, own: Forbidden | None = None) -> Route:
    """How the actor may attest `membership` (as their approver or the approver's substitute), or
    refused; `own` words the refusal of one's own for what is attested (time by default)."""
    actor.require(Perm.TIME_ATTEST)
    if membership.tenant_id != actor.tenant_id:
        raise NotFound(_("The employee does not exist."))
    if selectors.is_own(actor, membership) and not actor.has(Perm.TIME_ATTEST_OWN):
        raise own or Forbidden(_("You cannot attest your own time."), code="own_time")
    route = selectors.attest_route(actor=actor, membership=membership)
    if route is None:
        raise Forbidden(
            _("You are not the approver of this employee, nor their approver's substitute."),
            code="not_approver",
        )
    return route


@transaction.atomic
def time_attest(*, actor: Actor, membership: Membership, dates: Iterable[dt.date]) -> int:
    """Attest the employee's locked days: as their approver, the approver's substitute (recorded on
    the approver's behalf) or with TIME_ATTEST_ALL; never one's own without TIME_ATTEST_OWN."""
    route = approver_route(actor, membership)
    count = time_services.locked_days_attest(
        actor=actor, membership=membership, dates=dates, on_behalf_of=route.on_behalf_of
    )
    if not count:
        raise DomainError(
            _("None of the chosen days is locked and waiting for attestation."), code="not_locked"
        )
    return count


@transaction.atomic
def time_reject(*, actor: Actor, membership: Membership, dates: Iterable[dt.date], comment: str) -> int:
    """Send locked days back to the employee with a comment (they become open again) and e-mail them."""
    approver_route(actor, membership)
    chosen = set(dates)
    states = (
        time_selectors.day_status_map(membership_id=membership.pk, start=min(chosen), end=max(chosen))
        if chosen
        else {}
    )
    count = time_services.locked_days_reject(
        actor=actor, membership=membership, dates=chosen, comment=comment
    )
    if not count:
        raise DomainError(
            _("None of the chosen days is locked and waiting for attestation."), code="not_locked"
        )
    # Queued in this transaction, sent by its own task after commit (issue 7 item 11).
    rejection_mail_send(
        membership=membership,
        dates=sorted(d for d in chosen if states.get(d) == LOCKED),
        comment=comment.strip(),
        rejected_by=str(getattr(actor.user, "name", "") or actor.user),
    )
    return count


@transaction.atomic
def time_reopen(*, actor: Actor, membership: Membership, dates: Iterable[dt.date], reason: str) -> int:
    """Reopen attested days (TIME_REOPEN: TOTAL, partner FULL) with a reason kept in the audit log."""
    actor.require(Perm.TIME_REOPEN)
    if membership.tenant_id != actor.tenant_id:
        raise NotFound(_("The employee does not exist."))
    if selectors.is_own(actor, membership) and not actor.has(Perm.TIME_ATTEST_OWN):
        raise Forbidden(_("You cannot reopen your own attested time."), code="own_time")
    chosen = set(dates)
    states = (
        time_selectors.day_status_map(membership_id=membership.pk, start=min(chosen), end=max(chosen))
        if chosen
        else {}
    )
    count = time_services.attested_days_reopen(
        actor=actor, membership=membership, dates=chosen, reason=reason
    )
    # The employee is told, after commit, that attested time was reopened (issue 8 item 6).
    reopen_mail_send(
        membership=membership,
        dates=sorted(d for d in chosen if states.get(d) == ATTESTED),
        reason=reason.strip(),
        reopened_by=str(actor.user),
    )
    return count


@transaction.atomic
def time_attest_bulk(
    *,
    actor: Actor,
    period_key: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    membership_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """Attest every locked day in the period of every employee the actor may attest, in one
    transaction and a constant number of queries; days already attested stay as they are."""
    actor.require(Perm.TIME_ATTEST)
    if period_key:
        settings = selectors.attestation_settings()
        period = selectors.period_get(period_key, start_day=settings.period_start_day)
        if period is None:
            raise DomainError(_("Unknown period."), code="invalid_period", extra={"field": "period"})
        start, end = period.start, period.end
    if start is None or end is None or end < start:
        raise DomainError(_("Choose a period."), code="invalid_period", extra={"field": "period"})
    # inactive employees too: their locked time still waits for attestation (issue 8 item 7)
    routes = {r.membership.pk: r for r in selectors.attestable_members(actor=actor, active_only=False)}
    if membership_ids is not None:
        wanted = set(membership_ids)
        known = set(Membership.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if known != wanted:
            raise NotFound(_("The employee does not exist."))
        if wanted - set(routes):
            raise Forbidden(
                _("You are not the approver of this employee, nor their approver's substitute."),
                code="not_approver",
            )
        routes = {pk: r for pk, r in routes.items() if pk in wanted}
    locks = time_selectors.day_locks(membership_ids=list(routes), start=start, end=end).filter(status=LOCKED)
    pending = list(locks.select_for_update().order_by().values_list("membership_id", "date"))
    dates: dict[int, list[str]] = defaultdict(list)
    for membership_id, day in sorted(pending):
        dates[membership_id].append(day.isoformat())
    # One UPDATE per "on behalf of" approver (almost always one), not one per employee or day.
    groups: dict[int | None, list[int]] = defaultdict(list)
    for membership_id in dates:
        behalf = routes[membership_id].on_behalf_of
        groups[behalf.pk if behalf else None].append(membership_id)
    for behalf_id, ids in groups.items():
        time_services.locked_days_attest_many(
            actor=actor, membership_ids=ids, start=start, end=end, on_behalf_of_id=behalf_id
        )
    result = {"employees": len(dates), "days": len(pending)}
    if pending:
        record(
            actor=actor,
            action="time.attest_bulk",
            data={
                "start": start.isoformat(),
                "end": end.isoformat(),
                **result,
                "dates": {str(pk): days for pk, days in dates.items()},
                "on_behalf_of": {
                    str(pk): behalf_id for behalf_id, ids in groups.items() if behalf_id for pk in ids
                },
            },
        )
    return result


# --- delegation ------------------------------------------------------------------------------------


def _may_approve(membership: Membership) -> bool:
    return membership.licence in selectors.APPROVER_LICENCES and membership.is_active


@transaction.atomic
def delegation_create(
    *,
    actor: Actor,
    substitute: Membership,
    start_date: dt.date,
    end_date: dt.date,
    approver: Membership | None = None,
) -> Delegation:
    """Name a substitute who attests for an approver from `start_date` to `end_date`: an approver for
    themselves; a holder of TIME_ATTEST_ALL for any approver."""
    actor.require(Perm.TIME_ATTEST)
    if approver is None:
        if actor.membership is None:
            raise DomainError(
                _("Choose the approver."), code="approver_required", extra={"field": "approver"}
            )
        approver = actor.membership
    elif not selectors.is_own(actor, approver):
        actor.require(Perm.TIME_ATTEST_ALL)
    for member in (approver, substitute):
        if member.tenant_id != actor.tenant_id:
            raise NotFound(_("The user does not exist."))
    if not _may_approve(approver):
        raise DomainError(
            _("Only an active user with the STANDARD or TOTAL licence can be an approver."),
            code="not_approver",
            extra={"field": "approver"},
        )
    if not _may_approve(substitute):
        raise DomainError(
            _("The substitute must be an active user with the STANDARD or TOTAL licence."),
            code="invalid_substitute",
            extra={"field": "substitute"},
        )
    if substitute.pk == approver.pk:
        raise DomainError(
            _("You cannot be your own substitute."), code="own_substitute", extra={"field": "substitute"}
        )
    if end_date < start_date:
        raise DomainError(
            _("The end date cannot be before the start date."),
            code="end_before_start",
            extra={"field": "end_date"},
        )
    if end_date < timezone.localdate():
        raise DomainError(
            _("The delegation cannot end in the past."), code="ended", extra={"field": "end_date"}
        )
    bounds.check_business_date(start_date, field="start_date")
    bounds.check_business_date(end_date, field="end_date")
    if (end_date - start_date).days >= bounds.MAX_DELEGATION_DAYS:
        raise DomainError(
            _("A delegation can last at most a year."),
            code="delegation_too_long",
            extra={"field": "end_date"},
        )
    delegation = Delegation(
        tenant_id=actor.tenant_id,
        approver=approver,
        substitute=substitute,
        start_date=start_date,
        end_date=end_date,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    delegation.full_clean()
    delegation.save()
    record(
        actor=actor,
        action="delegation.create",
        target=delegation,
        label=f"{approver.user} → {substitute.user}",
        data={
            "approver": approver.pk,
            "substitute": substitute.pk,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Actor, delegation: Delegation) -> Delegation:
    """End a delegation at once: the approver who gave it, or a holder of TIME_ATTEST_ALL."""
    actor.require(Perm.TIME_ATTEST)
    if delegation.tenant_id != actor.tenant_id:
        raise NotFound(_("The delegation does not exist."))
    own_pk = getattr(actor.membership, "pk", None)
    if delegation.approver_id != own_pk and not actor.has(Perm.TIME_ATTEST_ALL):
        raise Forbidden(_("Only the approver who named the substitute can revoke it."), code="not_yours")
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.revoked_at is not None:
        raise Conflict(_("The delegation has already been revoked."), code="already_revoked")
    delegation.revoked_at = timezone.now()
    delegation.full_clean()
    delegation.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="delegation.revoke",
        target=delegation,
        label=f"{delegation.approver.user} → {delegation.substitute.user}",
    )
    return delegation


# --- closing a deviation period (issue 8 item 8) ----------------------------------------------------


def _period_or_error(period_key: str):
    config = selectors.attestation_settings()
    period = selectors.period_get(period_key, start_day=config.period_start_day) if period_key else None
    if period is None:
        raise DomainError(_("Unknown period."), code="invalid_period", extra={"field": "period"})
    return period


@transaction.atomic
def period_close(*, actor: Actor, period_key: str) -> PeriodClose:
    """Close a deviation period after payroll: nothing in it changes until it is reopened with a
    reason. Only an ended period with no day still waiting for attestation can be closed."""
    actor.require(Perm.PERIOD_CLOSE)
    period = _period_or_error(period_key)
    if period.end >= timezone.localdate():
        raise DomainError(
            _("A period can be closed only after it has ended (%(end)s).") % {"end": period.end.isoformat()},
            code="period_not_ended",
        )
    if selectors.period_closed_days(period.days) is not None:
        raise Conflict(_("The period is already closed."), code="period_already_closed")
    waiting = sorted(
        {
            str(lock.membership.user)
            for lock in time_selectors.day_locks(
                membership_ids=_all_ids(), start=period.start, end=period.end
            )
            .filter(status=LOCKED)
            .select_related("membership__user")
        }
    )
    if waiting:
        raise Conflict(
            _("Days are still waiting for attestation (%(names)s). Attest them before closing the period.")
            % {"names": ", ".join(waiting)},
            code="period_has_waiting_days",
            extra={"employees": waiting},
        )
    close = PeriodClose(
        tenant_id=actor.tenant_id,
        period_key=period.key,
        start=period.start,
        end=period.end,
        closed_by=actor.user,
    )
    close.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            close.save()
    except IntegrityError as exc:  # a simultaneous close of the same period won
        raise Conflict(_("The period is already closed."), code="period_already_closed") from exc
    record(
        actor=actor,
        action="period.close",
        target=close,
        label=period.key,
        data={
            "period": period.key,
            "start_date": period.start.isoformat(),
            "end_date": period.end.isoformat(),
        },
    )
    return close


def _all_ids() -> list[int]:
    # Locked like every writer of time locks its employee (timereporting.rules.lock_membership): a
    # write in flight finishes before the period closes, and a later one sees the closing.
    return list(Membership.objects.select_for_update().order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def period_reopen(*, actor: Actor, period_key: str, reason: str) -> PeriodClose:
    """Reopen a closed deviation period with a reason (audited); the reopening is flagged for the
    payroll correction file (selectors.period_corrections_pending) until payroll has carried it."""
    actor.require(Perm.PERIOD_CLOSE)
    period = _period_or_error(period_key)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give a reason for reopening the closed period."),
            code="reason_required",
            extra={"field": "reason"},
        )
    close = (
        PeriodClose.objects.select_for_update()
        .filter(period_key=period.key, reopened_at__isnull=True)
        .first()
    )
    if close is None:
        raise Conflict(_("The period is not closed."), code="period_not_closed")
    close.reopened_at = timezone.now()
    close.reopened_by = actor.user
    close.reopen_reason = reason[:500]
    close.full_clean(validate_constraints=False)
    close.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    record(
        actor=actor,
        action="period.reopen",
        target=close,
        label=period.key,
        data={"period": period.key, "reason": close.reopen_reason},
    )
    for listener in settings.PERIOD_REOPEN_LISTENERS:
        import_string(listener)(period=close)
    return close


@transaction.atomic
def period_corrections_handle(*, actor: Actor, period_key: str) -> int:
    """Mark the period's reopenings as carried by a payroll correction file (issue 9 item 5): they
    leave `selectors.period_corrections_pending`. Called by the payroll export in the transaction
    that stores the correction file; returns how many reopenings it marked."""
    actor.require(Perm.PAYROLL_VIEW)
    rows = list(
        PeriodClose.objects.select_for_update().filter(
            period_key=period_key, reopened_at__isnull=False, correction_handled_at__isnull=True
        )
    )
    now = timezone.now()
    for close in rows:
        close.correction_handled_at = now
        close.save(update_fields=["correction_handled_at"])
        record(
            actor=actor,
            action="period.correction_handled",
            target=close,
            label=period_key,
            data={"period": period_key},
        )
    return len(rows)


# --- users who approve, and employees who leave (issue 8 item 7) ---------------------------------


@transaction.atomic
def member_update(
    *,
    actor: Actor,
    membership: Membership,
    confirm_open_time: bool = False,
    new_approver: Membership | None = None,
    **changes,
) -> Membership:
    """Change a user (tenancy.membership_update); deactivating one with time not yet attested in an
    open period is refused until confirmed, with the days listed. Their time stays in the approver's
    queue until it is attested (selectors.attestable_members), because payroll needs their last period."""
    if changes.get("is_active") is False and membership.is_active and not confirm_open_time:
        actor.require(Perm.USERS_MANAGE)
        days = selectors.unattested_days(membership=membership)
        if days:
            raise Conflict(
                _(
                    "%(name)s has time that is not yet attested on %(count)d days in an open period. "
                    "It stays in the approver's queue after the deactivation. Confirm to deactivate."
                )
                % {"name": membership.user, "count": len(days)},
                code="open_time",
                extra={
                    "field": "confirm_open_time",
                    "days": [
                        {"date": d.date.isoformat(), "status": d.status, "minutes": d.minutes} for d in days
                    ],
                },
            )
    return tenancy_services.membership_update(
        actor=actor, membership=membership, new_approver=new_approver, **changes
    )
