"""One claim mechanism for everything an employee claims back or answers for: outlays, trips, per
diems (issue 10 item 3) and company-card purchases (item 5). The same rules as reported time
(docs/attestation.md):

    draft ──submit──▶ submitted ──attest──▶ attested ──reopen (reason)──▶ draft
      ▲                  │
      └──withdraw────────┤
      └──reject (comment)┘

The employee's side (submit, withdraw, delete) is checked here: only the owner, only a draft. Who
may attest, reject or reopen is attestation's (`verksam.attestation.expenses`, a layer above),
which then calls the state changes here. A `ClaimKind` says how a kind differs, as data: who owns a
row, what its draft state is called, whether a closed payroll period guards it, what it needs
before it is submitted, which actions it has and the wording of its refusals. The kinds register
themselves (`register`); card purchases from `verksam.cards`, a layer above."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from .models import AttestedItem, Expense, PerDiem, Status, Trip

OWN_ACTIONS = ("submit", "withdraw", "delete")
APPROVER_ACTIONS = ("attest", "reject", "reopen")


@dataclass(frozen=True)
class Refusal:
    """One way a kind says no: the error's class, code, message and the form field it points at."""

    error: type[DomainError]
    code: str
    message: Any  # a lazy translation
    field: str = ""

    def __call__(self, **extra: Any) -> DomainError:
        if self.field:
            extra = {"field": self.field, **extra}
        return self.error(str(self.message), code=self.code, extra=extra)


_LOCKED = Refusal(
    Conflict,
    "not_editable",
    gettext_lazy("A submitted or attested claim cannot be changed. Withdraw it first, or ask to reopen it."),
)
REFUSALS: dict[str, Refusal] = {
    "not_found": Refusal(NotFound, "not_found", gettext_lazy("The claim does not exist.")),
    "not_owner": Refusal(NotFound, "not_found", gettext_lazy("The claim does not exist.")),
    "locked": _LOCKED,  # changed or deleted when not in draft
    "not_draft": _LOCKED,  # submitted when not in draft
    "not_withdrawable": Refusal(
        Conflict, "not_submitted", gettext_lazy("Only a submitted claim can be withdrawn.")
    ),
    "receipt_missing": Refusal(
        DomainError,
        "receipt_missing",
        gettext_lazy("Attach the receipt before you submit the outlay."),
        "receipt",
    ),
    "not_submitted": Refusal(
        Conflict, "not_submitted", gettext_lazy("The claim is not submitted for attestation.")
    ),
    "not_attested": Refusal(
        Conflict, "not_attested", gettext_lazy("Only an attested claim can be reopened.")
    ),
    "comment_required": Refusal(
        DomainError, "comment_required", gettext_lazy("Write why the claim is sent back."), "comment"
    ),
    "reason_required": Refusal(
        DomainError, "reason_required", gettext_lazy("Give a reason for reopening."), "reason"
    ),
}


@dataclass(frozen=True)
class ClaimKind:
    """How one kind of claim differs from the others; the transitions below are the same for all."""

    audit: str  # the audit actions' prefix: "expense" → "expense.submit"
    owner: str = "membership"  # the path to the owner's Membership, as in a query ("card__holder")
    draft: str = Status.DRAFT
    period_guarded: bool = True  # claims paid through payroll: a closed deviation period freezes them
    actions: tuple[str, ...] = OWN_ACTIONS + APPROVER_ACTIONS
    refusals: Mapping[str, Refusal] = field(default_factory=dict)
    receipt_required: bool = False  # submitted only with its receipt
    submit_check: Callable[[Any], None] | None = None  # what else the kind needs before it is submitted
    # an approver's action on a claim of someone whose claims the actor may not see: not found
    # (404), or (card purchases, as their clients expect) refused by the approver rule (403)
    screened: bool = True

    def refuse(self, key: str, **extra: Any) -> DomainError:
        return self.refusals.get(key, REFUSALS[key])(**extra)

    def owner_of(self, item: Any, suffix: str = "") -> Any:
        """The owner's Membership (with `suffix` "_id": its id, read without a query of its own)."""
        *path, last = self.owner.split("__")
        for name in path:
            item = getattr(item, name)
        return getattr(item, last + suffix)

    def owner_id(self, item: Any) -> int | None:
        return self.owner_of(item, "_id")


