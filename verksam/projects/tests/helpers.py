"""Helpers for the projects tests: what a refused call must not change, and actors."""

from verksam.projects.models import Project, ProjectMember
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import (
    db_state,
    membership_of,  # noqa: F401 (shared by this app's tests)
)


def projects_state(*tenants) -> dict:
    """Every project, assignment, membership and audit row of `tenants`."""
    state = db_state(*tenants)
    with tenant_scope(*(t.pk for t in tenants)):
        state["projects"] = list(Project.objects.order_by("pk").values())
        state["assignments"] = list(ProjectMember.objects.order_by("pk").values())
    return state


def actor_for(user, tenant) -> Actor:
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def project_in(tenant, project_id: int) -> Project:
    with tenant_scope(tenant.pk):
        return Project.objects.get(pk=project_id)
