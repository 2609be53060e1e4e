"""The DESIGN.md trio for every API endpoint: other tenant -> 404 {code: not_found}, authorization
matrix (refused writes change nothing), constant query count (2 rows vs 30 rows)."""

import pytest
from django.utils import timezone

from verksam.tenancy.models import Licence, Membership, PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import (
    MembershipFactory,
    PartnerGrantFactory,
    TenantFactory,
    UserFactory,
    make_personnummer,
)
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries, db_state, membership_of

ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ADMINS = {"owner", "partner_full"}
# Only the customer's own TOTAL users manage accounting-firm grants (a FULL partner may not).
GRANT_ADMINS = {"owner"}
EMPLOYEE_VIEWERS = {"owner", "partner_full", "partner_limited"}
JSON = "application/json"


def _grant(tenant, user) -> PartnerGrant:
    with tenant_scope(tenant.pk):
        return PartnerGrant.objects.get(user=user)


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


@pytest.fixture
def firm_person(partner_firm):
    person = UserFactory(
        email="ny@byra.se", personnummer="199001010017", personnummer_verified_at=timezone.now()
    )
    MembershipFactory(tenant=partner_firm, user=person)
    return person


def _call(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, content_type=JSON)


def _assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert isinstance(body["extra"], dict)


# --- (a) other tenant -> 404 -------------------------------------------------------------------------


def _tenant_calls(tenant, member_id, grant_id):
    base = f"/api/v1/tenants/{tenant.pk}"
    return [
        ("get", f"{base}/members", None),
        ("post", f"{base}/members", {"email": "x@example.se", "name": "X", "licence": "TOTAL"}),
        ("patch", f"{base}/members/{member_id}", {"licence": "TOTAL"}),
        ("get", f"{base}/partner-grants", None),
        ("post", f"{base}/partner-grants", {"personnummer": "199001010017", "level": "FULL"}),
        ("delete", f"{base}/partner-grants/{grant_id}", None),
    ]


def test_stranger_gets_404_not_found_on_every_tenant_endpoint(
    tenant, everyone, employee, partner_limited, stranger
):
    member, grant = membership_of(tenant, employee), _grant(tenant, partner_limited)
    before = db_state(tenant)
    client = api_client(stranger)
    for method, url, body in _tenant_calls(tenant, member.pk, grant.pk):
        _assert_error(_call(client, method, url, body), 404, "not_found")
    assert db_state(tenant) == before


def test_unknown_tenant_answers_exactly_like_a_foreign_one(tenant, owner, stranger):
    foreign = api_client(stranger).get(f"/api/v1/tenants/{tenant.pk}/members")
    missing = api_client(owner).get("/api/v1/tenants/999999/members")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_stranger_does_not_see_the_tenant_in_the_list(tenant, everyone, stranger, other_tenant):
    response = api_client(stranger).get("/api/v1/tenants")
    assert [t["id"] for t in response.json()] == [other_tenant.pk]


def test_patch_of_a_forged_membership_id_answers_404_and_changes_nothing(tenant, owner, other_tenant):
    # given a membership of other_tenant / when patched through tenant's URL by tenant's owner
    foreign = MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)
    before = db_state(tenant, other_tenant)
    response = api_client(owner).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{foreign.pk}", {"licence": "TOTAL"}, content_type=JSON
    )
    # then 404 not_found and nothing changed anywhere
    _assert_error(response, 404, "not_found")
    assert db_state(tenant, other_tenant) == before


def test_delete_of_a_forged_grant_id_answers_404_and_changes_nothing(tenant, owner, other_tenant):
    foreign = PartnerGrantFactory(tenant=other_tenant, level="FULL")
    before = db_state(tenant, other_tenant)
    response = api_client(owner).delete(f"/api/v1/tenants/{tenant.pk}/partner-grants/{foreign.pk}")
    _assert_error(response, 404, "not_found")
    assert db_state(tenant, other_tenant) == before


@pytest.mark.parametrize("method", ["post", "patch"])
def test_forged_approver_id_answers_404_and_changes_nothing(tenant, owner, employee, other_tenant, method):
    foreign = MembershipFactory(tenant=other_tenant)
    before = db_state(tenant, other_tenant)
    base = f"/api/v1/tenants/{tenant.pk}/members"
    if method == "post":
        response = api_client(owner).post(
            base, {"email": "x@example.se", "name": "X", "approver_id": foreign.pk}, content_type=JSON
        )
    else:
        member = membership_of(tenant, employee)
        response = api_client(owner).patch(
            f"{base}/{member.pk}", {"approver_id": foreign.pk}, content_type=JSON
        )
    _assert_error(response, 404, "not_found")
    assert db_state(tenant, other_tenant) == before


# --- (b) authorization matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "stranger"])
def test_me_matrix(request, everyone, role):
    user = request.getfixturevalue(role)
    response = api_client(user).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["id"] == user.pk
    assert "personnummer" not in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_tenants_matrix(request, tenant, everyone, role):
    response = api_client(request.getfixturevalue(role)).get("/api/v1/tenants")
    assert response.status_code == 200
    row = next(t for t in response.json() if t["id"] == tenant.pk)
    assert row["role"] in {"TOTAL", "STANDARD", "LIGHT", "FULL", "LIMITED"}
    assert bool(row["via_partner"]) == role.startswith("partner")


