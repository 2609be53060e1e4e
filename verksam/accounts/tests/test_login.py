"""Login, its rate limit, and password reset by e-mail."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.fixtures import PASSWORD
from verksam.tenancy.tests.helpers import sv

LOGIN = "/accounts/login/"


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_swedish_by_default(client):
    # given no language choice / when the login page is opened / then it is in Swedish
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode()
    assert "Logga in" in response.content.decode()


def test_login_with_right_password_goes_home(db, client):
    user = UserFactory(email="anna@example.se")
    response = client.post(LOGIN, {"email": "ANNA@example.se", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_wrong_password_rerenders_with_422(db, client):
    UserFactory(email="anna@example.se")
    response = client.post(LOGIN, {"email": "anna@example.se", "password": "wrong"})
    assert response.status_code == 422
    assert sv("Wrong e-mail or password.") in response.content.decode()
    assert not _logged_in(client)


def test_login_does_not_redirect_to_another_host(db, client):
    UserFactory(email="anna@example.se")
    response = client.post(
        LOGIN, {"email": "anna@example.se", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")


def test_login_is_refused_after_too_many_failures_even_with_right_password(db, client):
    # given LOGIN_MAX_FAILURES wrong attempts for one e-mail from one address
    UserFactory(email="anna@example.se")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert client.post(LOGIN, {"email": "anna@example.se", "password": "wrong"}).status_code == 422
    # when the right password is sent
    response = client.post(LOGIN, {"email": "anna@example.se", "password": PASSWORD})
    # then it is refused with 429 and no session is created
    assert response.status_code == 429
    assert "För många misslyckade inloggningar. Försök igen om 1 minut." in response.content.decode()
    assert not _logged_in(client)


def test_login_rate_limit_is_per_address(db):
    # given the limit reached from one IP / when another IP logs in / then it works
    UserFactory(email="anna@example.se")
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attacker.post(LOGIN, {"email": "anna@example.se", "password": "wrong"})
    assert attacker.post(LOGIN, {"email": "anna@example.se", "password": PASSWORD}).status_code == 429
    owner = Client(REMOTE_ADDR="10.0.0.2")
    assert owner.post(LOGIN, {"email": "anna@example.se", "password": PASSWORD}).status_code == 302


def test_api_token_endpoint_is_rate_limited_too(db, client):
    UserFactory(email="anna@example.se")
    url = "/api/v1/auth/token"
    for _ in range(settings.LOGIN_MAX_FAILURES):
        r = client.post(
            url, {"email": "anna@example.se", "password": "wrong"}, content_type="application/json"
        )
        assert r.status_code == 401
    r = client.post(url, {"email": "anna@example.se", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"


def test_password_reset_sends_mail_and_the_link_sets_a_new_password(
    db, client, django_capture_on_commit_callbacks
):
    # given a user who forgot the password
    UserFactory(email="anna@example.se")
    # when a reset is asked for
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "anna@example.se"})
    # then nothing is sent inside the request's transaction, but by its own task after commit
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    # then one e-mail with a link is sent
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.se"]
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    # when the link is opened and a new password chosen
    response = client.get(path, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "ny-Lösen-2024!x", "new_password2": "ny-Lösen-2024!x"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    # then the new password logs in and the old one does not
    assert Client().post(LOGIN, {"email": "anna@example.se", "password": PASSWORD}).status_code == 422
    assert (
        Client().post(LOGIN, {"email": "anna@example.se", "password": "ny-Lösen-2024!x"}).status_code == 302
    )


def test_password_reset_for_unknown_address_sends_nothing(db, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.se"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize("path", ["/accounts/me/", "/", "/t/snickeri/"])
def test_anonymous_is_sent_to_login(db, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_password_reset_mail_says_until_when_its_link_works(
    db, client, settings, django_capture_on_commit_callbacks
):
    # given links that work 3 days (Django's PASSWORD_RESET_TIMEOUT) / when a reset is asked for at
    # 19:30 on 1 Dec 2026 in Stockholm / then the mail says the link works until 4 Dec 19:30 (issue 7:
    # a link carries its expiry, explained)
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    UserFactory(email="anna@example.se")
    with (
        time_machine.travel(dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("accounts:password_reset"), {"email": "anna@example.se"})
    assert "Länken gäller till 4 dec 2026 kl. 19:30." in mail.outbox[0].body
