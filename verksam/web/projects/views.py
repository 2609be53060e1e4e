"""Pages of the projects module (Projekt): list with search and filters, create, edit, detail with
assigned users, complete and reopen. LIGHT users do not see the module (Perm.PROJECTS_VIEW)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core.errors import DomainError
from verksam.projects import selectors, services
from verksam.projects.models import Project, ProjectKind
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import membership_get
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import MemberAddForm, ProjectFilterForm, ProjectForm


def _project_or_404(request: TenantRequest, project_id: int) -> Project:
    project = selectors.project_get_for(actor=request.actor, project_id=project_id)
    if project is None:
        raise Http404
    return project


def _editable_project(request: TenantRequest, project_id: int) -> Project:
    """The project, if the actor may change it (403 otherwise, 404 if they cannot see it)."""
    project = _project_or_404(request, project_id)
    if not selectors.project_can_edit(actor=request.actor, project=project):
        raise PermissionDenied
    return project


def _form_page(
    request: TenantRequest,
    slug: str,
    form: ProjectForm,
    project: Project | None,
    save: Callable[[], tuple[Project, str]],
) -> HttpResponse:
    """The create/edit form: a valid POST runs `save` (which returns the project and the success
    message) and goes to the project; otherwise the form is shown, with 422 after a POST."""
    if request.method == "POST" and form.is_valid():
        try:
            saved, message = save()
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, message)
            return redirect("web:project_detail", slug, saved.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/projects/form.html", {"form": form, "project": project}, status=status)


@tenant_view(Perm.PROJECTS_VIEW)
def project_list(request: TenantRequest, slug: str) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list(
        actor=request.actor,
        search=filters.get("q", ""),
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
    )
    context = {
        "form": form,
        "projects": projects,
        "show_prices": request.actor.has(Perm.PRICES_VIEW),
        "filtered": bool(filters and any(filters.values())),
    }
    # htmx asks for the results only, so typing in the search box refreshes just the table.
    template = "web/projects/list.html#results" if request.htmx else "web/projects/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@tenant_view(Perm.PROJECTS_CREATE)
def project_create(request: TenantRequest, slug: str) -> HttpResponse:
    show_prices = request.actor.has(Perm.PRICES_VIEW)
    kind = request.GET.get("kind")
    initial: dict[str, object] = {"kind": kind if kind in ProjectKind.values else ProjectKind.PROJECT}
    if request.actor.membership is not None:
        initial["manager"] = request.actor.membership.pk
    form = ProjectForm(request.POST or None, initial=initial, show_prices=show_prices)

    def save() -> tuple[Project, str]:
        project = services.project_create(actor=request.actor, **form.service_data())
        return project, _("Project %(number)s has been created.") % {"number": project.number}

    return _form_page(request, slug, form, None, save)


@tenant_view(Perm.PROJECTS_VIEW)
def project_edit(request: TenantRequest, slug: str, project_id: int) -> HttpResponse:
    project = _editable_project(request, project_id)
    show_prices = request.actor.has(Perm.PRICES_VIEW)
    form = ProjectForm(
        request.POST or None, initial=ProjectForm.initial_for(project), show_prices=show_prices
    )

    def save() -> tuple[Project, str]:
        services.project_update(actor=request.actor, project=project, **form.service_data())
        return project, _("The changes have been saved.")

    return _form_page(request, slug, form, project, save)


def _detail(request: TenantRequest, project: Project, add_form: MemberAddForm | None = None, status=200):
    can_edit = selectors.project_can_edit(actor=request.actor, project=project)
    assignable = selectors.project_assignable_members(project=project)
    context = {
        "project": project,
        "members": selectors.project_member_list(project=project),
        "can_edit": can_edit,
        "can_manage": request.actor.has(Perm.PROJECTS_MANAGE),
        "show_prices": request.actor.has(Perm.PRICES_VIEW),
        "add_form": add_form or (MemberAddForm(queryset=assignable) if can_edit else None),
    }
    return render(request, "web/projects/detail.html", context, status=status)


@tenant_view(Perm.PROJECTS_VIEW)
def project_detail(request: TenantRequest, slug: str, project_id: int) -> HttpResponse:
    return _detail(request, _project_or_404(request, project_id))


def _change_status(
    request: TenantRequest, slug: str, project_id: int, change: Callable[..., Project], message: str
) -> HttpResponse:
    """Complete or reopen (`change`) the project and go back to it."""
    project = _project_or_404(request, project_id)
    change(actor=request.actor, project=project)
    messages.success(request, message)
    return redirect("web:project_detail", slug, project.pk)


@tenant_view(Perm.PROJECTS_MANAGE)
@require_POST
def project_complete(request: TenantRequest, slug: str, project_id: int) -> HttpResponse:
    message = _("The project has been completed. No more time can be reported on it.")
    return _change_status(request, slug, project_id, services.project_complete, message)


@tenant_view(Perm.PROJECTS_MANAGE)
@require_POST
def project_reopen(request: TenantRequest, slug: str, project_id: int) -> HttpResponse:
    return _change_status(
        request, slug, project_id, services.project_reopen, _("The project is active again.")
    )


@tenant_view(Perm.PROJECTS_CREATE)
@require_POST
def project_member_add(request: TenantRequest, slug: str, project_id: int) -> HttpResponse:
    project = _editable_project(request, project_id)
    form = MemberAddForm(request.POST, queryset=selectors.project_assignable_members(project=project))
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            services.project_member_add(actor=request.actor, project=project, membership=membership)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been assigned to the project.") % {"name": membership.user.name}
            )
            return redirect("web:project_detail", slug, project.pk)
    return _detail(request, project, add_form=form, status=422)


@tenant_view(Perm.PROJECTS_CREATE)
@require_POST
def project_member_remove(
    request: TenantRequest, slug: str, project_id: int, membership_id: int
) -> HttpResponse:
    project = _editable_project(request, project_id)
    membership = membership_get(membership_id)
    if membership is None:
        raise Http404
    try:
        services.project_member_remove(actor=request.actor, project=project, membership=membership)
    except DomainError as exc:
        raise Http404 from exc
    messages.success(
        request, _("%(name)s is no longer assigned to the project.") % {"name": membership.user.name}
    )
    return redirect("web:project_detail", slug, project.pk)
