"""The projects API: the DESIGN.md trio (other tenant 404 incl. forged ids, authorization matrix with
refused calls changing nothing, constant query count) and the rules seen through JSON."""

import pytest

from verksam.projects.models import Project, ProjectKind, ProjectStatus
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries

from .conftest import CREATORS, MANAGERS, PRICE_VIEWERS, ROLES, VIEWERS
from .factories import ProjectFactory, ProjectMemberFactory
from .helpers import membership_of, project_in, projects_state

JSON = "application/json"


def _base(tenant) -> str:
    return f"/api/v1/tenants/{tenant.pk}/projects"


def _call(client, method, url, body=None, **headers):
    if method in ("get", "delete"):
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, body or {}, content_type=JSON, **headers)


def _assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert isinstance(body["extra"], dict)


def _object_calls(tenant, project_id, membership_id):
    base = f"{_base(tenant)}/{project_id}"
    return [
        ("get", base, None),
        ("patch", base, {"name": "Kapat"}),
        ("patch", base, {"status": "completed"}),
        ("post", f"{base}/members", {"membership_id": membership_id}),
        ("delete", f"{base}/members/{membership_id}", None),
    ]


# --- (a) other tenant -> 404 --------------------------------------------------------------------------


def test_stranger_gets_404_on_every_projects_endpoint(tenant, everyone, project, employee, stranger):
    member = membership_of(tenant, employee)
    ProjectMemberFactory(project=project, membership=member)
    calls = [
        ("get", _base(tenant), None),
        ("post", _base(tenant), {"name": "X"}),
        *_object_calls(tenant, project.pk, member.pk),
    ]
    before = projects_state(tenant)
    client = api_client(stranger)
    for method, url, body in calls:
        _assert_error(_call(client, method, url, body), 404, "not_found")
    assert projects_state(tenant) == before


def test_forged_project_id_answers_404_and_changes_nothing(tenant, owner, other_tenant, stranger):
    foreign = ProjectFactory(tenant=other_tenant)
    foreign_member = membership_of(other_tenant, stranger)
    ProjectMemberFactory(project=foreign, membership=foreign_member)
    before = projects_state(tenant, other_tenant)
    client = api_client(owner)
    for method, url, body in _object_calls(tenant, foreign.pk, foreign_member.pk):
        _assert_error(_call(client, method, url, body), 404, "not_found")
    assert projects_state(tenant, other_tenant) == before


def test_forged_membership_ids_answer_404_and_change_nothing(tenant, owner, project, other_tenant, stranger):
    foreign = membership_of(other_tenant, stranger)
    before = projects_state(tenant, other_tenant)
    client = api_client(owner)
    calls = [
        ("post", _base(tenant), {"name": "X", "manager_id": foreign.pk}),
        ("patch", f"{_base(tenant)}/{project.pk}", {"manager_id": foreign.pk}),
        ("post", f"{_base(tenant)}/{project.pk}/members", {"membership_id": foreign.pk}),
        ("delete", f"{_base(tenant)}/{project.pk}/members/{foreign.pk}", None),
    ]
    for method, url, body in calls:
        _assert_error(_call(client, method, url, body), 404, "not_found")
    assert projects_state(tenant, other_tenant) == before


# --- (b) authorization matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(request, tenant, everyone, project, role):
    client = api_client(request.getfixturevalue(role))
    list_response = client.get(_base(tenant))
    detail_response = client.get(f"{_base(tenant)}/{project.pk}")
    if role in VIEWERS:
        assert list_response.json()["total"] == 1
        assert detail_response.json()["number"] == "1001"
    elif role == "employee":  # LIGHT: only assigned and internal projects, for the time-entry picker
        assert list_response.json()["total"] == 0
        _assert_error(detail_response, 404, "not_found")
    else:
        _assert_error(list_response, 403, "forbidden")
        _assert_error(detail_response, 403, "forbidden")


