"""Attestation of every kind of claim: expenses, mileage and per diem (issue 10 item 3) and
company-card purchases (item 5), with the same approvers, substitutes, own-claim rule,
reopen-with-reason and closed periods as time (docs/attestation.md). Who may act is decided here,
once for every kind; the state change and its audit row are `verksam.expenses.claims`'."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from verksam.core.errors import Forbidden
from verksam.expenses import claims
from verksam.expenses import selectors as expense_selectors
from verksam.expenses.claims import claim_kind
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from . import selectors
from .services import approver_route


def expense_period_guard(days: Iterable[dt.date]) -> None:
    """Refuse a change of a claim registered in a closed period (settings.EXPENSE_PERIOD_GUARD)."""
    selectors.period_guard(
        days,
        _(
            "The period %(period)s is closed after payroll. It must be reopened, with a reason, "
            "before its outlays, trips and per diems can be changed."
        ),
    )


def _route(actor: Actor, item: Any) -> selectors.Route:
    actor.require(Perm.TIME_ATTEST)
    kind = claim_kind(item)
    if item.tenant_id != actor.tenant_id:
        raise kind.refuse("not_found")
    own = Forbidden(_("You cannot attest your own claims."), code="own_claim")
    return approver_route(actor, kind.owner_of(item), own=own)


def may_view_claims(*, actor: Actor, membership: Membership) -> bool:
    """Who sees an employee's claims and receipts: the employee, whoever may attest them today
    (approver, substitute, TIME_ATTEST_ALL) and EXPENSES_VIEW_ALL (TOTAL, partners with a grant)."""
    if membership.tenant_id != actor.tenant_id:
        return False
    if selectors.is_own(actor, membership) or actor.has(Perm.EXPENSES_VIEW_ALL):
        return True
    return (
        actor.has(Perm.TIME_ATTEST) and selectors.attest_route(actor=actor, membership=membership) is not None
    )


def may_reach(*, actor: Actor, item: Any, action: str) -> bool:
    """Whether the web and the API find the claim for `action`, or answer 404: the owner's actions
    on the actor's own claims only, the approver's on those of whom the actor may see the claims
    (a kind not `screened` leaves that to the approver rule's refusal)."""
    kind = claim_kind(item)
    if action in claims.OWN_ACTIONS:
        return claims.is_owner(actor, item)
    return not kind.screened or may_view_claims(actor=actor, membership=kind.owner_of(item))


def receipt_file(*, actor: Actor, receipt_id: int, thumbnail: bool = False) -> tuple[str, str] | None:
    """The stored name and content type of a receipt (or its thumbnail) for whoever may see its
    owner's claims (`may_view_claims`); None for anyone else, or when there is no such file."""
    receipt = expense_selectors.receipt_get(receipt_id)
    if receipt is None or not may_view_claims(actor=actor, membership=receipt.membership):
        return None
    field = receipt.thumbnail if thumbnail else receipt.file
    if not field:
        return None
    return field.name or "", "image/jpeg" if thumbnail else receipt.content_type


@transaction.atomic
def claim_attest(*, actor: Actor, item: Any) -> Any:
    """Attest a submitted claim of any kind as the owner's approver or their substitute (on their
    behalf)."""
    route = _route(actor, item)
    return claims.submitted_item_attest(actor=actor, item=item, on_behalf_of=route.on_behalf_of)


@transaction.atomic
def claim_reject(*, actor: Actor, item: Any, comment: str) -> Any:
    """Send a submitted claim of any kind back to its owner with a comment."""
    _route(actor, item)
    return claims.submitted_item_reject(actor=actor, item=item, comment=comment)


@transaction.atomic
def claim_reopen(*, actor: Actor, item: Any, reason: str) -> Any:
    """Reopen an attested claim with a reason (TIME_REOPEN: TOTAL, partner FULL)."""
    actor.require(Perm.TIME_REOPEN)
    kind = claim_kind(item)
    if item.tenant_id != actor.tenant_id:
        raise kind.refuse("not_found")
    if selectors.is_own(actor, kind.owner_of(item)) and not actor.has(Perm.TIME_ATTEST_OWN):
        raise Forbidden(_("You cannot reopen your own attested claims."), code="own_claim")
    return claims.attested_item_reopen(actor=actor, item=item, reason=reason)


def claim_do(*, actor: Actor, item: Any, action: str, comment: str = "", reason: str = "") -> Any:
    """One action on a claim of any kind, by its name: the owner's submit, withdraw and delete, the
    approver's attest, reject (with `comment`) and reopen (with `reason`). What the web's and the
    API's claim tables call (verksam.web.claims, verksam.api.claims)."""
    plain = {
        "submit": claims.item_submit,
        "withdraw": claims.item_withdraw,
        "delete": claims.item_delete,
        "attest": claim_attest,
    }
    if action in plain:
        return plain[action](actor=actor, item=item)
    if action == "reject":
        return claim_reject(actor=actor, item=item, comment=comment)
    return claim_reopen(actor=actor, item=item, reason=reason)


@dataclass
class ClaimQueueRow:
    membership: Membership
    on_behalf_of: Membership | None
    expenses: list = field(default_factory=list)
    trips: list = field(default_factory=list)
    per_diems: list = field(default_factory=list)

    @property
    def total_ore(self) -> int:
        return (
            sum(e.amount_ore for e in self.expenses)
            + sum(t.tax_free_ore + t.taxable_ore for t in self.trips)
            + sum(p.tax_free_ore + p.taxable_ore for p in self.per_diems)
        )

    @property
    def count(self) -> int:
        return len(self.expenses) + len(self.trips) + len(self.per_diems)


def claim_queue(*, actor: Actor) -> list[ClaimQueueRow]:
    """The submitted claims waiting for the actor, per employee (five queries whatever their number)."""
    routes = {r.membership.pk: r for r in selectors.attestable_members(actor=actor, active_only=False)}
    items = expense_selectors.submitted_items(membership_ids=routes)
    rows: dict[int, ClaimQueueRow] = {}
    for kind, attr in (("expense", "expenses"), ("trip", "trips"), ("perdiem", "per_diems")):
        for item in items[kind]:
            route = routes[item.membership_id]
            row = rows.setdefault(item.membership_id, ClaimQueueRow(route.membership, route.on_behalf_of))
            getattr(row, attr).append(item)
    return sorted(rows.values(), key=lambda r: (r.membership.user.name, r.membership.pk))
