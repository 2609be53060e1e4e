"""Who is acting, for which tenant, with which permissions (DESIGN.md rules 5, 7, 11)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, Func, QuerySet, TextField
from django.utils.translation import gettext as _

from verksam.core.db import current_request_transaction, note_row_locked
from verksam.core.errors import Forbidden
from verksam.core.fixedquery import FixedQuery

from .models import Licence, Membership, PartnerGrant, PartnerLevel, Tenant
from .permissions import LICENCE_PERMS, PARTNER_LEVEL_PERMS, Perm
from .scope import (
    SessionUserId,
    SwitchToRowTenant,
    SwitchToRowTenantLocal,
    is_local,
    reapply,
    tenant_scope_after_user,
    user_scope,
)


@dataclass(frozen=True)
class Actor:
    """A user acting in one tenant: as a member, or as a byråpartner through a grant."""

    user: Any  # accounts.User (typed loosely: tenancy does not import accounts)
    tenant: Tenant
    perms: frozenset[Perm]
    membership: Membership | None = None
    partner_tenant_id: int | None = None
    partner_level: str | None = None
    partner_grant_id: int | None = field(default=None, compare=False)

    @property
    def tenant_id(self) -> int:
        return self.tenant.pk

    @property
    def is_partner(self) -> bool:
        return self.partner_tenant_id is not None

    @property
    def partner_level_label(self) -> str:
        return str(PartnerLevel(self.partner_level).label) if self.partner_level else ""

    @property
    def licence(self) -> str | None:
        return self.membership.licence if self.membership else None

    @property
    def is_total(self) -> bool:
        return self.membership is not None and self.membership.licence == Licence.TOTAL

    def has(self, perm: Perm) -> bool:
        return perm in self.perms

    def require(self, perm: Perm) -> None:
        if perm not in self.perms:
            raise Forbidden(_("You do not have permission to do this."), extra={"perm": str(perm)})


def resolve(user, tenant: Tenant) -> Actor | None:
    """The actor for `user` in `tenant`, or None when they have no access (callers answer 404)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    with user_scope(user.pk):
        membership = Membership.all_tenants.filter(tenant=tenant, user=user, is_active=True).first()
        if membership is not None:
            membership.tenant = tenant
            membership.user = user  # the same person: naming the membership needs no query
            return Actor(
                user=user, tenant=tenant, perms=LICENCE_PERMS[membership.licence], membership=membership
            )
        return _partner_actor(user, tenant)


def resolve_id(user, tenant_id: int) -> Actor | None:
    """`resolve` for a tenant known by its id (the API's `/tenants/{tenant_id}/…`): a member's
    membership and its tenant come in one query (issue 13: the hottest calls are a member's)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    with user_scope(user.pk):
        return _actor_for_id(user, tenant_id)


# Set on a user object by the API's token authentication when the token's query switched the
# PostgreSQL session to the user's scope (scope.SwitchToUser); consumed by `tenant_entered`.
USER_SCOPE_APPLIED = "_verksam_user_scope_applied"


@contextmanager
def tenant_entered(user, tenant_id: int, *, lock_member: bool = False) -> Iterator[Actor | None]:
    """`resolve_id`, then hold the tenant's scope while the block runs (None: no access, no scope).
    `lock_member`: inside the API's request transaction, a member's row is read FOR UPDATE
    (`_actor_for_id`): for an operation that takes the member's own lock anyway (issue 13)."""
    if user is None or not user.is_authenticated or not user.is_active:
        yield None
        return
    # the session holds the user's scope already only once: a second entry applies it again
    user_applied = user.__dict__.pop(USER_SCOPE_APPLIED, None) is not None
    found: list[Actor | None] = [None]

    def find() -> tuple[int | None, bool]:
        found[0] = _actor_for_id(user, tenant_id, switch=True, lock=lock_member)
        if found[0] is None:
            return None, False
        # the member's row carries the result of scope.SwitchToRowTenant when its query switched
        # the session to the tenant (PostgreSQL); otherwise the scope is applied as before
        switched = getattr(found[0].membership, "_scope_switch", None) is not None
        return found[0].tenant_id, switched

    with tenant_scope_after_user(user.pk, find, user_applied=user_applied):
        yield found[0]