def test_light_user_reads_assigned_and_internal_projects(tenant, employee, project):
    internal = ProjectFactory(tenant=tenant, kind=ProjectKind.INTERNAL, number="9000")
    ProjectFactory(tenant=tenant, number="1002")
    ProjectMemberFactory(project=project, membership=membership_of(tenant, employee))
    client = api_client(employee)
    body = client.get(_base(tenant)).json()
    assert [p["id"] for p in body["items"]] == [project.pk, internal.pk]
    assert body["items"][0]["hourly_rate_ore"] is None  # LIGHT has no PRICES_VIEW either
    assert client.get(f"{_base(tenant)}/{project.pk}").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(request, tenant, everyone, role):
    before = projects_state(tenant)
    response = api_client(request.getfixturevalue(role)).post(
        _base(tenant), {"name": "Altan", "customer_name": "Kund"}, content_type=JSON
    )
    if role in CREATORS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["number"], body["status"], body["members"]) == ("1", "active", [])
        assert project_in(tenant, body["id"]).name == "Altan"
    else:
        _assert_error(response, 403, "forbidden")
        assert projects_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_patch_matrix_on_someone_elses_project(request, tenant, everyone, project, role):
    before = projects_state(tenant)
    response = api_client(request.getfixturevalue(role)).patch(
        f"{_base(tenant)}/{project.pk}", {"name": "Nytt namn"}, content_type=JSON
    )
    if role in MANAGERS:
        assert response.status_code == 200, response.content
        assert project_in(tenant, project.pk).name == "Nytt namn"
    else:
        _assert_error(response, 403, "forbidden")
        assert projects_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_status_matrix(request, tenant, everyone, role):
    user = request.getfixturevalue(role)
    project = ProjectFactory(tenant=tenant, created_by=user)
    client = api_client(user)
    before = projects_state(tenant)
    response = client.patch(
        f"{_base(tenant)}/{project.pk}", {"name": "Klart", "status": "completed"}, content_type=JSON
    )
    if role in MANAGERS:
        assert response.json()["status"] == "completed"
        response = client.patch(f"{_base(tenant)}/{project.pk}", {"status": "active"}, content_type=JSON)
        assert response.json()["status"] == "active"
    else:
        _assert_error(response, 403, "forbidden")
        assert projects_state(tenant) == before  # not even the name was saved


@pytest.mark.parametrize("role", ROLES)
def test_members_matrix(request, tenant, everyone, project, employee, role):
    member = membership_of(tenant, employee)
    client = api_client(request.getfixturevalue(role))
    url = f"{_base(tenant)}/{project.pk}/members"
    before = projects_state(tenant)
    response = client.post(url, {"membership_id": member.pk}, content_type=JSON)
    if role in MANAGERS:
        assert response.status_code == 201
        assert response.json() == {
            "membership_id": member.pk,
            "user_id": employee.pk,
            "name": "Erik Anställd",
            "licence": "LIGHT",
        }
        detail = client.get(f"{_base(tenant)}/{project.pk}").json()
        assert [m["membership_id"] for m in detail["members"]] == [member.pk]
        _assert_error(
            client.post(url, {"membership_id": member.pk}, content_type=JSON), 409, "already_assigned"
        )
        assert client.delete(f"{url}/{member.pk}").status_code == 204
        _assert_error(client.delete(f"{url}/{member.pk}"), 404, "not_assigned")
    else:
        _assert_error(response, 403, "forbidden")
        ProjectMemberFactory(project=project, membership=member)
        before = projects_state(tenant)
        _assert_error(client.delete(f"{url}/{member.pk}"), 403, "forbidden")
        assert projects_state(tenant) == before


# --- prices -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["basic", "attestant", "owner", "partner_full"])
def test_prices_are_null_without_prices_view(request, tenant, everyone, project, role):
    client = api_client(request.getfixturevalue(role))
    for item in (
        client.get(_base(tenant)).json()["items"][0],
        client.get(f"{_base(tenant)}/{project.pk}").json(),
    ):
        if role in PRICE_VIEWERS:
            assert (item["hourly_rate_ore"], item["fixed_price_ore"]) == (85_050, 12_345_600)
        else:
            assert (item["hourly_rate_ore"], item["fixed_price_ore"]) == (None, None)


def test_basic_writes_naming_prices_are_refused_and_change_nothing(tenant, everyone, basic):
    client = api_client(basic)
    before = projects_state(tenant)
    response = client.post(_base(tenant), {"name": "X", "hourly_rate_ore": 100}, content_type=JSON)
    _assert_error(response, 403, "prices_forbidden")
    assert projects_state(tenant) == before
    own = client.post(_base(tenant), {"name": "Eget"}, content_type=JSON).json()
    before = projects_state(tenant)
    for body in ({"fixed_price_ore": 1}, {"hourly_rate_ore": None}):
        _assert_error(
            client.patch(f"{_base(tenant)}/{own['id']}", body, content_type=JSON), 403, "prices_forbidden"
        )
    assert projects_state(tenant) == before
    # and BASIC edits their own project's other data
    response = client.patch(f"{_base(tenant)}/{own['id']}", {"site_city": "Umeå"}, content_type=JSON)
    assert response.json()["site_city"] == "Umeå"


