"""Idempotency-Key on POST (DESIGN.md rule 19): a retry replays the first answer and writes nothing."""

import pytest
from django.utils import timezone

from verksam.api.models import IdempotencyRecord
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import db_state

JSON = "application/json"


def _post(client, url, body, key):
    return client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)


def test_retried_invite_is_replayed_and_creates_nothing_new(tenant, owner):
    # given an invitation sent with an Idempotency-Key
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/members"
    body = {"email": "ny@example.se", "name": "Nina Ny"}
    first = _post(client, url, body, "k-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    after_first = db_state(tenant)
    # when the client retries with the same key and body
    again = _post(client, url, body, "k-1")
    # then it gets the same answer, marked as replayed, and nothing new is written
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert db_state(tenant) == after_first


def test_retried_partner_grant_is_replayed(tenant, owner, partner_firm):
    person = UserFactory(personnummer="199001010017", personnummer_verified_at=timezone.now())
    MembershipFactory(tenant=partner_firm, user=person)
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/partner-grants"
    body = {"personnummer": "199001010017", "level": "FULL"}
    first = _post(client, url, body, "grant-1")
    after_first = db_state(tenant)
    again = _post(client, url, body, "grant-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert db_state(tenant) == after_first


def test_same_key_with_another_body_is_refused_with_422(tenant, owner):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/members"
    _post(client, url, {"email": "ny@example.se", "name": "Nina Ny"}, "k-1")
    before = db_state(tenant)
    response = _post(client, url, {"email": "annan@example.se", "name": "Annan"}, "k-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert response.json()["message"]
    assert db_state(tenant) == before


def test_same_key_on_another_path_is_refused(tenant, owner, other_tenant):
    client = api_client(owner)
    body = {"email": "ny@example.se", "name": "Nina Ny"}
    _post(client, f"/api/v1/tenants/{tenant.pk}/members", body, "k-1")
    response = _post(client, f"/api/v1/tenants/{other_tenant.pk}/members", body, "k-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_one_user(tenant, owner, partner_full):
    # given the owner used a key / when another user sends the same key and body
    body = {"email": "ny@example.se", "name": "Nina Ny"}
    url = f"/api/v1/tenants/{tenant.pk}/members"
    assert _post(api_client(owner), url, body, "shared").status_code == 201
    response = _post(api_client(partner_full), url, body, "shared")
    # then it is not replayed: it runs as that user's own request (here a duplicate e-mail)
    assert "Idempotent-Replayed" not in response
    assert response.status_code == 409
    assert IdempotencyRecord.objects.filter(key="shared").count() == 2


def test_a_refused_request_is_replayed_too(tenant, employee):
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/members"
    first = _post(client, url, {"email": "x@example.se", "name": "X"}, "k-403")
    again = _post(client, url, {"email": "x@example.se", "name": "X"}, "k-403")
    assert first.status_code == again.status_code == 403
    assert again["Idempotent-Replayed"] == "true"


def test_without_a_key_every_post_runs(tenant, owner):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/members"
    assert client.post(url, {"email": "a@example.se", "name": "A"}, content_type=JSON).status_code == 201
    assert client.post(url, {"email": "a@example.se", "name": "A"}, content_type=JSON).status_code == 409
    assert IdempotencyRecord.objects.count() == 0


def test_overlong_key_is_refused(tenant, owner):
    before = db_state(tenant)
    response = _post(
        api_client(owner),
        f"/api/v1/tenants/{tenant.pk}/members",
        {"email": "a@example.se", "name": "A"},
        "k" * 256,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_idempotency_key"
    assert db_state(tenant) == before


@pytest.mark.parametrize("auth", ["none", "bad-token"])
def test_unauthenticated_post_with_a_key_is_401_and_stores_nothing(client, tenant, auth):
    extra = {"HTTP_AUTHORIZATION": "Bearer vks_nonsense"} if auth == "bad-token" else {}
    response = client.post(
        f"/api/v1/tenants/{tenant.pk}/members",
        {"email": "a@example.se", "name": "A"},
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="k",
        **extra,
    )
    assert response.status_code == 401
    assert IdempotencyRecord.objects.count() == 0
