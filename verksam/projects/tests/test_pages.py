"""The projects pages: the DESIGN.md trio (other tenant 404 incl. forged ids, authorization matrix
with refused writes changing nothing, constant query counts) and what each page does."""

import pytest
from django.urls import reverse

from verksam.projects.models import Project, ProjectKind, ProjectMember, ProjectStatus
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, sv

from .conftest import CREATORS, MANAGERS, PRICE_VIEWERS, ROLES, VIEWERS
from .factories import ProjectFactory, ProjectMemberFactory
from .helpers import membership_of, project_in, projects_state


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _form(**changes) -> dict:
    data = {
        "number": "",
        "name": "Badrum Berg",
        "kind": "project",
        "customer_name": "Berit Berg",
        "manager": "",
        "pricing_type": "time_materials",
        "start_date": "2026-03-02",
        "end_date": "2026-04-30",
        "site_address": "Storgatan 1",
        "site_postcode": "722 10",
        "site_city": "Västerås",
    }
    data.update(changes)
    return data


def _object_pages(tenant, project_id, membership_id):
    """Every (method, url, data) that names a project."""
    return [
        ("get", _url("project_detail", tenant, project_id), None),
        ("get", _url("project_edit", tenant, project_id), None),
        ("post", _url("project_edit", tenant, project_id), _form(name="Kapat")),
        ("post", _url("project_complete", tenant, project_id), {}),
        ("post", _url("project_reopen", tenant, project_id), {}),
        ("post", _url("project_member_add", tenant, project_id), {"membership": membership_id}),
        ("post", _url("project_member_remove", tenant, project_id, membership_id), {}),
    ]


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


# --- (a) another tenant's user and forged ids answer 404 ----------------------------------------------


def test_stranger_gets_404_on_every_projects_page(tenant, everyone, project, employee, stranger):
    member = membership_of(tenant, employee)
    ProjectMemberFactory(project=project, membership=member)
    calls = [
        ("get", _url("project_list", tenant), None),
        ("get", _url("project_create", tenant), None),
        ("post", _url("project_create", tenant), _form()),
        *_object_pages(tenant, project.pk, member.pk),
    ]
    before = projects_state(tenant)
    client = login_client(stranger)
    for method, url, data in calls:
        assert _call(client, method, url, data).status_code == 404, url
    assert projects_state(tenant) == before


def test_forged_project_id_of_another_tenant_answers_404(tenant, owner, employee, other_tenant, stranger):
    # given a project of other_tenant with its own member
    foreign = ProjectFactory(tenant=other_tenant)
    foreign_member = membership_of(other_tenant, stranger)
    ProjectMemberFactory(project=foreign, membership=foreign_member)
    before = projects_state(tenant, other_tenant)
    client = login_client(owner)
    # when the owner of tenant names it through tenant's own URLs / then 404 and nothing changed
    for method, url, data in _object_pages(tenant, foreign.pk, foreign_member.pk):
        assert _call(client, method, url, data).status_code == 404, url
    assert projects_state(tenant, other_tenant) == before


def test_forged_membership_id_of_another_tenant_is_refused(tenant, owner, project, other_tenant, stranger):
    foreign = membership_of(other_tenant, stranger)
    before = projects_state(tenant, other_tenant)
    client = login_client(owner)
    response = client.post(_url("project_member_add", tenant, project.pk), {"membership": foreign.pk})
    assert response.status_code == 422
    assert "membership" in response.context["add_form"].errors
    response = client.post(_url("project_member_remove", tenant, project.pk, foreign.pk))
    assert response.status_code == 404
    response = client.post(_url("project_create", tenant), _form(manager=foreign.pk))
    assert response.status_code == 422
    assert "manager" in response.context["form"].errors
    assert projects_state(tenant, other_tenant) == before


# --- (b) authorization matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_read_pages_matrix(request, tenant, everyone, project, role):
    client = login_client(request.getfixturevalue(role))
    for name, args in [("project_list", []), ("project_detail", [project.pk])]:
        response = client.get(_url(name, tenant, *args))
        assert response.status_code == (200 if role in VIEWERS else 403), name