_KINDS: dict[type[models.Model], ClaimKind] = {}


def register(model: type[models.Model], kind: ClaimKind) -> None:
    _KINDS[model] = kind


def claim_kind(item: Any, action: str = "") -> ClaimKind:
    """The kind of `item`; with `action`, refused as not found when the kind has no such action."""
    kind = _KINDS[type(item)]
    if action and action not in kind.actions:
        raise kind.refuse("not_found")
    return kind


# --- the rules of the employee's side ------------------------------------------------------------


def check_period_open(item: AttestedItem) -> None:
    """Refuse any change of a claim registered in a deviation period closed after payroll
    (settings.EXPENSE_PERIOD_GUARD: closing is attestation's, a layer above)."""
    import_string(settings.EXPENSE_PERIOD_GUARD)([item.registered_on])


def own_membership(actor: Actor) -> Membership:
    actor.require(Perm.EXPENSES_OWN)
    if actor.membership is None:
        raise Forbidden(_("You have no outlays in this company."), code="not_member")
    return actor.membership


def is_owner(actor: Actor, item: Any) -> bool:
    membership = actor.membership
    return (
        item.tenant_id == actor.tenant_id
        and membership is not None
        and claim_kind(item).owner_id(item) == membership.pk
    )


def check_owner(actor: Actor, item: Any) -> None:
    if not is_owner(actor, item):
        raise claim_kind(item).refuse("not_owner")


def _expect(item: Any, kind: ClaimKind, status: str, refusal: str) -> None:
    """Refuse unless the claim is in `status` and, when paid through payroll, its period is open."""
    if item.status != status:
        raise kind.refuse(refusal, status=item.status)
    if kind.period_guarded:
        check_period_open(item)


def check_editable(item: Any) -> None:
    kind = claim_kind(item)
    _expect(item, kind, kind.draft, "locked")


def _locked(item: Any, action: str = "") -> tuple[Any, ClaimKind]:
    kind = claim_kind(item, action)
    return type(item).objects.select_for_update().get(pk=item.pk), kind


def _owned(actor: Actor, item: Any, action: str = "") -> tuple[Any, ClaimKind]:
    """The claim locked, when it is the actor's own."""
    own_membership(actor)
    item, kind = _locked(item, action)
    check_owner(actor, item)
    return item, kind


def _move(
    actor: Actor, item: Any, kind: ClaimKind, action: str, status: str, data=None, **values: Any
) -> Any:
    """Put the claim in `status` with those of `values` its kind keeps (a card purchase keeps no
    comment), and write the audit row of `action`."""
    names = {f.name for f in item._meta.concrete_fields}
    kept = {name: value for name, value in values.items() if name in names}
    item.status = status
    for name, value in kept.items():
        setattr(item, name, value)
    item.save(update_fields=["status", *kept])
    record(actor=actor, action=f"{kind.audit}.{action}", target=item, data=data)
    return item


def _required(text: str, kind: ClaimKind, key: str) -> str:
    text = (text or "").strip()
    if not text:
        raise kind.refuse(key)
    return text


# --- the transitions -----------------------------------------------------------------------------


@transaction.atomic
def draft_create(
    *, actor: Actor, model: type, fields: dict[str, Any], check: Callable[[Any, Membership], None], data
) -> Any:
    """Register a claim of the actor's own, in draft, registered today (payroll reads it by that
    date); `check` the new row; the audit row has its `data`."""
    membership = own_membership(actor)
    item = model(
        tenant_id=actor.tenant_id, membership=membership, registered_on=timezone.localdate(), **fields
    )
    check(item, membership)
    validated_save(item)
    record(actor=actor, action=f"{claim_kind(item).audit}.create", target=item, data=data(item))
    return item