@pytest.mark.parametrize("role", ROLES)
def test_member_list_matrix(request, tenant, everyone, role):
    response = api_client(request.getfixturevalue(role)).get(f"/api/v1/tenants/{tenant.pk}/members")
    if role in EMPLOYEE_VIEWERS:
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 3 and body["page"] == 1
        assert {m["email"] for m in body["items"]} == {
            "owner@snickeri.se",
            "attest@snickeri.se",
            "emp@snickeri.se",
        }
    else:
        _assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ROLES)
def test_member_invite_matrix(request, tenant, everyone, role):
    before = db_state(tenant)
    response = api_client(request.getfixturevalue(role)).post(
        f"/api/v1/tenants/{tenant.pk}/members",
        {"email": "Ny@Example.se", "name": "Nina Ny", "licence": "BASIC"},
        content_type=JSON,
    )
    if role in ADMINS:
        assert response.status_code == 201
        assert response.json()["email"] == "ny@example.se" and response.json()["licence"] == "BASIC"
    else:
        _assert_error(response, 403, "forbidden")
        assert db_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_member_update_matrix(request, tenant, everyone, employee, role):
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    response = api_client(request.getfixturevalue(role)).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", {"employment_number": "4711"}, content_type=JSON
    )
    if role in ADMINS:
        assert response.status_code == 200
        assert response.json()["employment_number"] == "4711"
        assert membership_of(tenant, employee).approver_id == member.approver_id  # untouched fields stay
    else:
        _assert_error(response, 403, "forbidden")
        assert db_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_partner_grant_list_matrix(request, tenant, everyone, role):
    response = api_client(request.getfixturevalue(role)).get(f"/api/v1/tenants/{tenant.pk}/partner-grants")
    if role in GRANT_ADMINS:
        assert response.status_code == 200
        assert response.json()["total"] == 2
    else:
        _assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ROLES)
def test_partner_grant_create_matrix(request, tenant, everyone, firm_person, partner_firm, role):
    before = db_state(tenant)
    response = api_client(request.getfixturevalue(role)).post(
        f"/api/v1/tenants/{tenant.pk}/partner-grants",
        {"personnummer": "900101-0017", "level": "LIMITED"},
        content_type=JSON,
    )
    if role in GRANT_ADMINS:
        assert response.status_code == 201
        body = response.json()
        assert (body["user_id"], body["partner_tenant_id"], body["level"]) == (
            firm_person.pk,
            partner_firm.pk,
            "LIMITED",
        )
    else:
        _assert_error(response, 403, "forbidden")
        assert db_state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_partner_grant_revoke_matrix(request, tenant, everyone, partner_limited, role):
    grant = _grant(tenant, partner_limited)
    before = db_state(tenant)
    client = api_client(request.getfixturevalue(role))
    url = f"/api/v1/tenants/{tenant.pk}/partner-grants/{grant.pk}"
    response = client.delete(url)
    if role in GRANT_ADMINS:
        assert response.status_code == 200
        assert response.json()["revoked_at"] is not None
        again = client.delete(url)  # idempotent
        assert again.status_code == 200 and again.json()["revoked_at"] == response.json()["revoked_at"]
    else:
        _assert_error(response, 403, "forbidden")
        assert db_state(tenant) == before


# --- domain rules through the API ---------------------------------------------------------------------


@pytest.mark.parametrize("change", [{"licence": "STANDARD"}, {"is_active": False}])
def test_api_refuses_losing_the_last_total_user(tenant, owner, employee, change):
    member = membership_of(tenant, owner)
    before = db_state(tenant)
    response = api_client(owner).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", change, content_type=JSON
    )
    assert 400 <= response.status_code < 500
    _assert_error(response, response.status_code, "last_total_user")
    assert db_state(tenant) == before


def test_api_allows_demoting_when_another_total_exists(tenant, owner, attestant):
    with tenant_scope(tenant.pk):
        Membership.objects.filter(user=attestant).update(licence=Licence.TOTAL)
    member = membership_of(tenant, owner)
    response = api_client(owner).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", {"licence": "LIGHT"}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["licence"] == "LIGHT"


def test_api_refuses_own_approver(tenant, owner, employee):
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    response = api_client(owner).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", {"approver_id": member.pk}, content_type=JSON
    )
    _assert_error(response, 400, "own_approver")
    assert db_state(tenant) == before


def test_api_clears_the_approver_with_null(tenant, owner, employee):
    member = membership_of(tenant, employee)
    response = api_client(owner).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", {"approver_id": None}, content_type=JSON
    )
    assert response.status_code == 200
    assert membership_of(tenant, employee).approver_id is None


def test_api_duplicate_email_is_409_conflict(tenant, owner, employee):
    before = db_state(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/members", {"email": employee.email, "name": "Dubbel"}, content_type=JSON
    )
    _assert_error(response, 409, "duplicate_email")
    assert db_state(tenant) == before


