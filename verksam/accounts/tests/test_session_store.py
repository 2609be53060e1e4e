"""The session store (verksam.accounts.sessions): Django's database sessions, the session's row read
with SQL compiled once per process (issue 13) — and still only a live session of the right key."""

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from verksam.accounts import sessions
from verksam.accounts.sessions import SessionStore
from verksam.tenancy.tests.factories import UserFactory
from verksam.tenancy.tests.fixtures import PASSWORD


def _cached() -> bool:
    return bool(sessions._SESSION._local.__dict__.get("by_vendor", {}).get(("default", connection.vendor)))


def test_the_engine_is_the_fixed_session_store():
    assert settings.SESSION_ENGINE == "verksam.accounts.sessions"


def test_a_logged_in_session_is_read_again_by_its_key_and_the_read_is_cached(db):
    user = UserFactory(email="anna@example.se")
    client = Client()
    assert client.post("/accounts/login/", {"email": user.email, "password": PASSWORD}).status_code == 302
    for _ in range(2):  # the first read compiles and checks against the ORM, the second uses the cache
        assert client.get(reverse("web:home")).status_code == 200
        assert client.session["_auth_user_id"] == str(user.pk)
    assert _cached()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()["_auth_user_id"] == str(user.pk)


def test_an_unknown_key_or_another_session_s_key_reads_nothing(db):
    anna, bo = UserFactory(), UserFactory()
    first, second = Client(), Client()
    first.force_login(anna)
    second.force_login(bo)
    for _ in range(2):
        assert SessionStore("x" * 32).load() == {}
        first_key = first.cookies[settings.SESSION_COOKIE_NAME].value
        assert SessionStore(first_key).load()["_auth_user_id"] == str(anna.pk)
        assert SessionStore(first_key[:-1] + ("a" if first_key[-1] != "a" else "b")).load() == {}


def test_an_expired_session_is_not_read_and_its_key_is_dropped(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    expires = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(expires - dt.timedelta(seconds=1), tick=False):
        assert SessionStore(key).load()["_auth_user_id"] == str(user.pk)
    with time_machine.travel(expires, tick=False):  # expire_date > now: not at the very second
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None
    with time_machine.travel(expires + dt.timedelta(days=1), tick=False):
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
