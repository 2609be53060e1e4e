"""A mail that could not be delivered is visible to the tenant's administrators, on the Users page
and in the API, and to nobody else (issue 7 item 11; DESIGN.md test trio)."""

import pytest
from django.urls import reverse

from verksam.mail.models import MailStatus, OutgoingMail
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import count_queries


def _failed(tenant, to, error="550 5.1.1 Recipient address rejected"):
    with tenant_scope(tenant.pk):
        row = OutgoingMail(
            tenant=tenant, kind="invitation", to=to, subject=f"Inbjudan till {tenant.name}", body="x"
        )
        row.status, row.attempts, row.last_error = MailStatus.FAILED, 1, error
        row.save()
        return row


def _sent(tenant, to):
    with tenant_scope(tenant.pk):
        row = OutgoingMail(tenant=tenant, kind="invitation", to=to, subject="Inbjudan", body="x")
        row.status = MailStatus.SENT
        row.save()
        return row


def test_users_page_shows_the_failed_mails_of_its_own_tenant_only(tenant, owner, other_tenant, as_user):
    _failed(tenant, "borta@example.se")
    _sent(tenant, "framme@example.se")
    _failed(other_tenant, "annan@example.se")
    response = as_user(owner).get(reverse("web:members", args=[tenant.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="failed-mails"' in html
    assert 'data-mail="borta@example.se"' in html and "550 5.1.1" in html
    assert "framme@example.se" not in html  # delivered mail is not listed
    assert "annan@example.se" not in html  # another tenant's mail never


def test_users_page_without_failures_has_no_failure_list(tenant, owner, as_user):
    _sent(tenant, "framme@example.se")
    response = as_user(owner).get(reverse("web:members", args=[tenant.slug]))
    assert 'data-testid="failed-mails"' not in response.content.decode()


def test_users_page_query_count_does_not_grow_with_failed_mails(tenant, owner, as_user):
    client = as_user(owner)
    url = reverse("web:members", args=[tenant.slug])
    _failed(tenant, "a0@example.se")
    few, _ = count_queries(lambda: client.get(url))
    for n in range(1, 15):
        _failed(tenant, f"a{n}@example.se")
    many, _ = count_queries(lambda: client.get(url))
    assert many == few


def test_api_lists_failed_mails_for_administrators(tenant, owner, other_tenant, as_api):
    failed = _failed(tenant, "borta@example.se")
    _sent(tenant, "framme@example.se")
    _failed(other_tenant, "annan@example.se")
    response = as_api(owner).get(f"/api/v1/tenants/{tenant.pk}/mails?status=failed")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["id"] == failed.pk
    assert (item["to"], item["status"], item["attempts"]) == ("borta@example.se", "failed", 1)
    assert "550" in item["last_error"]
    everything = as_api(owner).get(f"/api/v1/tenants/{tenant.pk}/mails").json()
    assert everything["total"] == 2


@pytest.mark.parametrize(
    ("who", "page", "api"),
    [("owner", 200, 200), ("employee", 403, 403), ("attestant", 403, 403), ("stranger", 404, 404)],
)
def test_mail_list_authorization(
    request, tenant, owner, employee, attestant, as_user, as_api, who, page, api
):
    _failed(tenant, "borta@example.se")
    user = request.getfixturevalue(who)
    assert as_user(user).get(reverse("web:members", args=[tenant.slug])).status_code == page
    response = as_api(user).get(f"/api/v1/tenants/{tenant.pk}/mails?status=failed")
    assert response.status_code == api
    if api != 200:
        assert "borta@example.se" not in response.content.decode()
