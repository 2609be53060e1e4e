"""Test helpers shared by every app: read rows inside a tenant scope (on PostgreSQL row-level
security hides them otherwise), snapshot what a refused call must not change, count queries."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope


def db_state(*tenants) -> dict:
    """Everything the foundation writes for `tenants`, to assert that a refused call changed nothing."""
    from verksam.audit.models import AuditEvent
    from verksam.tenancy.models import Invitation, Membership, PartnerGrant

    with tenant_scope(*(t.pk for t in tenants)):
        return {
            "memberships": list(Membership.objects.order_by("pk").values()),
            "grants": list(PartnerGrant.objects.order_by("pk").values()),
            "invitations": list(Invitation.objects.order_by("pk").values()),
            "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
            "users": list(get_user_model().objects.order_by("pk").values_list("pk", "email", "is_active")),
        }


def in_scope(tenant, func: Callable[[], Any]) -> Any:
    with tenant_scope(tenant.pk):
        return func()


def count_queries(func: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), result


def session_scope() -> tuple[str, str]:
    """PostgreSQL: the session's scope settings (`app.user_id`, `app.tenant_ids`), '' when unset."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.user_id', true), current_setting('app.tenant_ids', true)")
        user_id, tenant_ids = cursor.fetchone()
    return user_id or "", tenant_ids or ""


def sv(message: str) -> str:
    """The Swedish text the UI shows for `message` (whatever state the catalogue is in)."""
    with translation.override("sv"):
        return translation.gettext(message)


def membership_of(tenant, user) -> Membership:
    """`user`'s membership of `tenant` (with the user loaded), read inside the tenant's scope."""
    with tenant_scope(tenant.pk):
        return Membership.objects.select_related("user").get(user=user)


def accept_invitation(tenant, invitation, user=None) -> Membership:
    """The invited person says yes: `user` if the address has an account, else a new account with the
    factory password (an invitation makes no member until it is accepted, issue 7)."""
    from verksam.tenancy import services

    with tenant_scope(tenant.pk):
        if user is not None:
            return services.invitation_accept(invitation=invitation, user=user)
        return services.invitation_accept_new_account(
            invitation=invitation, name=invitation.name or "Ny Person", password="secret-password-1"
        )
