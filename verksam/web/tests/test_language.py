"""Swedish first (DESIGN.md rule 18): pages render in Swedish unless the user picks English."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from verksam.tenancy.tests.fixtures import login_client


def test_login_page_is_swedish_even_for_an_english_browser(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("accounts:login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'lang="sv"' in content
    assert "Logga in" in content
    assert "Log in to Verksam" not in content


def test_tenant_pages_are_swedish(tenant, owner):
    content = login_client(owner).get(reverse("web:members", args=[tenant.slug])).content.decode()
    assert 'lang="sv"' in content
    assert "Översikt" in content  # the navigation
    assert "Användare" in content


def test_the_language_switch_gives_english(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in content
    assert "Log in to Verksam" in content