@pytest.mark.parametrize("role", ROLES)
def test_projects_module_is_in_the_navigation_only_for_viewers(request, tenant, everyone, role):
    response = login_client(request.getfixturevalue(role)).get(reverse("web:dashboard", args=[tenant.slug]))
    assert (_url("project_list", tenant) in response.content.decode()) == (role in VIEWERS)


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(request, tenant, everyone, role):
    before = projects_state(tenant)
    client = login_client(request.getfixturevalue(role))
    assert client.get(_url("project_create", tenant)).status_code == (200 if role in CREATORS else 403)
    response = client.post(_url("project_create", tenant), _form())
    if role in CREATORS:
        assert response.status_code == 302
        with tenant_scope(tenant.pk):
            created = Project.objects.get(name="Badrum Berg")
        assert response.url == _url("project_detail", tenant, created.pk)
        assert created.number == "1"
    else:
        assert response.status_code == 403
        assert projects_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_edit_matrix_on_someone_elses_project(request, tenant, everyone, project, role):
    # given a project the owner created / when each role saves a new name
    before = projects_state(tenant)
    client = login_client(request.getfixturevalue(role))
    url = _url("project_edit", tenant, project.pk)
    assert client.get(url).status_code == (200 if role in MANAGERS else 403)
    response = client.post(url, _form(number="1001", name="Nytt namn", hourly_rate="850,50"))
    # then only PROJECTS_MANAGE saves it (BASIC may edit only their own); the others changed nothing
    if role in MANAGERS:
        assert response.status_code == 302
        assert project_in(tenant, project.pk).name == "Nytt namn"
    else:
        assert response.status_code == 403
        assert projects_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["project_complete", "project_reopen"])
def test_complete_and_reopen_matrix(request, tenant, everyone, role, action):
    user = request.getfixturevalue(role)
    status = ProjectStatus.ACTIVE if action == "project_complete" else ProjectStatus.COMPLETED
    project = ProjectFactory(tenant=tenant, status=status, created_by=user)  # even their own project
    before = projects_state(tenant)
    response = login_client(user).post(_url(action, tenant, project.pk))
    if role in MANAGERS:
        assert response.status_code == 302
        assert project_in(tenant, project.pk).status != status
    else:
        assert response.status_code == 403
        assert projects_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_member_add_and_remove_matrix(request, tenant, everyone, project, employee, role):
    member = membership_of(tenant, employee)
    client = login_client(request.getfixturevalue(role))
    before = projects_state(tenant)
    response = client.post(_url("project_member_add", tenant, project.pk), {"membership": member.pk})
    if role not in MANAGERS:
        assert response.status_code == 403
        assert projects_state(tenant) == before
        ProjectMemberFactory(project=project, membership=member)
        before = projects_state(tenant)
        response = client.post(_url("project_member_remove", tenant, project.pk, member.pk))
        assert response.status_code == 403
        assert projects_state(tenant) == before
        return
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert ProjectMember.objects.filter(project=project, membership=member).exists()
    response = client.post(_url("project_member_remove", tenant, project.pk, member.pk))
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        assert not ProjectMember.objects.filter(project=project).exists()


def test_basic_edits_and_staffs_their_own_project(tenant, everyone, basic, employee):
    client = login_client(basic)
    client.post(_url("project_create", tenant), _form(name="Eget jobb"))
    with tenant_scope(tenant.pk):
        own = Project.objects.get(name="Eget jobb")
    assert (
        client.post(_url("project_edit", tenant, own.pk), _form(number=own.number, name="Eget 2")).status_code
        == 302
    )
    member = membership_of(tenant, employee)
    response = client.post(_url("project_member_add", tenant, own.pk), {"membership": member.pk})
    assert response.status_code == 302
    page = client.get(_url("project_detail", tenant, own.pk)).content.decode()
    assert "Erik Anställd" in page
    assert _url("project_complete", tenant, own.pk) not in page  # completing is for PROJECTS_MANAGE


# --- prices: BASIC never sees or touches them ---------------------------------------------------------


@pytest.mark.parametrize("role", ["basic", "attestant", "owner", "partner_full"])
def test_prices_show_only_with_prices_view(request, tenant, everyone, project, role):
    client = login_client(request.getfixturevalue(role))
    pages = [
        client.get(_url("project_list", tenant)),
        client.get(_url("project_detail", tenant, project.pk)),
    ]
    for response in pages:
        html = response.content.decode()
        assert ("850,50" in html) == (role in PRICE_VIEWERS)
        assert ("123\u00a0456,00" in html) == (role in PRICE_VIEWERS) or response is pages[0]
        assert (sv("Hourly rate") in html) == (role in PRICE_VIEWERS)


def test_basic_edit_form_has_no_price_fields_and_keeps_prices(tenant, basic, project):
    with tenant_scope(tenant.pk):
        Project.objects.filter(pk=project.pk).update(manager=membership_of(tenant, basic))
    client = login_client(basic)
    url = _url("project_edit", tenant, project.pk)
    response = client.get(url)
    assert "hourly_rate" not in response.context["form"].fields
    assert "850,50" not in response.content.decode()
    # a forged price field in the POST is ignored: the form has no such field
    response = client.post(url, _form(number="1001", name="Kök B", hourly_rate="1", fixed_price="1"))
    assert response.status_code == 302
    saved = project_in(tenant, project.pk)
    assert (saved.name, saved.hourly_rate_ore, saved.fixed_price_ore) == ("Kök B", 85_050, 12_345_600)


