"""Issue 7 items 1 and 3 through the API: a partner never becomes the customer; a personnummer is
confirmed by the person's accounting firm before a customer can grant it access."""

import pytest

from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory, make_personnummer
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import db_state, membership_of

JSON = "application/json"


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert (body["code"], bool(body["message"]), isinstance(body["extra"], dict)) == (code, True, True)


@pytest.fixture
def second_total(tenant, owner):
    return MembershipFactory(tenant=tenant, user=UserFactory(email="t2@snickeri.se"), licence=Licence.TOTAL)


# --- item 1 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"email": "full@byra.se", "name": "x", "licence": "TOTAL"}, "total_reserved"),
        ({"email": "full@byra.se", "name": "x", "licence": "LIGHT"}, "partner_own_firm"),
        ({"email": "limited@byra.se", "name": "x", "licence": "LIGHT"}, "partner_own_firm"),
        ({"email": "ny@example.se", "name": "x", "licence": "TOTAL"}, "total_reserved"),
    ],
)
def test_full_partner_cannot_invite_total_itself_or_its_firm(
    tenant, owner, partner_full, partner_limited, body, code
):
    before = db_state(tenant)
    response = api_client(partner_full).post(f"/api/v1/tenants/{tenant.pk}/members", body, content_type=JSON)
    _error(response, 403, code)
    assert db_state(tenant) == before


@pytest.mark.parametrize(
    "body",
    [{"is_active": False}, {"licence": "STANDARD"}, {"approver_id": None}, {"employment_number": "9"}],
)
def test_full_partner_cannot_change_or_deactivate_a_total_member(
    tenant, owner, second_total, partner_full, body
):
    before = db_state(tenant)
    member = membership_of(tenant, owner)
    response = api_client(partner_full).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", body, content_type=JSON
    )
    _error(response, 403, "total_reserved")
    assert db_state(tenant) == before


def test_full_partner_cannot_give_total(tenant, owner, partner_full, employee):
    before = db_state(tenant)
    member = membership_of(tenant, employee)
    response = api_client(partner_full).patch(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}", {"licence": "TOTAL"}, content_type=JSON
    )
    _error(response, 403, "total_reserved")
    assert db_state(tenant) == before


def test_member_list_carries_contact_data(tenant, owner, employee, partner_limited):
    employee.phone = "070-123 45 67"
    employee.save()
    response = api_client(partner_limited).get(f"/api/v1/tenants/{tenant.pk}/members")
    assert response.status_code == 200
    row = next(m for m in response.json()["items"] if m["email"] == employee.email)
    assert (row["phone"], row["employment_number"], row["salary_form"]) == ("070-123 45 67", "17", "monthly")
    assert "personnummer" not in row


# --- item 3 ----------------------------------------------------------------------------------------


@pytest.fixture
def staff(partner_firm):
    person = UserFactory(email="ny@byra.se", name="Nils Byrå", personnummer=make_personnummer(960))
    return MembershipFactory(tenant=partner_firm, user=person, licence=Licence.STANDARD)


@pytest.fixture
def firm_owner(partner_firm):
    return MembershipFactory(
        tenant=partner_firm, user=UserFactory(email="chef@byra.se"), licence=Licence.TOTAL
    ).user


def _confirm_url(tenant, member_id):
    return f"/api/v1/tenants/{tenant.pk}/members/{member_id}/personnummer-confirmation"


def test_grant_to_an_unconfirmed_person_answers_what_to_do(tenant, owner, staff):
    before = db_state(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/partner-grants",
        {"personnummer": staff.user.personnummer, "level": "FULL"},
        content_type=JSON,
    )
    _error(response, 400, "personnummer_not_verified")
    assert response.json()["extra"] == {"field": "personnummer"}
    assert db_state(tenant) == before