@dataclass
class Entry:
    """What `tenant_entered_by_slug` found: the actor (None: no access) and, when asked for, the
    user's active memberships in every tenant (the base layout's tenant switcher)."""

    actor: Actor | None = None
    memberships: list[Membership] | None = None


@contextmanager
def tenant_entered_by_slug(
    user, slug: str, *, user_applied: bool = False, with_memberships: bool = False
) -> Iterator[Entry]:
    """`resolve` for the tenant of a web page (`/t/<slug>/…`), then hold its scope while the block
    runs (no access: `entry.actor` is None and no scope is held). Issue 13, on every page: a member's
    row and its tenant come in one query found by the slug, which on PostgreSQL also switches the
    session to the tenant (scope.SwitchToRowTenant). `with_memberships`: read the user's active
    memberships in every tenant instead (`entry.memberships`, for the tenant switcher of a full page,
    which then needs no query of its own) and pick the member's row among them. `user_applied`: the
    session holds the user's scope already (the session's user query switched it, scope.SwitchToUser).
    """
    entry = Entry()
    if user is None or not user.is_authenticated or not user.is_active:
        if user_applied:
            reapply()
        yield entry
        return
    postgres = connection.vendor == "postgresql"

    def find() -> tuple[int | None, bool]:
        switched = False
        if with_memberships:
            entry.memberships = _OWN.all(user_id=int(user.pk))
            membership = next((m for m in entry.memberships if m.tenant.slug == slug), None)
        else:
            query = _MEMBER_BY_SLUG_SWITCHED if postgres else _MEMBER_BY_SLUG
            membership = query.first(slug=slug, user_id=int(user.pk))
            switched = getattr(membership, "_scope_switch", None) is not None
        if membership is not None:
            membership.user = user  # the same person: naming the membership needs no query
            entry.actor = Actor(
                user=user,
                tenant=membership.tenant,
                perms=LICENCE_PERMS[membership.licence],
                membership=membership,
            )
            return membership.tenant_id, switched
        tenant = Tenant.objects.filter(slug=slug).first()
        entry.actor = None if tenant is None else _partner_actor(user, tenant)
        return (None, False) if entry.actor is None else (entry.actor.tenant_id, False)

    with tenant_scope_after_user(user.pk, find, user_applied=user_applied):
        yield entry


def own_memberships(user_id: int) -> QuerySet[Membership]:
    """The user's active memberships in every tenant, with their tenants, by the tenant's name (read
    under the user's user_scope; row-level security admits the user's own rows)."""
    return (
        Membership.all_tenants.select_related("tenant")
        .filter(user_id=user_id, is_active=True)
        .order_by("tenant__name", "pk")
    )


def _members_by_slug(slug: str, user_id: int) -> QuerySet[Membership]:
    return (
        Membership.all_tenants.select_related("tenant")
        .filter(tenant__slug=slug, user_id=user_id, is_active=True)
        .order_by("pk")[:1]
    )


def _members_by_slug_switched(slug: str, user_id: int) -> QuerySet[Membership]:
    return _members_by_slug(slug, user_id).annotate(_scope_switch=SwitchToRowTenant(F("tenant_id")))


def _members(tenant_id: int, user_id: int) -> QuerySet[Membership]:
    # the tenant is explicit in the WHERE clause (an unscoped manager); row-level security applies
    return (
        Membership.all_tenants.select_related("tenant")
        .filter(tenant_id=tenant_id, user_id=user_id, is_active=True)
        .order_by("pk")[:1]
    )


def _members_switching(
    switch: type[SwitchToRowTenant],
    tenant_id: int,
    user_id: int | SessionUserId,
    *,
    lock: bool = False,
    note_id: bool = False,
) -> QuerySet[Membership]:
    members = Membership.all_tenants.select_related("tenant")
    if lock:
        members = members.select_for_update(of=("self",))
    members = members.filter(tenant_id=tenant_id, user_id=user_id, is_active=True).annotate(
        _scope_switch=switch(F("tenant_id"))
    )
    if note_id:
        members = members.annotate(_member_noted=_NoteMemberId(F("pk")))
    return members.order_by("pk")[:1]


