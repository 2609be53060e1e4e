"""Reads of projects and orders."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from verksam.core.fixedquery import FixedQuery
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import FIXED_SCOPE

from .models import Project, ProjectKind, ProjectMember, ProjectStatus


def project_by_id(project_id: int) -> QuerySet[Project]:
    """The project `project_id` of the tenant in scope, as a queryset (empty for another tenant's)."""
    return Project.objects.filter(pk=project_id).order_by()[:1]


# read on every time entry a phone sends: compiled once per process and scope size (issue 13)
_PROJECT = FixedQuery(project_by_id, sentinels={"project_id": -7_100_000_011}, scope=FIXED_SCOPE)


def project_get(project_id: int) -> Project | None:
    return _PROJECT.first(project_id=project_id)


def projects_by_id(project_ids) -> dict[int, Project]:
    """`{id: project}` of the ids that are projects of the tenant in scope (others are left out)."""
    return Project.objects.in_bulk(list(project_ids))


def project_choices() -> list[tuple[int, str, str]]:
    """(id, number, name) of every project of the company in scope, in number order: what a voucher
    row's project is picked from (the booking permission decides there, not PROJECTS_VIEW)."""
    return list(Project.objects.order_by("number", "pk").values_list("pk", "number", "name"))


def project_reportable_for(*, actor: Actor) -> QuerySet[Project]:
    """The active projects the actor may report time on.

    A user who sees projects (BASIC and up) may report on every active one; a LIGHT user only on the
    projects they are assigned to, and on internal projects (interntid is open to every employee)."""
    return _reportable(
        sees_all=actor.has(Perm.PROJECTS_VIEW),
        membership_id=actor.membership.pk if actor.membership else None,
    )


def _reportable(*, sees_all: bool, membership_id: int | None) -> QuerySet[Project]:
    active = Project.objects.filter(status=ProjectStatus.ACTIVE)
    if sees_all:
        return active
    return active.filter(
        Q(kind=ProjectKind.INTERNAL) | Q(assignments__membership_id=membership_id)
    ).distinct()


# the week grid's projects, read on every week page: compiled once per process, shape and scope size
# (issue 13, core.fixedquery)
_REPORTABLE_ALL: FixedQuery[Project] = FixedQuery(
    lambda: _reportable(sees_all=True, membership_id=None), sentinels={}, scope=FIXED_SCOPE
)
_REPORTABLE_ASSIGNED: FixedQuery[Project] = FixedQuery(
    lambda membership_id: _reportable(sees_all=False, membership_id=membership_id),
    sentinels={"membership_id": -7_100_000_133},
    scope=FIXED_SCOPE,
)


def project_reportable_list(*, actor: Actor) -> list[Project]:
    """The rows of `project_reportable_for(actor)`, in its order, without compiling it on every call."""
    if actor.has(Perm.PROJECTS_VIEW):
        return _REPORTABLE_ALL.all()
    if actor.membership is None:  # no assignment can match: a shape of its own, rare
        return list(project_reportable_for(actor=actor))
    return _REPORTABLE_ASSIGNED.all(membership_id=actor.membership.pk)


def project_can_report(*, actor: Actor, project: Project) -> bool:
    """`project`, as it is stored now, is among `project_reportable_for(actor)`."""
    return project_reportable_for(actor=actor).filter(pk=project.pk).exists()


def project_can_report_loaded(*, actor: Actor, project: Project, assigned: bool | None = None) -> bool:
    """`project_can_report` for a project row read in this request: its status and kind are taken
    from the row, so only a LIGHT user's assignment needs a query (issue 13: every time entry).
    `assigned`: whether the actor is assigned, when the caller read it already
    (`project_assignment_query` inside a statement of its own)."""
    if project.status != ProjectStatus.ACTIVE or project.tenant_id != actor.tenant_id:
        return False
    if actor.has(Perm.PROJECTS_VIEW) or project.kind == ProjectKind.INTERNAL:
        return True
    if assigned is not None:
        return assigned
    return project_assignment_query(actor=actor, project_id=project.pk).exists()


def project_assignment_query(*, actor: Actor, project_id: int) -> QuerySet[ProjectMember]:
    """The actor's assignment to the project (empty when none): for an `Exists` in another query."""
    return project_assignment_of(
        membership_id=actor.membership.pk if actor.membership else None, project_id=project_id
    )


def project_assignment_of(*, membership_id: int | None, project_id: int) -> QuerySet[ProjectMember]:
    """The employee's assignment to the project (empty when none), by the membership's id."""
    return ProjectMember.objects.filter(project_id=project_id, membership_id=membership_id)


def project_visible_for(*, actor: Actor) -> QuerySet[Project]:
    """Every project the actor may read: all of them with PROJECTS_VIEW (BASIC and up); for a user who
    only reports own time (LIGHT) the projects they are assigned to and the internal ones."""
    if actor.has(Perm.PROJECTS_VIEW):
        return Project.objects.all()
    if not actor.has(Perm.TIME_REPORT_OWN) or actor.membership is None:
        return Project.objects.none()
    assigned = ProjectMember.objects.filter(membership_id=actor.membership.pk).values("project_id")
    return Project.objects.filter(Q(kind=ProjectKind.INTERNAL) | Q(pk__in=assigned))


def project_list(
    *, actor: Actor, search: str = "", status: str | None = None, kind: str | None = None
) -> QuerySet[Project]:
    """The projects the actor may read, filtered, in number order (numeric numbers sort as numbers),
    with the project manager loaded (a constant number of queries)."""
    qs = project_visible_for(actor=actor).select_related("manager__user")
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(name__icontains=search)
            | Q(customer_name__icontains=search)
            | Q(site_address__icontains=search)
            | Q(site_city__icontains=search)
        )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(Length("number"), "number", "pk")


def project_get_for(*, actor: Actor, project_id: int) -> Project | None:
    """One project the actor may read, or None (another tenant's id answers like a missing one)."""
    return (
        project_visible_for(actor=actor)
        .select_related("manager__user", "created_by")
        .filter(pk=project_id)
        .first()
    )


def project_can_edit(*, actor: Actor, project: Project) -> bool:
    """PROJECTS_MANAGE edits every project; PROJECTS_CREATE alone (BASIC) edits the projects the
    actor created or leads as project manager."""
    if actor.has(Perm.PROJECTS_MANAGE):
        return True
    if not actor.has(Perm.PROJECTS_CREATE):
        return False
    user_id = getattr(actor.user, "pk", None)
    if user_id is not None and project.created_by_id == user_id:
        return True
    return actor.membership is not None and project.manager_id == actor.membership.pk


def project_member_list(*, project: Project) -> QuerySet[ProjectMember]:
    """The people assigned to `project`, with their users loaded."""
    return (
        ProjectMember.objects.filter(project=project)
        .select_related("membership__user")
        .order_by("membership__user__name", "pk")
    )


def project_assignable_members(*, project: Project) -> QuerySet[Membership]:
    """Active users of the company not yet assigned to `project`."""
    assigned = ProjectMember.objects.filter(project=project).values("membership_id")
    return (
        Membership.objects.filter(is_active=True)
        .exclude(pk__in=assigned)
        .select_related("user")
        .order_by("user__name", "pk")
    )