def test_prices_are_typed_in_kronor_and_stored_in_ore(tenant, attestant):
    client = login_client(attestant)
    response = client.post(
        _url("project_create", tenant),
        _form(pricing_type="fixed_price", hourly_rate="850,50", fixed_price="125000"),
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        project = Project.objects.get(name="Badrum Berg")
    assert (project.hourly_rate_ore, project.fixed_price_ore) == (85_050, 12_500_000)
    form = client.get(_url("project_edit", tenant, project.pk)).context["form"]
    assert form.initial["hourly_rate"] == project.hourly_rate.kronor


# --- forms and errors ---------------------------------------------------------------------------------


def test_end_before_start_rerenders_with_422_in_swedish(tenant, owner):
    before = projects_state(tenant)
    response = login_client(owner).post(
        _url("project_create", tenant), _form(start_date="2026-05-01", end_date="2026-04-30")
    )
    assert response.status_code == 422
    assert sv("The end date cannot be before the start date.") in response.content.decode()
    assert projects_state(tenant) == before


def test_duplicate_number_rerenders_with_422(tenant, owner, project):
    response = login_client(owner).post(_url("project_create", tenant), _form(number="1001"))
    assert response.status_code == 422
    assert sv("Another project already has that number.") in str(response.context["form"].errors["number"])


def test_internal_project_with_invoicing_is_refused(tenant, owner):
    response = login_client(owner).post(
        _url("project_create", tenant), _form(kind="internal", pricing_type="fixed_price")
    )
    assert response.status_code == 422
    assert "pricing_type" in response.context["form"].errors


def test_new_internal_project_link_preselects_the_kind(tenant, owner):
    response = login_client(owner).get(_url("project_create", tenant) + "?kind=internal")
    assert response.context["form"]["kind"].value() == ProjectKind.INTERNAL


def test_complete_and_reopen_from_the_detail_page(tenant, attestant, project):
    client = login_client(attestant)
    page = client.get(_url("project_detail", tenant, project.pk)).content.decode()
    assert _url("project_complete", tenant, project.pk) in page
    client.post(_url("project_complete", tenant, project.pk))
    page = client.get(_url("project_detail", tenant, project.pk)).content.decode()
    assert sv("The project is completed: no time can be reported on it.") in page
    assert _url("project_reopen", tenant, project.pk) in page


def test_get_on_post_only_pages_is_refused(tenant, owner, project):
    assert login_client(owner).get(_url("project_complete", tenant, project.pk)).status_code == 405


# --- list: search, filters, htmx ----------------------------------------------------------------------


def test_list_filters_and_htmx_partial(tenant, owner):
    ProjectFactory(tenant=tenant, number="1", name="Kök Svensson")
    ProjectFactory(tenant=tenant, number="2", name="Tak Olsson", status=ProjectStatus.COMPLETED)
    ProjectFactory(tenant=tenant, number="3", name="Administration", kind=ProjectKind.INTERNAL)
    client = login_client(owner)
    url = _url("project_list", tenant)
    assert [p.number for p in client.get(url).context["projects"]] == ["1", "2", "3"]
    assert [p.number for p in client.get(url, {"q": "olsson"}).context["projects"]] == ["2"]
    assert [p.number for p in client.get(url, {"status": "active"}).context["projects"]] == ["1", "3"]
    assert [p.number for p in client.get(url, {"kind": "internal"}).context["projects"]] == ["3"]
    # htmx gets only the results table
    partial = client.get(url, {"q": "kök"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="project-results"')
    assert "Kök Svensson" in html and "Tak Olsson" not in html and "<html" not in html
    empty = client.get(url, {"q": "finns inte"}, HTTP_HX_REQUEST="true").content.decode()
    assert sv("No project matches the search.") in empty


# --- (c) constant query counts ------------------------------------------------------------------------


def _add_projects(tenant, n, employee_member=None):
    for _i in range(n):
        manager = MembershipFactory(tenant=tenant, licence=Licence.BASIC)
        ProjectFactory(tenant=tenant, manager=manager, hourly_rate_ore=50_000)


def test_list_page_query_count(tenant, owner):
    client = login_client(owner)
    url = _url("project_list", tenant)
    _add_projects(tenant, 2)
    few, _ = count_queries(lambda: client.get(url))
    _add_projects(tenant, 28)
    many, response = count_queries(lambda: client.get(url))
    assert len(response.context["projects"]) == 30
    assert few == many, f"project list: {few} queries with 2 rows, {many} with 30"


def test_detail_page_query_count(tenant, owner, project):
    def add(n):
        for _i in range(n):
            ProjectMemberFactory(project=project, membership=MembershipFactory(tenant=tenant))
            MembershipFactory(tenant=tenant)  # an assignable one as well

    client = login_client(owner)
    url = _url("project_detail", tenant, project.pk)
    add(2)
    few, _ = count_queries(lambda: client.get(url))
    add(28)
    many, response = count_queries(lambda: client.get(url))
    assert len(response.context["members"]) == 30
    assert few == many, f"project detail: {few} queries with 2 rows, {many} with 30"
