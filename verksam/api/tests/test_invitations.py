"""Invitations in the API (issue 7, items 7 and 10): the company's admins list, resend and withdraw
pending invitations (addresses only); the invited person lists, accepts and declines their own."""

import re

import pytest
from django.core import mail

from verksam.tenancy.access import resolve
from verksam.tenancy.models import Invitation
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import db_state

JSON = "application/json"
ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ADMINS = {"owner", "partner_full"}


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def _invite(client, tenant, email, **extra):
    return client.post(f"/api/v1/tenants/{tenant.pk}/members", {"email": email, **extra}, content_type=JSON)


def _invitation(tenant, email) -> Invitation:
    with tenant_scope(tenant.pk):
        return Invitation.objects.get(email=email)


def _token(message) -> str:
    return re.search(r"/invitations/(\S+)/", message.body).group(1)


def test_the_invite_answer_is_the_same_for_a_known_and_an_unknown_address(tenant, owner, stranger):
    client = api_client(owner)
    known = _invite(client, tenant, stranger.email, name="Gissat Namn")
    unknown = _invite(client, tenant, "ny@example.se", name="Gissat Namn")
    assert known.status_code == unknown.status_code == 201
    assert set(known.json()) == set(unknown.json())
    varying = {"id", "email", "sent_at", "expires_at"}
    assert {k: v for k, v in known.json().items() if k not in varying} == {
        k: v for k, v in unknown.json().items() if k not in varying
    }
    # the company's list names addresses, never people or accounts
    listed = client.get(f"/api/v1/tenants/{tenant.pk}/invitations").json()
    assert {i["email"] for i in listed["items"]} == {stranger.email, "ny@example.se"}
    text = str(listed) + known.content.decode()
    assert stranger.name not in text and "user_id" not in text and "name" not in known.json()
    # and the invited person is no member yet
    assert resolve(stranger, tenant) is None
    assert api_client(stranger).get(f"/api/v1/tenants/{tenant.pk}/members").status_code == 404


def test_the_invited_person_lists_and_accepts_their_invitation(tenant, owner, stranger):
    _invite(api_client(owner), tenant, stranger.email, licence="BASIC")
    client = api_client(stranger)
    mine = client.get("/api/v1/invitations").json()
    assert [(i["tenant_name"], i["licence"], i["status"]) for i in mine] == [
        (tenant.name, "BASIC", "pending")
    ]
    accepted = client.post(f"/api/v1/invitations/{mine[0]['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert tenant.pk in [t["id"] for t in client.get("/api/v1/tenants").json()]
    assert client.get("/api/v1/invitations").json() == []
    assert client.post(f"/api/v1/invitations/{mine[0]['id']}/accept").status_code == 404


def test_the_invited_person_declines_and_nothing_is_created(tenant, owner, stranger):
    _invite(api_client(owner), tenant, stranger.email)
    client = api_client(stranger)
    invitation_id = client.get("/api/v1/invitations").json()[0]["id"]
    response = client.post(f"/api/v1/invitations/{invitation_id}/decline")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert resolve(stranger, tenant) is None


def test_someone_elses_invitation_answers_404(tenant, owner, stranger, employee):
    _invite(api_client(owner), tenant, stranger.email)
    invitation = _invitation(tenant, stranger.email)
    before = db_state(tenant)
    client = api_client(employee)
    assert client.get("/api/v1/invitations").json() == []
    for answer in ("accept", "decline"):
        assert client.post(f"/api/v1/invitations/{invitation.pk}/{answer}").status_code == 404
    assert db_state(tenant) == before


def test_resend_gives_a_new_link_and_the_old_stops_working(tenant, owner, django_capture_on_commit_callbacks):
    client = api_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_id = _invite(client, tenant, "ny@example.se").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/tenants/{tenant.pk}/invitations/{invitation_id}/resend")
    assert response.status_code == 200
    assert len(mail.outbox) == 2 and _token(mail.outbox[0]) != _token(mail.outbox[1])
    assert client.get(f"/invitations/{_token(mail.outbox[0])}/").status_code == 404
    assert client.get(f"/invitations/{_token(mail.outbox[1])}/").status_code == 200


def test_withdraw(tenant, owner):
    client = api_client(owner)
    invitation_id = _invite(client, tenant, "ny@example.se").json()["id"]
    response = client.delete(f"/api/v1/tenants/{tenant.pk}/invitations/{invitation_id}")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert client.get(f"/api/v1/tenants/{tenant.pk}/invitations").json()["total"] == 0


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", ["list", "resend", "revoke"])
def test_invitation_admin_matrix(request, tenant, everyone, owner, role, call):
    invitation_id = _invite(api_client(owner), tenant, "ny@example.se").json()["id"]
    before = db_state(tenant)
    client = api_client(request.getfixturevalue(role))
    base = f"/api/v1/tenants/{tenant.pk}/invitations"
    response = {
        "list": lambda: client.get(base),
        "resend": lambda: client.post(f"{base}/{invitation_id}/resend"),
        "revoke": lambda: client.delete(f"{base}/{invitation_id}"),
    }[call]()
    if role in ADMINS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert db_state(tenant) == before


@pytest.mark.parametrize("call", ["list", "resend", "revoke"])
def test_another_tenants_admin_gets_404(tenant, other_tenant, owner, stranger, call):
    invitation_id = _invite(api_client(owner), tenant, "ny@example.se").json()["id"]
    before = db_state(tenant, other_tenant)
    client = api_client(stranger)  # TOTAL in the other tenant
    for tenant_id in (tenant.pk, other_tenant.pk):
        base = f"/api/v1/tenants/{tenant_id}/invitations"
        response = {
            "list": lambda base=base: client.get(base),
            "resend": lambda base=base: client.post(f"{base}/{invitation_id}/resend"),
            "revoke": lambda base=base: client.delete(f"{base}/{invitation_id}"),
        }[call]()
        if call == "list" and tenant_id == other_tenant.pk:
            assert response.json()["total"] == 0  # its own list does not show ours
        else:
            assert response.status_code == 404
    assert db_state(tenant, other_tenant) == before


def test_resend_is_limited_per_day(tenant, owner, settings, django_capture_on_commit_callbacks):
    # given an invitation sent again as often as a day allows
    settings.INVITATION_RESENDS_PER_DAY = 2
    client = api_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_id = _invite(client, tenant, "ny@example.se").json()["id"]
    url = f"/api/v1/tenants/{tenant.pk}/invitations/{invitation_id}/resend"
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 200
    with tenant_scope(tenant.pk):
        nonce = Invitation.objects.get(pk=invitation_id).nonce
    # when it is sent once more
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    # then the API says why, no mail goes out and the link in the last mail still works
    assert response.status_code == 429
    assert response.json()["code"] == "invitation_resend_limit"
    assert len(mail.outbox) == 3
    with tenant_scope(tenant.pk):
        assert Invitation.objects.get(pk=invitation_id).nonce == nonce
    assert client.get(f"/invitations/{_token(mail.outbox[2])}/").status_code == 200