def test_standard_sets_and_clears_prices(tenant, attestant):
    client = api_client(attestant)
    body = client.post(
        _base(tenant),
        {"name": "Fast pris", "pricing_type": "fixed_price", "fixed_price_ore": 5_000_000},
        content_type=JSON,
    ).json()
    assert body["fixed_price_ore"] == 5_000_000
    body = client.patch(f"{_base(tenant)}/{body['id']}", {"fixed_price_ore": None}, content_type=JSON).json()
    assert body["fixed_price_ore"] is None


# --- rules through the API ----------------------------------------------------------------------------


def test_rule_errors_are_code_message_extra(tenant, owner, project):
    client = api_client(owner)
    before = projects_state(tenant)
    response = client.post(
        _base(tenant), {"name": "X", "start_date": "2026-05-02", "end_date": "2026-05-01"}, content_type=JSON
    )
    _assert_error(response, 400, "end_before_start")
    assert response.json()["extra"]["field"] == "end_date"
    _assert_error(
        client.post(_base(tenant), {"name": "X", "number": "1001"}, content_type=JSON),
        409,
        "duplicate_number",
    )
    _assert_error(
        client.post(
            _base(tenant), {"name": "X", "kind": "internal", "pricing_type": "fixed_price"}, content_type=JSON
        ),
        400,
        "internal_invoiced",
    )
    _assert_error(
        client.post(_base(tenant), {"name": "X", "hourly_rate_ore": -5}, content_type=JSON), 422, "invalid"
    )
    _assert_error(
        client.post(_base(tenant), {"name": "X", "kind": "galen"}, content_type=JSON), 422, "invalid"
    )
    _assert_error(
        client.patch(f"{_base(tenant)}/{project.pk}", {"status": "galen"}, content_type=JSON),
        400,
        "invalid_status",
    )
    assert projects_state(tenant) == before


def test_patch_with_null_for_a_required_field_leaves_it_unchanged(tenant, owner, project):
    response = api_client(owner).patch(
        f"{_base(tenant)}/{project.pk}", {"name": None, "end_date": None}, content_type=JSON
    )
    assert response.json()["name"] == "Kök Andersson"


def test_list_paging_and_filters(tenant, owner):
    for i in range(5):
        ProjectFactory(tenant=tenant, number=str(i + 1), name=f"Projekt {i + 1}")
    ProjectFactory(
        tenant=tenant, number="6", name="Intern", kind=ProjectKind.INTERNAL, status=ProjectStatus.COMPLETED
    )
    client = api_client(owner)
    page = client.get(_base(tenant), {"page": 2, "page_size": 2}).json()
    assert (page["total"], page["page"], [p["number"] for p in page["items"]]) == (6, 2, ["3", "4"])
    assert client.get(_base(tenant), {"search": "intern"}).json()["total"] == 1
    assert client.get(_base(tenant), {"status": "completed"}).json()["items"][0]["number"] == "6"
    assert client.get(_base(tenant), {"kind": "project"}).json()["total"] == 5


def test_post_with_idempotency_key_creates_once(tenant, owner):
    client = api_client(owner)
    headers = {"HTTP_IDEMPOTENCY_KEY": "3f1c-projekt-1"}
    first = _call(client, "post", _base(tenant), {"name": "Offline"}, **headers)
    again = _call(client, "post", _base(tenant), {"name": "Offline"}, **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    with tenant_scope(tenant.pk):
        assert Project.objects.filter(name="Offline").count() == 1


# --- (c) constant query count -------------------------------------------------------------------------


def _warm(client):
    # The first call with a token records its last use; measure the steady state.
    client.get("/api/v1/me")
    return client


def test_list_endpoint_query_count(tenant, owner):
    def add(n):
        for _i in range(n):
            ProjectFactory(tenant=tenant, manager=MembershipFactory(tenant=tenant, licence=Licence.BASIC))

    client = _warm(api_client(owner))
    add(2)
    few, _ = count_queries(lambda: client.get(_base(tenant)))
    add(28)
    many, response = count_queries(lambda: client.get(_base(tenant)))
    assert response.json()["total"] == len(response.json()["items"]) == 30
    assert few == many, f"project list API: {few} queries with 2 rows, {many} with 30"


def test_detail_endpoint_query_count(tenant, owner, project):
    def add(n):
        for _i in range(n):
            ProjectMemberFactory(project=project, membership=MembershipFactory(tenant=tenant))

    client = _warm(api_client(owner))
    url = f"{_base(tenant)}/{project.pk}"
    add(2)
    few, _ = count_queries(lambda: client.get(url))
    add(28)
    many, response = count_queries(lambda: client.get(url))
    assert len(response.json()["members"]) == 30
    assert few == many, f"project detail API: {few} queries with 2 rows, {many} with 30"
