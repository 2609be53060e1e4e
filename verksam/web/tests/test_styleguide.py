"""/styleguide shows every component, behind login; the format filters write one Swedish style."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from verksam.tenancy.tests.fixtures import login_client

SECTIONS = [
    "sg-colours",
    "sg-buttons",
    "sg-badges",
    "sg-formats",
    "sg-table",
    "sg-empty",
    "sg-forms",
    "sg-confirm",
    "sg-messages",
]


def test_the_styleguide_needs_a_login(client):
    response = client.get("/styleguide/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_styleguide_shows_every_component(owner):
    response = login_client(owner).get("/styleguide/", HTTP_ACCEPT_LANGUAGE="sv")
    page = response.content.decode()
    assert response.status_code == 200
    for section in SECTIONS:
        assert f'data-testid="{section}"' in page
    assert "1 dec 2026" in page and "1\u00a0234\u00a0567,89\u00a0kr" in page and "7:30" in page
    assert "Välj …" in page and "---------" not in page
    assert 'data-confirm="' in page


def _render(text: str, **context) -> str:
    return Template("{% load verksam_format %}" + text).render(Context(context))


def test_one_date_style_hours_and_money():
    with translation.override("sv"):
        assert _render("{{ d|day }}", d=dt.date(2026, 5, 1)) == "1 maj 2026"
        assert _render("{{ d|day }}", d=None) == ""
        assert _render("{{ m|hours }}", m=480) == "8:00"
        assert _render("{{ o|money }}", o=-50) == "-0,50\u00a0kr"
    with translation.override("en"):
        assert _render("{{ d|day }}", d=dt.date(2026, 12, 1)) == "1 dec 2026"