@transaction.atomic
def draft_update(
    *,
    actor: Actor,
    item: Any,
    changes: dict[str, Any],
    check: Callable[[Any, Membership], None],
    data: Callable[[Any], dict],
    screen: Callable[[Any, dict[str, Any]], None] | None = None,
) -> Any:
    """Change a claim of the actor's own still in draft: `screen` refuses changes the kind does not
    take, `check` the changed row; the audit row has the `data` before and after."""
    membership = own_membership(actor)
    item, kind = _owned(actor, item)
    _expect(item, kind, kind.draft, "locked")
    if screen is not None:
        screen(item, changes)
    before = data(item)
    for name, value in changes.items():
        setattr(item, name, value)
    check(item, membership)
    if any(f.name == "updated_at" for f in item._meta.concrete_fields):
        item.updated_at = timezone.now()
    validated_save(item)
    record(
        actor=actor, action=f"{kind.audit}.update", target=item, data={"before": before, "after": data(item)}
    )
    return item


@transaction.atomic
def item_submit(*, actor: Actor, item: Any) -> Any:
    """Submit a draft claim to the approver: it is locked until attested, rejected or withdrawn."""
    item, kind = _owned(actor, item, "submit")
    _expect(item, kind, kind.draft, "not_draft")
    if kind.receipt_required and item.receipt_id is None:
        raise kind.refuse("receipt_missing")
    if kind.submit_check is not None:
        kind.submit_check(item)
    return _move(
        actor, item, kind, "submit", Status.SUBMITTED, submitted_at=timezone.now(), rejection_comment=""
    )


@transaction.atomic
def item_withdraw(*, actor: Actor, item: Any) -> Any:
    """Take a submitted claim back to draft while nobody has attested it (as unlocking a day)."""
    item, kind = _owned(actor, item, "withdraw")
    _expect(item, kind, Status.SUBMITTED, "not_withdrawable")
    return _move(actor, item, kind, "withdraw", kind.draft, submitted_at=None)


@transaction.atomic
def item_delete(*, actor: Actor, item: Any) -> None:
    """Delete a claim still in draft."""
    item, kind = _owned(actor, item, "delete")
    _expect(item, kind, kind.draft, "locked")
    record(actor=actor, action=f"{kind.audit}.delete", target=item, data={"pk": item.pk})
    item.delete()


@transaction.atomic
def submitted_item_attest(*, actor: Actor, item: Any, on_behalf_of: Membership | None = None) -> Any:
    """Attest a submitted claim (the caller decided the actor may: attestation.expenses)."""
    item, kind = _locked(item, "attest")
    _expect(item, kind, Status.SUBMITTED, "not_submitted")
    # the audit row names the approver attested for where the kind keeps it (not a card purchase)
    kept = any(f.name == "attested_on_behalf_of" for f in item._meta.concrete_fields)
    data = {"on_behalf_of": on_behalf_of.pk if on_behalf_of else None} if kept else None
    now, by = timezone.now(), actor.user
    return _move(
        actor,
        item,
        kind,
        "attest",
        Status.ATTESTED,
        data,
        attested_at=now,
        attested_by=by,
        attested_on_behalf_of=on_behalf_of,
    )


@transaction.atomic
def submitted_item_reject(*, actor: Actor, item: Any, comment: str) -> Any:
    """Send a submitted claim back to its owner as a draft, with the approver's comment."""
    comment = _required(comment, claim_kind(item, "reject"), "comment_required")
    item, kind = _locked(item, "reject")
    _expect(item, kind, Status.SUBMITTED, "not_submitted")
    data = {"comment": comment}
    return _move(
        actor, item, kind, "reject", kind.draft, data, submitted_at=None, rejection_comment=comment[:500]
    )


@transaction.atomic
def attested_item_reopen(*, actor: Actor, item: Any, reason: str) -> Any:
    """Reopen an attested claim, with a reason kept in the audit log; it goes back to draft."""
    reason = _required(reason, claim_kind(item, "reopen"), "reason_required")
    item, kind = _locked(item, "reopen")
    _expect(item, kind, Status.ATTESTED, "not_attested")
    nothing = dict.fromkeys(("submitted_at", "attested_at", "attested_by", "attested_on_behalf_of"))
    return _move(actor, item, kind, "reopen", kind.draft, {"reason": reason}, **nothing)


def validated_save(item: Any) -> None:
    try:
        item.full_clean()
        item.save()
    except IntegrityError as exc:
        raise Conflict(_("The change conflicts with another one. Try again."), code="conflict") from exc


register(Expense, ClaimKind(audit="expense", receipt_required=True))
register(Trip, ClaimKind(audit="trip"))
register(PerDiem, ClaimKind(audit="perdiem"))