def _members_of_session_user(switch: type[SwitchToRowTenant], tenant_id: int) -> QuerySet[Membership]:
    """`_members_switching(..., lock=True)` of the session's user (scope.SessionUserId), noting the
    row's id for the statements sent after it (`session_member_id_sql`)."""
    return _members_switching(switch, tenant_id, SessionUserId(), lock=True, note_id=True)


def _members_switched_locked(tenant_id: int, user_id: int) -> QuerySet[Membership]:
    return _members_switching(SwitchToRowTenant, tenant_id, user_id, lock=True)


def _members_switched_local_locked(tenant_id: int, user_id: int) -> QuerySet[Membership]:
    return _members_switching(SwitchToRowTenantLocal, tenant_id, user_id, lock=True)


def _members_switched(tenant_id: int, user_id: int) -> QuerySet[Membership]:
    return _members_switching(SwitchToRowTenant, tenant_id, user_id)


def _members_switched_local(tenant_id: int, user_id: int) -> QuerySet[Membership]:
    return _members_switching(SwitchToRowTenantLocal, tenant_id, user_id)


# The member's row is read on every tenant call: compiled once per process (issue 13; core.fixedquery)
_SENTINELS = {"tenant_id": -7_000_000_001, "user_id": -7_000_000_002}
_MEMBER = FixedQuery(_members, sentinels=_SENTINELS)
_MEMBER_SWITCHED = FixedQuery(_members_switched, sentinels=_SENTINELS)
# ... inside the API's request transaction, the switch transaction-local (scope.is_local)
_MEMBER_SWITCHED_LOCAL = FixedQuery(_members_switched_local, sentinels=_SENTINELS)
# ... and locking the member's row (FOR UPDATE), inside the request transaction (`lock_member`)
_MEMBER_LOCKED = {
    False: FixedQuery(_members_switched_locked, sentinels=_SENTINELS),
    True: FixedQuery(_members_switched_local_locked, sentinels=_SENTINELS),
}
# ... of the session's user, sent with the token's query (`send_member_lock`)
_SESSION_MEMBER_LOCKED = {
    local: FixedQuery(
        lambda tenant_id, local=local: _members_of_session_user(
            SwitchToRowTenantLocal if local else SwitchToRowTenant, tenant_id
        ),
        sentinels={"tenant_id": _SENTINELS["tenant_id"]},
    )
    for local in (False, True)
}
# ... and the web's, found by the tenant's slug (the page's URL)
_SLUG_SENTINELS = {"slug": "\x00fixedquery-slug", "user_id": -7_000_000_002}
_MEMBER_BY_SLUG = FixedQuery(_members_by_slug, sentinels=_SLUG_SENTINELS)
_MEMBER_BY_SLUG_SWITCHED = FixedQuery(_members_by_slug_switched, sentinels=_SLUG_SENTINELS)
_OWN = FixedQuery(own_memberships, sentinels={"user_id": -7_000_000_002})


# Set on a user object by the API's token authentication when it read the member's row in the token's
# round trip (`send_member_lock`): (tenant id, transaction-local, the membership or None); consumed by
# `_actor_for_id`, which then reads it no more.
MEMBER_PREFETCHED = "_verksam_member_prefetched"


def send_member_lock(tenant_id: int) -> Callable[[], Membership | None]:
    """Send (core.db.pipeline) the read of the session user's member row in `tenant_id`, FOR UPDATE,
    switching the session to the tenant when found: the read `tenant_entered(..., lock_member=True)`
    makes, for the API's token authentication to send right after the token's query, which switches
    the session to the token's user (scope.SwitchToUser) and which the server runs first (issue 13:
    one round trip less on the create of one time entry). Answers a function reading the row; keep it
    with `keep_member_prefetched`. Inside the API's request transaction only."""
    return _SESSION_MEMBER_LOCKED[is_local()].send_first(tenant_id=int(tenant_id))


