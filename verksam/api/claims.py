"""The API's actions on every kind of claim (issue 10 items 3 and 5): the owner's submit, withdraw
and delete, the approver's attest, reject and reopen. One table per family of paths names the
operations (path, permission, body, summary); `add_claim_operations` registers them on the router,
each running the same body: find the row, check who may reach it, call the service, answer. The
rules are the services' (verksam.expenses.claims, verksam.attestation.expenses), the same calls as
the web's (verksam.web.claims)."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from ninja import Router, Status

from verksam.attestation import expenses as approval
from verksam.tenancy.permissions import Perm

from .tenant import tenant_endpoint
from .types import Id

PERMS = {
    "submit": Perm.EXPENSES_OWN,
    "withdraw": Perm.EXPENSES_OWN,
    "delete": Perm.EXPENSES_OWN,
    "attest": Perm.TIME_ATTEST,
    "reject": Perm.TIME_ATTEST,
    "reopen": Perm.TIME_REOPEN,
}


@dataclass(frozen=True)
class Operation:
    action: str
    name: str  # the operation's function name: its operationId and URL name, as before the table
    summary: str
    body: Any = None  # the request body's schema


@dataclass(frozen=True)
class ApiKind:
    """One family of claim paths: `path` + "/<action>" (delete: `path` itself)."""

    module: str  # the router's module (operation ids)
    path: str
    params: dict[str, Any]  # the path parameters after tenant_id, with their types
    find: Callable[..., Any]  # the row from the path values, or None
    response: Any  # the success body's schema
    out: Callable[[Any], Any]
    operations: tuple[Operation, ...]


def _view(kind: ApiKind, op: Operation) -> Callable:
    def view(request, tenant_id: int, payload: Any = None, **values: Any) -> Any:
        item = kind.find(**values)
        if item is None or not approval.may_reach(actor=request.actor, item=item, action=op.action):
            raise Http404
        text = payload.dict() if payload is not None else {}
        done = approval.claim_do(actor=request.actor, item=item, action=op.action, **text)
        return Status(204, None) if op.action == "delete" else kind.out(done)

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [
        inspect.Parameter("request", positional),
        inspect.Parameter("tenant_id", positional, annotation=Id),
        *(inspect.Parameter(name, positional, annotation=type_) for name, type_ in kind.params.items()),
    ]
    if op.body is not None:
        params.append(inspect.Parameter("payload", positional, annotation=op.body))
    view.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # what ninja reads
    view.__name__ = view.__qualname__ = op.name
    view.__module__ = kind.module
    return view


def add_claim_operations(router: Router, kind: ApiKind) -> None:
    for op in kind.operations:
        response = {204: None} if op.action == "delete" else kind.response
        router.add_api_operation(
            kind.path if op.action == "delete" else f"{kind.path}/{op.action}",
            ["DELETE" if op.action == "delete" else "POST"],
            tenant_endpoint(PERMS[op.action])(_view(kind, op)),
            response=response,
            summary=op.summary,
        )
