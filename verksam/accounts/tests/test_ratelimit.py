"""Login rate limits (accounts/ratelimit.py): per account and client with exponential back-off,
per account from unknown clients, per address over all accounts (spraying), keyed on the real
client address behind the proxy, and never a way for a stranger to lock the owner out."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from verksam.accounts.ratelimit import _backoff
from verksam.core.net import client_ip, client_network
from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.fixtures import PASSWORD

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token"
EMAIL = "anna@example.se"


def _login(client: Client, password: str = PASSWORD, email: str = EMAIL, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def _token(client: Client, password: str = PASSWORD, email: str = EMAIL):
    return client.post(TOKEN, {"email": email, "password": password}, content_type="application/json")


def _log_out(browser: Client) -> None:
    # as the logout view does: the session goes, the device cookie stays (Client.logout drops both)
    del browser.cookies[settings.SESSION_COOKIE_NAME]


@pytest.fixture
def anna(db):
    return UserFactory(email=EMAIL)


def test_the_lockout_is_explained_in_swedish_with_the_wait(anna):
    # given the limit reached by one client
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert _login(client, "wrong").status_code == 422
    # when the right password is sent
    response = _login(client)
    # then the page says, in Swedish, how long to wait; no session and a Retry-After header
    assert response.status_code == 429
    assert "För många misslyckade inloggningar. Försök igen om 1 minut." in response.content.decode()
    assert int(response["Retry-After"]) == settings.LOGIN_BACKOFF_BASE_SECONDS
    assert "_auth_user_id" not in client.session


def test_backoff_doubles_per_failure_and_never_exceeds_fifteen_minutes():
    limit = settings.LOGIN_MAX_FAILURES
    assert _backoff(limit - 1, limit) == 0
    assert [_backoff(limit + n, limit) for n in range(5)] == [60, 120, 240, 480, 900]
    assert _backoff(limit + 1000, limit) == settings.LOGIN_BACKOFF_MAX_SECONDS == 900


def test_the_wait_doubles_and_then_lets_the_client_try_again(anna):
    client = Client(REMOTE_ADDR="10.0.0.1")
    with time_machine.travel("2026-03-02 10:00:00+01:00", tick=False) as traveller:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            _login(client, "wrong")
        assert _login(client).status_code == 429
        # after the first minute one more guess is allowed; failing it doubles the wait
        traveller.shift(61)
        assert _login(client, "wrong").status_code == 422
        traveller.shift(61)
        response = _login(client)
        assert response.status_code == 429
        assert "Försök igen om 1 minut" in response.content.decode()
        traveller.shift(60)
        # then the right password logs in
        assert _login(client).status_code == 302


def test_guessing_one_account_from_many_addresses_is_slowed_too(anna):
    # given a guesser spreading failures over many addresses, each below the per-client limit
    for n in range(settings.LOGIN_ACCOUNT_MAX_FAILURES):
        assert _login(Client(REMOTE_ADDR=f"10.1.0.{n}"), "wrong").status_code == 422
    # when yet another new address tries, even with the right password
    response = _token(Client(REMOTE_ADDR="10.1.1.1"))
    # then it waits
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert response["Retry-After"]


def test_a_stranger_cannot_lock_the_owner_out_of_their_own_browser_or_address(anna):
    # given the owner logged in once from their browser and, through the API, from their office
    browser = Client(REMOTE_ADDR="192.0.2.10")
    assert _login(browser).status_code == 302
    _log_out(browser)
    assert _token(Client(REMOTE_ADDR="192.0.2.20")).status_code == 201
    # when an attacker fails far beyond every limit from many addresses
    for n in range(40):
        _login(Client(REMOTE_ADDR=f"10.2.0.{n % 8}"), "wrong")
    assert _login(Client(REMOTE_ADDR="10.2.1.1")).status_code == 429
    # then the owner's browser logs in, even from a new address (a phone moving between networks)
    browser.defaults["REMOTE_ADDR"] = "198.51.100.7"
    assert _login(browser).status_code == 302
    # and so does a client at the owner's known address
    assert _token(Client(REMOTE_ADDR="192.0.2.20")).status_code == 201


def test_an_attacker_behind_the_owners_address_does_not_slow_the_owners_browser(anna):
    # given the owner's browser known, and an attacker behind the same office NAT address
    browser = Client(REMOTE_ADDR="192.0.2.10")
    assert _login(browser).status_code == 302
    _log_out(browser)
    attacker = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(settings.LOGIN_MAX_FAILURES + 3):
        _login(attacker, "wrong")
    # then the attacker waits and the owner's browser does not
    assert _login(attacker).status_code == 429
    assert _login(browser).status_code == 302


def test_password_spraying_from_one_address_is_limited(db):
    # given one address that tried one password at many accounts
    users = [UserFactory(email=f"user{n}@example.se") for n in range(settings.LOGIN_CLIENT_MAX_FAILURES + 1)]
    sprayer = Client(REMOTE_ADDR="10.3.0.1")
    for user in users[:-1]:
        assert _login(sprayer, "Sommar2024!", email=user.email).status_code == 422
    # when it tries one more account, even with the right password, it waits
    assert _login(sprayer, email=users[-1].email).status_code == 429
    # and the others are not affected
    assert _login(Client(REMOTE_ADDR="10.3.0.2"), email=users[-1].email).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_limit_is_per_real_client_not_per_proxy(anna):
    # given every request arrives from the reverse proxy (REMOTE_ADDR 127.0.0.1), which appends the
    # address it saw to X-Forwarded-For; the attacker also sends a forged header naming the owner
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.4.0.1")
    for _ in range(settings.LOGIN_MAX_FAILURES + 2):
        _login(attacker, "wrong")
    assert _login(attacker).status_code == 429
    # then the owner at 203.0.113.5, behind the same proxy, logs in
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _login(owner).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the client's word
        (1, "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # leftmost entry is forged
        (2, "127.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # did not pass both proxies
        (1, "127.0.0.1", "not-an-ip", ""),
        (0, "2001:db8::1", "", "2001:db8::1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(proxies, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_an_ipv6_client_is_counted_by_its_64_network():
    assert (
        client_network("2001:db8:1:2:aaaa::1")
        == client_network("2001:db8:1:2:bbbb::9")
        == "2001:db8:1:2::/64"
    )
    assert client_network("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_network("") == "unknown"


def test_the_admin_login_has_the_same_protection(db):
    # given a staff user and the limit reached on the admin site's login
    UserFactory(email="admin@example.se", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="10.5.0.1")
    form = {"username": "admin@example.se", "password": "wrong", "next": "/admin/"}
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert client.post("/admin/login/", form).status_code == 200
    # when the right password is sent
    response = client.post("/admin/login/", {**form, "password": PASSWORD})
    # then it is refused with the Swedish explanation and no session
    assert response.status_code == 200
    assert "För många misslyckade inloggningar. Försök igen om 1 minut." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # and the web login shares the count
    assert _login(client, email="admin@example.se").status_code == 429


def test_the_admin_login_still_works_and_still_requires_staff(db):
    UserFactory(email="admin@example.se", is_staff=True, is_superuser=True)
    UserFactory(email="plain@example.se")
    client = Client()
    response = client.post("/admin/login/", {"username": "plain@example.se", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/admin/login/", {"username": "admin@example.se", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
