"""API of the projects module: projects and orders, and who is assigned to them.

Reading: PROJECTS_VIEW (BASIC and up) reads every project; a user who only reports own time (LIGHT,
the mobile app's project picker) reads the projects they are assigned to and the internal ones.
Prices are null in every answer to a user without PRICES_VIEW."""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import Field

from verksam.core.errors import DomainError, Forbidden
from verksam.projects import selectors, services
from verksam.projects.models import Project, ProjectStatus
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import membership_get

from ..paging import Page, PageParams, paginate
from ..schemas.projects import (
    ProjectDetailOut,
    ProjectIn,
    ProjectMemberIn,
    ProjectMemberOut,
    ProjectOut,
    ProjectPatch,
)
from ..tenant import tenant_endpoint
from ..types import Id, Word

router = Router(tags=["projects"])

# Fields a PATCH may set to null; null for any other field means "leave unchanged".
NULLABLE = {"manager_id", "hourly_rate_ore", "fixed_price_ore", "start_date", "end_date"}


class ProjectListParams(PageParams):
    search: str = Field("", max_length=200)
    status: Word | None = None
    kind: Word | None = None


def _require_read(request) -> None:
    actor = request.actor
    if not (actor.has(Perm.PROJECTS_VIEW) or actor.has(Perm.TIME_REPORT_OWN)):
        raise Forbidden(_("You do not have permission to do this."), extra={"perm": str(Perm.PROJECTS_VIEW)})


def _project(request, project_id: int) -> Project:
    project = selectors.project_get_for(actor=request.actor, project_id=project_id)
    if project is None:
        raise Http404
    return project


def _membership(membership_id: int | None):
    if membership_id is None:
        return None
    membership = membership_get(membership_id)
    if membership is None:
        raise Http404  # another tenant's id answers like a missing one (rule 8)
    return membership


def _detail(project: Project) -> Project:
    project.assignment_list = list(selectors.project_member_list(project=project))  # type: ignore[attr-defined]
    return project


@router.get("/tenants/{tenant_id}/projects", response=Page[ProjectOut], summary="Projects and orders")
@tenant_endpoint()
def project_list(request, tenant_id: Id, params: Query[ProjectListParams]):
    _require_read(request)
    projects = selectors.project_list(
        actor=request.actor, search=params.search, status=params.status, kind=params.kind
    )
    return paginate(projects, params.page, params.page_size)


@router.post(
    "/tenants/{tenant_id}/projects",
    response={201: ProjectDetailOut},
    summary="Create a project (an empty number takes the next free one)",
)
@tenant_endpoint(Perm.PROJECTS_CREATE)
def project_create(request, tenant_id: Id, payload: ProjectIn):
    data = payload.dict(exclude_unset=True)
    data["manager"] = _membership(data.pop("manager_id", None))
    project = services.project_create(actor=request.actor, **data)
    return Status(201, _detail(_project(request, project.pk)))


@router.get("/tenants/{tenant_id}/projects/{project_id}", response=ProjectDetailOut, summary="One project")
@tenant_endpoint()
def project_get(request, tenant_id: Id, project_id: Id):
    _require_read(request)
    return _detail(_project(request, project_id))


@router.patch(
    "/tenants/{tenant_id}/projects/{project_id}",
    response=ProjectDetailOut,
    summary="Change a project; status completes or reopens it",
)
@tenant_endpoint(Perm.PROJECTS_CREATE)
def project_update(request, tenant_id: Id, project_id: Id, payload: ProjectPatch):
    project = _project(request, project_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in NULLABLE}
    status = changes.pop("status", None)
    if "manager_id" in changes:
        changes["manager"] = _membership(changes.pop("manager_id"))
    if status is not None and status not in ProjectStatus.values:
        raise DomainError(_("Unknown status."), code="invalid_status", extra={"field": "status"})
    if status is not None and status != project.status:
        request.actor.require(Perm.PROJECTS_MANAGE)  # before any change: a refused call writes nothing
    with transaction.atomic():
        if changes:
            project = services.project_update(actor=request.actor, project=project, **changes)
        if status == ProjectStatus.COMPLETED:
            project = services.project_complete(actor=request.actor, project=project)
        elif status == ProjectStatus.ACTIVE:
            project = services.project_reopen(actor=request.actor, project=project)
    return _detail(_project(request, project.pk))


@router.post(
    "/tenants/{tenant_id}/projects/{project_id}/members",
    response={201: ProjectMemberOut},
    summary="Assign a user to the project",
)
@tenant_endpoint(Perm.PROJECTS_CREATE)
def project_member_add(request, tenant_id: Id, project_id: Id, payload: ProjectMemberIn):
    project = _project(request, project_id)
    membership = _membership(payload.membership_id)
    assignment = services.project_member_add(actor=request.actor, project=project, membership=membership)
    assignment.membership = membership
    return Status(201, assignment)


@router.delete(
    "/tenants/{tenant_id}/projects/{project_id}/members/{member_id}",
    response={204: None},
    summary="Remove a user (by membership id) from the project",
)
@tenant_endpoint(Perm.PROJECTS_CREATE)
def project_member_remove(request, tenant_id: Id, project_id: Id, member_id: Id):
    project = _project(request, project_id)
    membership = _membership(member_id)
    services.project_member_remove(actor=request.actor, project=project, membership=membership)
    return Status(204, None)
