"""Reads of projects and orders."""

from django.db.models import Q, QuerySet

from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from .models import Project, ProjectKind, ProjectStatus


def project_get(project_id: int) -> Project | None:
    return Project.objects.filter(pk=project_id).first()


def project_reportable_for(*, actor: Actor) -> QuerySet[Project]:
    """The active projects the actor may report time on.

    A user who sees projects (BASIC and up) may report on every active one; a LIGHT user only on the
    projects they are assigned to, and on internal projects (interntid is open to every employee)."""
    active = Project.objects.filter(status=ProjectStatus.ACTIVE)
    if actor.has(Perm.PROJECTS_VIEW):
        return active
    membership_id = actor.membership.pk if actor.membership else None
    return active.filter(
        Q(kind=ProjectKind.INTERNAL) | Q(assignments__membership_id=membership_id)
    ).distinct()


def project_can_report(*, actor: Actor, project: Project) -> bool:
    return project_reportable_for(actor=actor).filter(pk=project.pk).exists()
