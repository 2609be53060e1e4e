"""The buttons of every kind of claim on the web (issue 10 items 3 and 5): the owner's submit,
withdraw and delete (Mina utlägg, Mina resor) and the approver's attest, reject and reopen
(Attestering › Utlägg och resor, › Kortköp), one table of the kinds and one view body for all of
them. The rules are the services' (verksam.expenses.claims, verksam.attestation.expenses), the same
calls as the API's (verksam.api.claims)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from verksam.attestation import expenses as approval
from verksam.cards import selectors as card_selectors
from verksam.core.errors import DomainError
from verksam.expenses import claims, selectors

from .decorators import TenantRequest

_DONE = {
    "submit": _("Submitted for attestation."),
    "withdraw": _("Withdrawn."),
    "delete": _("Deleted."),
    "attest": _("Attested."),
    "reject": _("Sent back to the employee."),
    "reopen": _("Reopened."),
}


@dataclass(frozen=True)
class WebKind:
    find: Callable[[int], Any]  # the row with that id in the current tenant, or None
    mine: str  # the owner's page, where their actions return
    queue: str  # the approver's page, where theirs return
    done: Mapping[str, Any] = field(default_factory=lambda: _DONE)  # what the page says after each action


KINDS: dict[str, WebKind] = {
    "expense": WebKind(lambda pk: selectors.item_get("expense", pk), "web:expenses_mine", "web:claims_queue"),
    "trip": WebKind(lambda pk: selectors.item_get("trip", pk), "web:trips_mine", "web:claims_queue"),
    "perdiem": WebKind(lambda pk: selectors.item_get("perdiem", pk), "web:trips_mine", "web:claims_queue"),
    "card": WebKind(
        card_selectors.purchase_get,
        "web:cards_mine",
        "web:cards_queue",
        done={
            "attest": _("The card purchase has been attested."),
            "reject": _("The card purchase has been rejected."),
        },
    ),
}

PAYROLL = ("expense", "trip", "perdiem")  # the kinds of /expenses/claims/… and /attestation/claims/…


def claim_act(
    request: TenantRequest, slug: str, kind: str, item_id: int, action: str, *, own: bool, kinds=PAYROLL
) -> HttpResponse:
    """Run `action` on the claim and return to the owner's (`own`) or the approver's page with what
    happened; a kind not among the page's `kinds`, an unknown action, or a claim the actor may not
    reach is not found."""
    spec = KINDS.get(kind) if kind in kinds else None
    actions = claims.OWN_ACTIONS if own else claims.APPROVER_ACTIONS
    if spec is None or action not in actions or action not in spec.done:
        raise Http404
    item = spec.find(item_id)
    if item is None or not approval.may_reach(actor=request.actor, item=item, action=action):
        raise Http404
    try:
        approval.claim_do(
            actor=request.actor,
            item=item,
            action=action,
            comment=request.POST.get("comment", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(spec.done[action]))
    return redirect(spec.mine if own else spec.queue, slug)
