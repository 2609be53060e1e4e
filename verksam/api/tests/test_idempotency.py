"""Idempotency-Key on POST (DESIGN.md rule 19): a retry replays the first answer and writes nothing."""

import datetime as dt
import hashlib
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from verksam.accounts.models import ApiToken
from verksam.accounts.services import api_token_create
from verksam.api.models import IdempotencyRecord
from verksam.projects.models import Project
from verksam.tenancy import services as tenancy_services
from verksam.tenancy.scope import dangerously_system_scope, tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import db_state

JSON = "application/json"


def _post(client, url, body, key):
    return client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)


def _records() -> list[tuple]:
    with dangerously_system_scope("test: every stored idempotency record"):
        return list(IdempotencyRecord.objects.values_list("tenant_id", "user_id", "key", "status_code"))


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


def test_same_key_on_another_path_is_refused(tenant, owner):
    client = api_client(owner)
    _post(
        client, f"/api/v1/tenants/{tenant.pk}/members", {"email": "ny@example.se", "name": "Nina Ny"}, "k-1"
    )
    before = db_state(tenant)
    response = _post(client, f"/api/v1/tenants/{tenant.pk}/projects", {"name": "Nytt projekt"}, "k-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert db_state(tenant) == before


def test_keys_belong_to_one_tenant(tenant, owner, other_tenant):
    # given a person who is TOTAL in two companies and used a key in the first
    MembershipFactory(tenant=other_tenant, user=owner, licence="TOTAL")
    client = api_client(owner)
    body = {"email": "ny@example.se", "name": "Nina Ny"}
    assert _post(client, f"/api/v1/tenants/{tenant.pk}/members", body, "k-1").status_code == 201
    # when the same key and body are sent to the second company
    response = _post(client, f"/api/v1/tenants/{other_tenant.pk}/members", body, "k-1")
    # then it is that company's own request: it runs, and each answer is stored under its own tenant
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    for t in (tenant, other_tenant):
        with tenant_scope(t.pk):
            assert list(IdempotencyRecord.objects.values_list("tenant_id", "key")) == [(t.pk, "k-1")]


def test_keys_belong_to_one_user(tenant, owner, partner_full):
    # given the owner used a key / when another user sends the same key and body
    body = {"email": "ny@example.se", "name": "Nina Ny"}
    url = f"/api/v1/tenants/{tenant.pk}/members"
    assert _post(api_client(owner), url, body, "shared").status_code == 201
    response = _post(api_client(partner_full), url, body, "shared")
    # then it is not replayed: it runs as that user's own request (here a duplicate e-mail)
    assert "Idempotent-Replayed" not in response
    assert response.status_code == 409
    with tenant_scope(tenant.pk):
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
    assert _records() == []


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
    assert _records() == []


def test_the_stored_answer_belongs_to_the_tenant_of_the_path(tenant, owner):
    client = api_client(owner)
    _post(
        client, f"/api/v1/tenants/{tenant.pk}/members", {"email": "ny@example.se", "name": "Nina Ny"}, "k-1"
    )
    assert _records() == [(tenant.pk, owner.pk, "k-1", 201)]


def test_a_company_without_access_stores_nothing_and_answers_404(tenant, stranger):
    before = db_state(tenant)
    response = _post(
        api_client(stranger),
        f"/api/v1/tenants/{tenant.pk}/members",
        {"email": "a@example.se", "name": "A"},
        "k",
    )
    assert response.status_code == 404
    assert _records() == []
    assert db_state(tenant) == before


def test_a_token_is_never_stored_in_a_replayable_answer(owner):
    # given a client that sends an Idempotency-Key (and a valid token) when it asks for a new token
    client = api_client(owner)
    body = {"email": owner.email, "password": "x-secret-1", "name": "App"}
    owner.set_password("x-secret-1")
    owner.save()
    first = _post(client, "/api/v1/auth/token", body, "tok-1")
    again = _post(client, "/api/v1/auth/token", body, "tok-1")
    # then nothing is stored, each answer carries its own new token and says it must not be stored
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["token"] != again.json()["token"]
    assert "no-store" in first["Cache-Control"]
    assert _records() == []
    assert ApiToken.objects.filter(user=owner, name="App").count() == 2


def test_an_expired_key_runs_the_request_again(tenant, owner):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/projects"
    first = _post(client, url, {"name": "Projekt"}, "k-1")
    assert first.status_code == 201
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        again = _post(client, url, {"name": "Projekt"}, "k-1")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert len(_records()) == 1


def test_within_24_hours_the_key_is_replayed(tenant, owner):
    client = api_client(owner)
    url = f"/api/v1/tenants/{tenant.pk}/projects"
    first = _post(client, url, {"name": "Projekt"}, "k-1")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23, minutes=59)):
        again = _post(client, url, {"name": "Projekt"}, "k-1")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()


def _claim_in_progress(tenant, user, key, body, *, age_seconds=0):
    request_body = json.dumps(body).encode()
    path = f"/api/v1/tenants/{tenant.pk}/projects"
    fingerprint = hashlib.sha256(b"POST " + path.encode() + b"\n" + request_body).hexdigest()
    with tenant_scope(tenant.pk):
        IdempotencyRecord.objects.create(
            tenant=tenant,
            user=user,
            key=key,
            fingerprint=fingerprint,
            created_at=timezone.now() - dt.timedelta(seconds=age_seconds),
        )
    return path


def test_a_key_still_in_progress_answers_409_with_retry_after(tenant, owner, settings):
    # given another request holds the key and does not finish within the wait
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    path = _claim_in_progress(tenant, owner, "k-busy", {"name": "Projekt"})
    client = api_client(owner)
    # when the retry arrives
    response = client.post(
        path, json.dumps({"name": "Projekt"}), content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-busy"
    )
    # then it is told to come back, and it wrote nothing
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"
    assert response["Retry-After"] == "1"
    with tenant_scope(tenant.pk):
        assert not Project.objects.filter(name="Projekt").exists()


def test_an_abandoned_claim_is_taken_over(tenant, owner, settings):
    # given a claim left by a request that died (a killed worker) long ago
    settings.IDEMPOTENCY_LOCK_SECONDS = 60
    path = _claim_in_progress(tenant, owner, "k-dead", {"name": "Projekt"}, age_seconds=61)
    # when the client retries / then the request runs and its answer is stored
    response = api_client(owner).post(
        path, json.dumps({"name": "Projekt"}), content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-dead"
    )
    assert response.status_code == 201
    assert _records() == [(tenant.pk, owner.pk, "k-dead", 201)]


def test_a_failed_request_frees_its_key(tenant, owner, monkeypatch):
    # given the first attempt fails with a 500
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tenancy_services, "membership_invite", broken)
    _token, secret = api_token_create(user=owner, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
    url = f"/api/v1/tenants/{tenant.pk}/members"
    body = {"email": "ny@example.se", "name": "Nina Ny"}
    assert _post(client, url, body, "k-1").status_code == 500
    assert _records() == []
    # when the client retries after the fault is gone / then the request runs
    monkeypatch.undo()
    assert _post(client, url, body, "k-1").status_code == 201


def test_purge_command_deletes_expired_keys_only(tenant, owner, other_tenant):
    client = api_client(owner)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25)):
        _post(client, f"/api/v1/tenants/{tenant.pk}/projects", {"name": "Gammal"}, "old")
    _post(client, f"/api/v1/tenants/{tenant.pk}/projects", {"name": "Ny"}, "new")
    call_command("purge_idempotency_keys")
    assert [r[2] for r in _records()] == ["new"]
