"""Writes of time reporting: entries, locking, and the state changes attestation makes.

The approver-side transitions at the end (`locked_days_attest`, `locked_days_reject`,
`attested_days_reopen`) record state only; `verksam.attestation.services` decides who may call
them (the employee's approver, a substitute, a TOTAL user) and calls them after its checks.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError, Forbidden
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from .models import DayLock, DayRejection, DayStatus


def _dates(dates: Iterable[dt.date]) -> list[dt.date]:
    result = sorted(set(dates))
    if not result:
        raise DomainError(_("Choose at least one day."), code="no_days")
    return result


@transaction.atomic
def locked_days_attest(
    *, actor: Actor, membership: Membership, dates: Iterable[dt.date], on_behalf_of: Membership | None = None
) -> int:
    """Mark the employee's locked days attested (the caller has checked that `actor` may attest them)."""
    days = _dates(dates)
    locks = list(
        DayLock.objects.select_for_update().filter(
            membership=membership, date__in=days, status=DayStatus.LOCKED
        )
    )
    if not locks:
        return 0
    now = timezone.now()
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).update(
        status=DayStatus.ATTESTED, attested_at=now, attested_by=actor.user, attested_on_behalf_of=on_behalf_of
    )
    record(
        actor=actor,
        action="time.attest",
        target=membership,
        label=str(membership.user),
        data={
            "dates": [lock.date.isoformat() for lock in locks],
            "on_behalf_of": on_behalf_of.pk if on_behalf_of else None,
        },
    )
    return len(locks)


@transaction.atomic
def locked_days_reject(
    *, actor: Actor, membership: Membership, dates: Iterable[dt.date], comment: str
) -> int:
    """Send locked (unattested) days back to the employee with a comment; they become open again."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            _("Write a comment so the employee knows what to correct."), code="comment_required"
        )
    days = _dates(dates)
    locks = list(
        DayLock.objects.select_for_update().filter(
            membership=membership, date__in=days, status=DayStatus.LOCKED
        )
    )
    if not locks:
        return 0
    rejected = [lock.date for lock in locks]
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).delete()
    for day in rejected:
        rejection = DayRejection(
            tenant_id=actor.tenant_id,
            membership=membership,
            date=day,
            comment=comment,
            rejected_by=actor.user,
        )
        rejection.full_clean()
        rejection.save()
    record(
        actor=actor,
        action="time.reject",
        target=membership,
        label=str(membership.user),
        data={"dates": [d.isoformat() for d in rejected], "comment": comment},
    )
    return len(rejected)


@transaction.atomic
def attested_days_reopen(
    *, actor: Actor, membership: Membership, dates: Iterable[dt.date], reason: str
) -> int:
    """Reopen attested days so they can be changed: TOTAL only, always with a reason in the audit log."""
    actor.require(Perm.TIME_REOPEN)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for reopening attested time."), code="reason_required")
    days = _dates(dates)
    locks = list(
        DayLock.objects.select_for_update().filter(
            membership=membership, date__in=days, status=DayStatus.ATTESTED
        )
    )
    if not locks:
        raise DomainError(_("None of the chosen days is attested."), code="not_attested")
    if membership.pk == getattr(actor.membership, "pk", None) and not actor.has(Perm.TIME_ATTEST_OWN):
        raise Forbidden(_("You cannot reopen your own attested time."))
    reopened = [lock.date for lock in locks]
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).delete()
    record(
        actor=actor,
        action="time.reopen",
        target=membership,
        label=str(membership.user),
        data={"dates": [d.isoformat() for d in reopened], "reason": reason},
    )
    return len(reopened)
