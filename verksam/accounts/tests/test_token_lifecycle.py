"""API tokens (issue 7 item 12): the token endpoint accepts every address the login accepts; tokens
can expire, are listed with their last use, are revoked when the password is reset or the user is
deactivated, and creating or revoking one is audited in every company the token reaches."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from verksam.accounts import services
from verksam.accounts.models import ApiToken
from verksam.accounts.services import api_token_create, api_token_revoke, user_for_token
from verksam.audit.models import AuditEvent
from verksam.core.errors import DomainError
from verksam.tenancy import services as tenancy_services
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.fixtures import PASSWORD, login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of, sv
from verksam.web.templatetags.verksam_format import day

JSON = "application/json"
TOKENS = "/api/v1/auth/tokens"


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _ask_for_token(client, email, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/token", {"email": email, "password": password, **extra}, content_type=JSON
    )


# --- the token endpoint accepts what the login accepts ----------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["gustav@byggmastarna.test", " Gustav@Byggmastarna.TEST ", "GUSTAV@byggmastarna.test"],
)
def test_token_endpoint_accepts_the_readme_demo_logins(db, client, typed):
    # given a user whose address ends in .test (the README's demo logins), who can log in on the web
    user = UserFactory(email="gustav@byggmastarna.test")
    # when the address is typed as the login page accepts it / then the API hands out a token
    response = _ask_for_token(client, typed)
    assert response.status_code == 201, response.content
    assert user_for_token(response.json()["token"]) == user


def test_web_login_accepts_the_same_demo_address(db, client):
    UserFactory(email="gustav@byggmastarna.test")
    response = client.post("/accounts/login/", {"email": "gustav@byggmastarna.test", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("email", ["", "x" * 300])
def test_token_endpoint_refuses_empty_or_overlong_addresses_with_422(db, client, email):
    response = _ask_for_token(client, email)
    assert response.status_code == 422
    assert ApiToken.objects.count() == 0


# --- expiry ---------------------------------------------------------------------------------------


def test_a_token_can_be_given_an_expiry_and_answers_401_after_it(db, client):
    user = UserFactory(email="anna@example.se")
    response = _ask_for_token(client, "anna@example.se", expires_in_days=30)
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["token_id"])
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert body["expires_at"] is not None
    assert _bearer(body["token"]).get("/api/v1/me").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=30, minutes=1)):
        expired = _bearer(body["token"]).get("/api/v1/me")
        assert user_for_token(body["token"]) is None
    assert expired.status_code == 401
    assert expired.json()["code"] == "unauthorized"
    assert user is not None


def test_without_an_expiry_the_token_does_not_expire(db, client):
    UserFactory(email="anna@example.se")
    body = _ask_for_token(client, "anna@example.se").json()
    assert body["expires_at"] is None
    with time_machine.travel(timezone.now() + dt.timedelta(days=3650)):
        assert _bearer(body["token"]).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("days", [0, -1, 3651, "30", True, 1.5])
def test_an_expiry_out_of_range_or_of_another_type_is_refused(db, client, days):
    UserFactory(email="anna@example.se")
    response = _ask_for_token(client, "anna@example.se", expires_in_days=days)
    assert response.status_code == 422
    assert ApiToken.objects.count() == 0


def test_service_refuses_an_expiry_out_of_range(db):
    with pytest.raises(DomainError):
        api_token_create(user=UserFactory(), name="x", expires_in_days=0)
    assert ApiToken.objects.count() == 0


# --- list with last use, revoke ----------------------------------------------------------------------


def test_api_lists_own_tokens_with_last_use_and_nothing_secret(db):
    user, other = UserFactory(), UserFactory()
    mine, secret = api_token_create(user=user, name="Mobil", expires_in_days=90)
    api_token_create(user=other, name="theirs")
    old, _old_secret = api_token_create(user=user, name="Gammal")
    api_token_revoke(user=user, token_id=old.pk)
    client = _bearer(secret)
    client.get("/api/v1/me")
    response = client.get(TOKENS)
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert set(rows) == {"Mobil", "Gammal"}
    assert rows["Mobil"]["id"] == mine.pk
    assert rows["Mobil"]["prefix"] == mine.prefix
    assert rows["Mobil"]["last_used_at"] is not None
    assert rows["Mobil"]["expires_at"] is not None
    assert rows["Mobil"]["status"] == "active"
    assert rows["Gammal"]["status"] == "revoked" and rows["Gammal"]["revoked_reason"] == "user"
    assert "key_hash" not in response.content.decode() and secret not in response.content.decode()


def test_last_use_is_written_at_most_once_a_minute(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    user_for_token(secret)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30)):
        user_for_token(secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        user_for_token(secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_api_revokes_an_own_token(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    _other, other_secret = api_token_create(user=user, name="Annan")
    response = _bearer(other_secret).delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 204
    assert _bearer(secret).get("/api/v1/me").status_code == 401
    assert _bearer(other_secret).get("/api/v1/me").status_code == 200


def test_api_cannot_revoke_or_see_another_users_token(db):
    owner, other = UserFactory(), UserFactory()
    token, secret = api_token_create(user=owner, name="theirs")
    _mine, my_secret = api_token_create(user=other, name="mine")
    response = _bearer(my_secret).delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert user_for_token(secret) == owner
    assert [row["name"] for row in _bearer(my_secret).get(TOKENS).json()] == ["mine"]


@pytest.mark.parametrize("method", ["get", "delete"])
def test_token_list_and_revoke_need_credentials(db, client, method):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    url = TOKENS if method == "get" else f"{TOKENS}/{token.pk}"
    response = getattr(client, method)(url)
    assert response.status_code == 401
    assert user_for_token(secret) == user


# --- revoked on password reset and deactivation ------------------------------------------------------


def test_password_reset_revokes_every_token(db, client):
    # given a user with two tokens
    user = UserFactory(email="anna@example.se")
    tokens = [api_token_create(user=user, name=n) for n in ("Mobil", "Integration")]
    # when they reset their password through the e-mailed link
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
    assert link.status_code == 302
    response = client.post(
        link["Location"], {"new_password1": "Ny-hemlig-123", "new_password2": "Ny-hemlig-123"}
    )
    assert response.status_code == 302
    # then no token works any longer, and each is listed as revoked because of the password
    for token, secret in tokens:
        assert user_for_token(secret) is None
        token.refresh_from_db()
        assert token.revoked_at is not None and token.revoked_reason == "password"


def test_a_password_changed_any_other_way_also_stops_every_token(db):
    # e.g. `manage.py changepassword`, which knows nothing of tokens
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    user.set_password("Ny-hemlig-123")
    user.save()
    assert user_for_token(secret) is None
    token.refresh_from_db()
    assert token.status == "revoked"


def test_deactivating_the_user_revokes_every_token_for_good(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    services.user_deactivate(user=user)
    assert user_for_token(secret) is None
    # reactivating the account does not bring the old token back
    user.is_active = True
    user.save()
    assert user_for_token(secret) is None
    token.refresh_from_db()
    assert token.revoked_reason == "deactivated"


def test_deactivating_the_user_in_the_admin_revokes_tokens(db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(email="anna@example.se", name="Anna")
    _token, secret = api_token_create(user=user, name="Mobil")
    response = login_client(admin).post(
        f"/admin/accounts/user/{user.pk}/change/",
        {"email": user.email, "name": user.name, "personnummer": "", "phone": "", "is_active": "",
         "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert not user.is_active
    assert ApiToken.objects.get(user=user).revoked_reason == "deactivated"


def test_a_deactivated_membership_closes_that_company_only(tenant, owner, other_tenant, employee):
    # A token is the person's: a membership deactivated in one company makes that company answer 404
    # at once (access is resolved per request); the token keeps working in the person's other companies.
    from verksam.tenancy.tests.factories import MembershipFactory

    MembershipFactory(tenant=other_tenant, user=employee)
    _token, secret = api_token_create(user=employee, name="Mobil")
    client = _bearer(secret)
    assert client.get(f"/api/v1/tenants/{tenant.pk}/time/bank").status_code == 200
    with tenant_scope(tenant.pk):
        tenancy_services.membership_update(
            actor=_actor(tenant, owner), membership=membership_of(tenant, employee), is_active=False
        )
    assert client.get(f"/api/v1/tenants/{tenant.pk}/time/bank").status_code == 404
    assert client.get(f"/api/v1/tenants/{other_tenant.pk}/time/bank").status_code == 200
    assert [t["id"] for t in client.get("/api/v1/tenants").json()] == [other_tenant.pk]


def _actor(tenant, user):
    from verksam.tenancy.access import resolve

    return resolve(user, tenant)


# --- audited --------------------------------------------------------------------------------------


def _events(tenant, action):
    with tenant_scope(tenant.pk):
        return list(AuditEvent.objects.filter(action=action).values("user_id", "target_label", "data"))


def test_creating_and_revoking_a_token_is_audited_in_every_company_it_reaches(
    tenant, owner, partner_full, other_tenant, partner_firm
):
    # given an accountant who is a member of the firm and has a grant to the customer
    token, _secret = api_token_create(user=partner_full, name="Bokslut", expires_in_days=30)
    api_token_revoke(user=partner_full, token_id=token.pk)
    # then both companies the token reaches have the events, the uninvolved company none
    for company in (tenant, partner_firm):
        created = _events(company, "api_token.create")
        assert [e["user_id"] for e in created] == [partner_full.pk]
        assert created[0]["data"]["name"] == "Bokslut" and created[0]["data"]["prefix"] == token.prefix
        assert created[0]["data"]["expires"]
        revoked = _events(company, "api_token.revoke")
        assert [(e["user_id"], e["data"]["revocation"]) for e in revoked] == [(partner_full.pk, "user")]
    assert _events(other_tenant, "api_token.create") == []


def test_revoking_twice_audits_once(tenant, owner):
    token, _secret = api_token_create(user=owner, name="Mobil")
    api_token_revoke(user=owner, token_id=token.pk)
    api_token_revoke(user=owner, token_id=token.pk)
    assert len(_events(tenant, "api_token.revoke")) == 1


def test_password_reset_revocations_are_audited(tenant, owner):
    api_token_create(user=owner, name="Mobil")
    services.user_password_set(user=owner, password="Ny-hemlig-123")
    assert [e["data"]["revocation"] for e in _events(tenant, "api_token.revoke")] == ["password"]


# --- the profile page -------------------------------------------------------------------------------


def test_profile_creates_a_token_with_an_expiry_and_lists_last_use(db):
    user = UserFactory()
    client = login_client(user)
    response = client.post(
        "/accounts/me/", {"action": "token", "name": "Integration", "expires_in_days": "90"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    user_for_token(response.context["new_secret"])
    page = client.get("/accounts/me/").content.decode()
    assert day(token.expires_at) in page  # the UI's date style, "2 mar 2027" (issue 12)
    assert "–" not in page.split("Integration")[1].split("</tr>")[0]  # last use is shown


def test_profile_offers_no_expiry(db):
    user = UserFactory()
    response = login_client(user).post(
        "/accounts/me/", {"action": "token", "name": "CI", "expires_in_days": ""}
    )
    assert response.status_code == 200
    assert ApiToken.objects.get(user=user).expires_at is None


def test_profile_refuses_an_expiry_that_is_not_offered(db):
    user = UserFactory()
    response = login_client(user).post(
        "/accounts/me/", {"action": "token", "name": "CI", "expires_in_days": "9999"}
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_token_list_query_count_does_not_grow_with_tokens(db):
    user = UserFactory()
    _token, secret = api_token_create(user=user, name="first")
    client = _bearer(secret)
    client.get(TOKENS)  # the first request of a token stamps its last_used_at (once a minute)
    few, _ = count_queries(lambda: client.get(TOKENS))
    for i in range(29):
        api_token_create(user=user, name=f"t{i}")
    many, response = count_queries(lambda: client.get(TOKENS))
    assert len(response.json()) == 30
    assert few == many


def test_profile_says_why_a_token_was_revoked(db):
    user = UserFactory()
    api_token_create(user=user, name="Mobil")
    services.user_password_set(user=user, password="Ny-hemlig-123")
    client = login_client(user)
    with translation.override("sv"):
        page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert sv("Revoked") in page and sv("Password changed") in page


# --- the same defect elsewhere: the API refused addresses the web accepts ---------------------------


def test_api_invites_an_address_the_web_form_accepts(tenant, owner):
    from verksam.tenancy.tests.fixtures import api_client

    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/members",
        {"email": " Nils@Byggmastarna.TEST ", "name": "Nils"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "nils@byggmastarna.test"