def test_firm_owner_confirms_then_the_customer_can_grant(tenant, owner, partner_firm, firm_owner, staff):
    response = api_client(firm_owner).post(
        _confirm_url(partner_firm, staff.pk), {"personnummer": staff.user.personnummer}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["personnummer_verified"] is True
    with tenant_scope(partner_firm.pk):
        assert AuditEvent.objects.filter(action="user.personnummer_verify", user=firm_owner).count() == 1
    granted = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/partner-grants",
        {"personnummer": staff.user.personnummer, "level": "LIMITED"},
        content_type=JSON,
    )
    assert granted.status_code == 201, granted.content


def test_confirmation_with_another_number_is_refused(partner_firm, firm_owner, staff):
    before = db_state(partner_firm)
    response = api_client(firm_owner).post(
        _confirm_url(partner_firm, staff.pk), {"personnummer": make_personnummer(961)}, content_type=JSON
    )
    _error(response, 400, "personnummer_mismatch")
    assert db_state(partner_firm) == before


def test_confirmation_matrix(tenant, owner, employee, partner_full, partner_firm, staff, stranger):
    body = {"personnummer": staff.user.personnummer}
    # a colleague below TOTAL in the firm: 403
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(), licence=Licence.STANDARD).user
    _error(
        api_client(colleague).post(_confirm_url(partner_firm, staff.pk), body, content_type=JSON),
        403,
        "forbidden",
    )
    # someone of another tenant: 404, like a missing company
    _error(
        api_client(stranger).post(_confirm_url(partner_firm, staff.pk), body, content_type=JSON),
        404,
        "not_found",
    )
    # the customer's owner, for its own employee: an ordinary company confirms nobody (404)
    member = membership_of(tenant, employee)
    _error(
        api_client(owner).post(_confirm_url(tenant, member.pk), body, content_type=JSON), 404, "not_a_firm"
    )
    # a FULL partner in the customer: 403 (IDENTITY_VERIFY is in no partner allow-list)
    _error(
        api_client(partner_full).post(_confirm_url(tenant, member.pk), body, content_type=JSON),
        403,
        "forbidden",
    )
    staff.user.refresh_from_db()
    assert not staff.user.personnummer_verified


def test_confirmation_of_another_tenants_member_answers_404(partner_firm, firm_owner, tenant, employee):
    foreign = membership_of(tenant, employee)
    before = db_state(partner_firm, tenant)
    response = api_client(firm_owner).post(
        _confirm_url(partner_firm, foreign.pk), {"personnummer": make_personnummer(962)}, content_type=JSON
    )
    _error(response, 404, "not_found")
    assert db_state(partner_firm, tenant) == before


def test_me_says_whether_the_personnummer_is_confirmed(partner_full, employee):
    assert api_client(partner_full).get("/api/v1/me").json()["personnummer_verified"] is True
    assert api_client(employee).get("/api/v1/me").json()["personnummer_verified"] is False


def test_the_issues_attack_through_the_api_leaves_no_way_in_after_revoking(tenant, owner, partner_full):
    # given a FULL partner's own API token
    client = api_client(partner_full)
    base = f"/api/v1/tenants/{tenant.pk}"
    # when it tries to invite itself as TOTAL and to deactivate the owner / then both refused
    invite = client.post(
        f"{base}/members", {"email": partner_full.email, "name": "x", "licence": "TOTAL"}, content_type=JSON
    )
    _error(invite, 403, "total_reserved")
    owner_member = membership_of(tenant, owner)
    _error(
        client.patch(f"{base}/members/{owner_member.pk}", {"is_active": False}, content_type=JSON),
        403,
        "total_reserved",
    )
    # and once the customer revokes the grant, the same token answers 404 like any stranger's
    grant_id = api_client(owner).get(f"{base}/partner-grants").json()["items"][0]["id"]
    assert api_client(owner).delete(f"{base}/partner-grants/{grant_id}").status_code == 200
    _error(client.get(f"{base}/members"), 404, "not_found")
