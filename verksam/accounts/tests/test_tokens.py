"""Personal API tokens: stored hashed, shown once, revocable; and the profile page that manages them."""

import hashlib

import pytest
from django.test import Client

from verksam.accounts.models import ApiToken
from verksam.accounts.services import api_token_create, api_token_revoke, user_for_token
from verksam.core.errors import NotFound
from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.fixtures import PASSWORD, login_client
from verksam.tenancy.tests.helpers import count_queries

PROFILE = "/accounts/me/"


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_token_is_stored_hashed_and_the_secret_is_not_kept(db):
    # given a user / when a token is created
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    # then only its SHA-256 and a short prefix are stored
    token.refresh_from_db()
    assert secret.startswith("vks_")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret[:12] == token.prefix
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values()]
    assert all(secret not in value for value in stored)
    assert user_for_token(secret) == user


def test_revoked_token_no_longer_authenticates_and_revoking_twice_is_harmless(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    api_token_revoke(user=user, token_id=token.pk)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    api_token_revoke(user=user, token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert user_for_token(secret) is None


def test_another_users_token_cannot_be_revoked(db):
    owner, other = UserFactory(), UserFactory()
    token, secret = api_token_create(user=owner, name="Mobil")
    with pytest.raises(NotFound):
        api_token_revoke(user=other, token_id=token.pk)
    assert user_for_token(secret) == owner


@pytest.mark.parametrize("secret", ["", "vks_nonsense", "not-a-token"])
def test_unknown_secret_is_nobody(db, secret):
    assert user_for_token(secret) is None


def test_api_accepts_a_token_and_refuses_it_with_401_once_revoked(db):
    # given a token that works
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    response = _bearer(secret).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    # when it is revoked / then the API answers 401 with the error body
    api_token_revoke(user=user, token_id=token.pk)
    response = _bearer(secret).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response.json()["message"]


def test_token_of_a_deactivated_user_is_refused(db):
    user = UserFactory()
    _token, secret = api_token_create(user=user, name="Mobil")
    user.is_active = False
    user.save()
    assert _bearer(secret).get("/api/v1/me").status_code == 401


def test_api_without_credentials_answers_401(db, client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_token_endpoint_exchanges_password_for_a_working_token(db, client):
    # given a user / when they post e-mail and password
    user = UserFactory(email="anna@example.se")
    response = client.post(
        "/api/v1/auth/token",
        {"email": "anna@example.se", "password": PASSWORD, "name": "Telefon"},
        content_type="application/json",
    )
    # then a token is returned, stored hashed, and it authenticates
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["token_id"])
    assert token.user == user and token.name == "Telefon"
    assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert _bearer(body["token"]).get("/api/v1/me").json()["id"] == user.pk


def test_token_endpoint_with_wrong_password_answers_401_and_creates_nothing(db, client):
    UserFactory(email="anna@example.se")
    response = client.post(
        "/api/v1/auth/token",
        {"email": "anna@example.se", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert ApiToken.objects.count() == 0


def test_profile_creates_a_token_and_shows_the_secret_once(db):
    user = UserFactory()
    client = login_client(user)
    response = client.post(PROFILE, {"action": "token", "name": "Integration"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    secret = response.context["new_secret"]
    assert user_for_token(secret) == user
    assert secret in response.content.decode()
    assert secret not in client.get(PROFILE).content.decode()
    assert token.name == "Integration"


def test_profile_lists_only_own_tokens(db):
    user, other = UserFactory(), UserFactory()
    api_token_create(user=user, name="mine")
    api_token_create(user=other, name="theirs")
    content = login_client(user).get(PROFILE).content.decode()
    assert "mine" in content
    assert "theirs" not in content


def test_profile_revokes_own_token(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="mine")
    response = login_client(user).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert user_for_token(secret) is None


def test_profile_cannot_revoke_another_users_token(db):
    # given someone else's token id (a forged id)
    owner, other = UserFactory(), UserFactory()
    token, secret = api_token_create(user=owner, name="theirs")
    # when another user posts the revoke form for it / then 404 and the token still works
    response = login_client(other).post(f"/accounts/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert user_for_token(secret) == owner


def test_token_revoke_needs_post(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="mine")
    assert login_client(user).get(f"/accounts/me/tokens/{token.pk}/revoke/").status_code == 405
    assert user_for_token(secret) == user


@pytest.mark.parametrize(
    "role", ["owner", "attestant", "employee", "partner_full", "partner_limited", "stranger"]
)
def test_every_user_has_a_profile_page(request, role):
    user = request.getfixturevalue(role)
    response = login_client(user).get(PROFILE)
    assert response.status_code == 200


def test_profile_query_count_does_not_grow_with_tokens(db):
    user = UserFactory()
    client = login_client(user)
    for i in range(2):
        api_token_create(user=user, name=f"t{i}")
    few, _ = count_queries(lambda: client.get(PROFILE))
    for i in range(28):
        api_token_create(user=user, name=f"u{i}")
    many, response = count_queries(lambda: client.get(PROFILE))
    print(f"accounts:profile queries: 2 tokens={few}, 30 tokens={many}")
    assert len(response.context["tokens"]) == 30
    assert few == many
