from verksam.tenancy.selectors import tenants_for_user

from .navigation import nav_for


def shell(request) -> dict:
    """Navigation and the tenant switcher for the base layout (the switcher loads only when drawn)."""
    user = getattr(request, "user", None)
    context: dict = {}
    if user is not None and user.is_authenticated:
        # a tenant page read the user's memberships when it entered the tenant (web.decorators)
        memberships = getattr(request, "own_memberships", None)
        context["tenant_choices"] = lambda: tenants_for_user(user, memberships=memberships)
    actor = getattr(request, "actor", None)
    if actor is not None:
        context.update(
            actor=actor,
            actor_perms={str(perm) for perm in actor.perms},  # `{% if "users.manage" in actor_perms %}`
            current_tenant=actor.tenant,
            nav=nav_for(actor, request.path),
        )
    return context
