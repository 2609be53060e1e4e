"""Edge inputs on the pages added by issues 8 and 11 (schedules, absence ranges, on-behalf, balances,
the portal, documents, messages): odd query parameters and ids answer 2xx/3xx/4xx, never 500."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from verksam.documents.models import Document, Folder
from verksam.tenancy.models import Membership, Tenant
from verksam.tenancy.scope import tenant_scope

ODD = ["²", "٣", "0", "-1", "9" * 30, "9999-12-31", "0001-01-01", "x" * 2000, "2026-02-30", "\x00"]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=io.StringIO())
    bygg = Tenant.objects.get(slug="byggmastarna")
    byra = Tenant.objects.get(slug="revisionsbyran")
    with tenant_scope(bygg.pk):
        member = Membership.objects.get(user__email="hanna@byggmastarna.test")
        folder = Folder.objects.first()
        document = Document.objects.first()
    return bygg, byra, member, folder, document


def _client(email):
    from verksam.accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="sv", raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.django_db
def test_odd_parameters_never_give_a_500(demo):
    bygg, byra, member, folder, document = demo
    b, f = bygg.slug, byra.pk
    pages = {
        "agnes@byggmastarna.test": [
            f"/t/{b}/attestation/?date={{v}}",
            f"/t/{b}/attestation/{member.pk}/?date={{v}}&period={{v}}",
            f"/t/{b}/time/employees/{member.pk}/?day={{v}}",
            f"/t/{b}/schedules/{member.pk}/?x={{v}}",
            f"/t/{b}/documents/{f}/?folder={{v}}",
            f"/t/{b}/documents/files/{document.pk}/download/?version={{v}}",
            f"/t/{b}/messages/{f}/?channel={{v}}",
            f"/t/{b}/messages/{f}/thread/?channel={{v}}",
        ],
        "hanna@byggmastarna.test": [
            f"/t/{b}/time/?week={{v}}",
            f"/t/{b}/time/month/?month={{v}}",
            f"/t/{b}/time/absence/?start={{v}}",
            f"/t/{b}/time/day/{{v}}/",
        ],
        "lena@revisionsbyran.test": [
            f"/t/{byra.slug}/portal/?page={{v}}&sort={{v}}&q={{v}}",
            f"/t/{byra.slug}/portal/inbox/?x={{v}}",
            f"/t/{b}/collaboration/{{v}}/",
        ],
    }
    failures = []
    for email, urls in pages.items():
        client = _client(email)
        for url in urls:
            for value in ODD:
                response = client.get(url.format(v=value))
                if response.status_code >= 500:
                    failures.append((email, url.format(v=value)[:120], response.status_code))
    for huge in ("9" * 25, "2147483648", "9223372036854775808"):
        client = _client("agnes@byggmastarna.test")
        for url in (
            f"/t/{b}/documents/{huge}/",
            f"/t/{b}/documents/files/{huge}/download/",
            f"/t/{b}/documents/folders/{huge}/zip/",
            f"/t/{b}/schedules/{huge}/",
            f"/t/{b}/time/employees/{huge}/",
            f"/t/{b}/time/absence/{huge}/",
            f"/t/{b}/messages/attachments/{huge}/",
            f"/t/{b}/settings/schedules/templates/{huge}/",
        ):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(("agnes", url, response.status_code))
    assert not failures, failures