class _NoteMemberId(Func):
    """In the select list of the session user's member read sent with the token (`send_member_lock`):
    note the row's id for the statements sent after it in the same round trip, transaction-local
    (`session_member_id_sql`; the tenant's switch clears the session's user)."""

    template = "set_config('app.member_id', (%(expressions)s)::text, true)"
    output_field = TextField()


def session_member_id_sql() -> tuple[str, list[Any]]:
    """`(sql, params)` of the id of the member row `send_member_lock` read, for a statement sent in the
    same round trip after it, before the client knows the id (issue 13; PostgreSQL). Use what such a
    statement read only if that read found the row (it sets the id; nothing resets it)."""
    return "NULLIF(current_setting('app.member_id', true), '')::bigint", []


def keep_member_prefetched(user, tenant_id: int, membership: Membership | None) -> None:
    """Hand the member row read by `send_member_lock` to the tenant's entry of this request. The row
    was found through the session's user, which only the token's query set: it must be this user's."""
    if membership is not None and membership.user_id != user.pk:
        raise RuntimeError("the member row read with the token is not the token user's")
    user.__dict__[MEMBER_PREFETCHED] = (int(tenant_id), is_local(), membership)


def _actor_for_id(user, tenant_id: int, switch: bool = False, lock: bool = False) -> Actor | None:
    """Inside the user's user_scope: the actor of `user` in the tenant with this id, or None. With
    `switch`, on PostgreSQL, reading a member's row also switches the session to the tenant's scope
    (scope.SwitchToRowTenant; the caller enters that scope next). `lock` (with `switch`, inside the
    API's request transaction only): the member's row is read FOR UPDATE and noted as locked
    (core.db.note_row_locked), so the service's own lock of it (timereporting.rules.lock_membership)
    needs no statement of its own."""
    lock = lock and switch and current_request_transaction() is not None
    query = _MEMBER
    if lock:
        query = _MEMBER_LOCKED[is_local()]
    elif switch and connection.vendor == "postgresql":
        query = _MEMBER_SWITCHED_LOCAL if is_local() else _MEMBER_SWITCHED
    prefetched = user.__dict__.pop(MEMBER_PREFETCHED, None)
    if lock and prefetched is not None and prefetched[:2] == (int(tenant_id), is_local()):
        membership = prefetched[2]  # read FOR UPDATE with the token (`send_member_lock`)
    else:
        if prefetched is not None and prefetched[2] is not None:
            reapply()  # its read switched the session to its tenant: back to the user's scope
        membership = query.first(tenant_id=int(tenant_id), user_id=int(user.pk))
    if membership is not None:
        if lock:
            note_row_locked(membership)
        membership.user = user  # the same person: naming the membership needs no query
        return Actor(
            user=user,
            tenant=membership.tenant,
            perms=LICENCE_PERMS[membership.licence],
            membership=membership,
        )
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    return None if tenant is None else _partner_actor(user, tenant)


def _partner_actor(user, tenant: Tenant) -> Actor | None:
    """The actor of a byråpartner with an active grant on `tenant` (inside the user's user_scope)."""
    grant = (
        PartnerGrant.all_tenants.filter(tenant=tenant, user=user, revoked_at__isnull=True)
        .filter(
            partner_tenant__variant="partner",
            user__memberships__tenant_id=F("partner_tenant_id"),
            user__memberships__is_active=True,
        )
        .first()
    )
    if grant is None:
        return None
    return Actor(
        user=user,
        tenant=tenant,
        perms=PARTNER_LEVEL_PERMS[grant.level],
        partner_tenant_id=grant.partner_tenant_id,
        partner_level=grant.level,
        partner_grant_id=grant.pk,
    )


def partner_level_allows(level: str, perm: Perm) -> bool:
    """Whether a grant of `level` (FULL/LIMITED) holds `perm`, without an actor: what a firm's list of
    many customers asks per row (issue 11's badges) instead of resolving each grant."""
    return perm in PARTNER_LEVEL_PERMS.get(level, frozenset())