def test_api_invalid_payload_is_422(tenant, owner):
    before = db_state(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/members", {"email": "not-an-address", "name": ""}, content_type=JSON
    )
    _assert_error(response, 422, "invalid")
    assert db_state(tenant) == before


def test_api_invalid_salary_form_is_422_and_writes_nothing(tenant, owner, employee):
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    response = api_client(owner).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", {"salary_form": "weekly"}, content_type=JSON
    )
    _assert_error(response, 422, "invalid")
    assert db_state(tenant) == before


@pytest.mark.parametrize(
    ("pnr", "status", "code"),
    [("19900101-0018", 400, "invalid_personnummer"), (make_personnummer(902), 404, "partner_not_found")],
)
def test_api_partner_grant_errors(tenant, owner, pnr, status, code):
    before = db_state(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/partner-grants",
        {"personnummer": pnr, "level": "FULL"},
        content_type=JSON,
    )
    _assert_error(response, status, code)
    assert db_state(tenant) == before


def test_api_duplicate_partner_grant_is_409(tenant, owner, partner_full):
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/partner-grants",
        {"personnummer": partner_full.personnummer, "level": "FULL"},
        content_type=JSON,
    )
    _assert_error(response, 409, "duplicate_grant")


def test_api_revoked_grants_listed_only_on_request(tenant, owner, partner_limited, partner_full):
    client = api_client(owner)
    client.delete(f"/api/v1/tenants/{tenant.pk}/partner-grants/{_grant(tenant, partner_limited).pk}")
    assert client.get(f"/api/v1/tenants/{tenant.pk}/partner-grants").json()["total"] == 1
    assert client.get(f"/api/v1/tenants/{tenant.pk}/partner-grants?include_revoked=true").json()["total"] == 2


def test_api_paging(tenant, owner):
    for _ in range(4):
        MembershipFactory(tenant=tenant)
    body = api_client(owner).get(f"/api/v1/tenants/{tenant.pk}/members?page=2&page_size=2").json()
    assert (body["page"], body["page_size"], body["total"], len(body["items"])) == (2, 2, 5, 2)


def test_session_auth_works_for_reads(tenant, owner):
    from verksam.tenancy.tests.fixtures import login_client

    assert login_client(owner).get(f"/api/v1/tenants/{tenant.pk}/members").status_code == 200


# --- (c) constant query count -------------------------------------------------------------------------


def _warm(client):
    # The first request of a token stamps its last_used_at (once a minute): not part of the page.
    client.get("/api/v1/me")
    return client


def _assert_constant(name, few, many):
    print(f"{name} queries: 2 rows={few}, 30 rows={many}")
    assert few == many, f"{name}: {few} queries with 2 rows, {many} with 30"


def test_member_list_query_count(tenant, owner):
    approver = membership_of(tenant, owner)
    client = _warm(api_client(owner))
    url = f"/api/v1/tenants/{tenant.pk}/members"
    MembershipFactory(tenant=tenant, approver=approver)
    few, _ = count_queries(lambda: client.get(url))
    for _ in range(28):
        MembershipFactory(tenant=tenant, approver=approver)
    many, response = count_queries(lambda: client.get(url))
    assert len(response.json()["items"]) == 30
    _assert_constant("GET /tenants/{id}/members", few, many)


def test_partner_grant_list_query_count(tenant, owner, partner_firm):
    client = _warm(api_client(owner))
    url = f"/api/v1/tenants/{tenant.pk}/partner-grants"
    for _ in range(2):
        PartnerGrantFactory(tenant=tenant, partner_tenant=partner_firm, level="FULL")
    few, _ = count_queries(lambda: client.get(url))
    for _ in range(28):
        PartnerGrantFactory(tenant=tenant, partner_tenant=partner_firm, level="LIMITED")
    many, response = count_queries(lambda: client.get(url))
    assert len(response.json()["items"]) == 30
    _assert_constant("GET /tenants/{id}/partner-grants", few, many)


def test_tenant_list_and_me_query_count(db, partner_firm):
    user = UserFactory()
    MembershipFactory(tenant=partner_firm, user=user)
    client = _warm(api_client(user))
    PartnerGrantFactory(tenant=TenantFactory(), partner_tenant=partner_firm, user=user, level="FULL")
    few, _ = count_queries(lambda: client.get("/api/v1/tenants"))
    few_me, _ = count_queries(lambda: client.get("/api/v1/me"))
    for i in range(28):
        if i % 2:
            MembershipFactory(tenant=TenantFactory(), user=user)
        else:
            PartnerGrantFactory(tenant=TenantFactory(), partner_tenant=partner_firm, user=user, level="FULL")
    many, response = count_queries(lambda: client.get("/api/v1/tenants"))
    many_me, _ = count_queries(lambda: client.get("/api/v1/me"))
    assert len(response.json()) == 30
    _assert_constant("GET /tenants", few, many)
    _assert_constant("GET /me", few_me, many_me)
