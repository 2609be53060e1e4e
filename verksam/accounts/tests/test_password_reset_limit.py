"""Password-reset requests are rate-limited (accounts/ratelimit.password_reset_allowed): per e-mail
address — beyond the limit no mail goes out and the page answers exactly as always, for an address
with an account and one without — and per client address, answered 429 with a Swedish message that
names no account. Counts are forgotten after the window; the login form has its own limits
(test_ratelimit.py)."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.helpers import sv

EMAIL = "anna@example.se"
NEUTRAL = "If the address belongs to a user, a link to choose a new password is on its way."


def _ask(client: Client, email: str = EMAIL):
    return client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)


SENT: list[str] = []


def _mails(email: str | None = EMAIL) -> int:
    return sum(1 for to in SENT if email is None or to == email)


@pytest.fixture(autouse=True)
def _sent(monkeypatch):
    """Every reset mail the page queues (mail_send, delivered after commit), by recipient."""
    SENT.clear()
    monkeypatch.setattr("verksam.web.accounts.views.mail_send", lambda *, to, kind, **kwargs: SENT.append(to))


@pytest.fixture
def anna(db):
    return UserFactory(email=EMAIL)


@override_settings(PASSWORD_RESET_PER_EMAIL=3, PASSWORD_RESET_PER_CLIENT=100)
@pytest.mark.parametrize("email", [EMAIL, "nobody@example.se"])
def test_an_address_gets_at_most_the_limit_and_the_answer_never_changes(anna, email):
    answers = []
    for i in range(5):  # from different clients: the address is counted, not the client
        response = _ask(Client(REMOTE_ADDR=f"10.0.0.{i + 1}"), email)
        answers.append((response.status_code, sv(NEUTRAL) in response.content.decode()))
    # the same neutral page every time, for an address with an account and one without
    assert answers == [(200, True)] * 5
    assert _mails(email) == (3 if email == EMAIL else 0)


@override_settings(PASSWORD_RESET_PER_EMAIL=3, PASSWORD_RESET_PER_CLIENT=100)
def test_the_address_is_counted_case_and_space_blind(anna):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for email in (EMAIL, "ANNA@example.se", " Anna@Example.se ", EMAIL):
        _ask(client, email)
    assert _mails(None) == 3


@override_settings(PASSWORD_RESET_PER_EMAIL=100, PASSWORD_RESET_PER_CLIENT=4)
def test_one_client_walking_addresses_gets_429_in_swedish(anna):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(4):
        assert _ask(client, f"person{i}@example.se").status_code == 200
    # the fifth from the same address: 429, the form again, a Swedish message naming no account
    response = client.post(reverse("accounts:password_reset"), {"email": EMAIL})
    assert response.status_code == 429
    page = response.content.decode()
    assert sv("Too many password reset requests from your address. Try again later.") in page
    assert "För många" in page and EMAIL not in page.split("<form")[0]
    assert _mails() == 0
    # another client is not held back
    assert _ask(Client(REMOTE_ADDR="10.0.0.2")).status_code == 200 and _mails() == 1


@override_settings(PASSWORD_RESET_PER_EMAIL=1, PASSWORD_RESET_PER_CLIENT=100)
def test_the_counts_are_forgotten_after_the_window(anna):
    with time_machine.travel("2026-11-20 10:00 +0100", tick=False) as clock:
        _ask(Client(REMOTE_ADDR="10.0.0.1"))
        _ask(Client(REMOTE_ADDR="10.0.0.1"))
        assert _mails() == 1
        clock.shift(settings.PASSWORD_RESET_WINDOW_SECONDS + 1)
        _ask(Client(REMOTE_ADDR="10.0.0.1"))
    assert _mails() == 2


def test_the_defaults_are_sane():
    assert 1 <= settings.PASSWORD_RESET_PER_EMAIL <= 10
    assert settings.PASSWORD_RESET_PER_EMAIL < settings.PASSWORD_RESET_PER_CLIENT <= 100
    assert settings.PASSWORD_RESET_WINDOW_SECONDS >= 600
