"""The Dokument pages for both sides: other tenant 404, FULL/LIMITED/revoked/no grant, constant
queries, downloads only through checked views (issue 11 "Done when")."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.documents import services
from verksam.documents.models import CustomerAccess, Document
from verksam.tenancy.models import PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries

from .helpers import PDF, as_, pdf


@pytest.fixture
def shared(tenant, owner, employee, partner_full, partner_firm):
    folder = as_(
        partner_full,
        tenant,
        services.folder_create,
        firm_id=partner_firm.pk,
        name="Bokslut",
        customer_access=CustomerAccess.EDIT,
    )
    doc = as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf())
    return folder, doc


def _urls(tenant, firm, folder, doc):
    s = tenant.slug
    return {
        "browse": reverse("web:documents_browse", args=[s, firm.pk]) + f"?folder={folder.pk}",
        "document": reverse("web:documents_document", args=[s, doc.pk]),
        "download": reverse("web:documents_download", args=[s, doc.pk]),
        "zip": reverse("web:documents_folder_zip", args=[s, folder.pk]),
        "bin": reverse("web:documents_bin", args=[s, firm.pk]),
        "notifications": reverse("web:documents_notifications", args=[s, firm.pk]),
    }


def test_both_sides_see_and_download_the_shared_document(
    tenant, employee, partner_full, partner_firm, shared
):
    folder, doc = shared
    urls = _urls(tenant, partner_firm, folder, doc)
    for user in (partner_full, employee):
        client = login_client(user)
        for name, url in urls.items():
            assert client.get(url).status_code == 200, (user, name)
        page = client.get(urls["browse"]).content.decode()
        assert "avtal.pdf" in page
        response = client.get(urls["download"])
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="avtal.pdf"'
        archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(urls["zip"]).streaming_content)))
        assert archive.namelist() == ["Bokslut/avtal.pdf"]
    # the partner's tab opens the documents inside the portal frame
    response = login_client(partner_full).get(
        reverse("web:portal_customer_tab", args=[tenant.slug, "documents"])
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/documents/{partner_firm.pk}/")


def test_the_customer_uploads_through_the_page(tenant, employee, partner_firm, shared):
    folder, doc = shared
    client = login_client(employee)
    url = reverse("web:documents_upload", args=[tenant.slug, folder.pk])
    response = client.post(
        url, {"files": [pdf("avtal.pdf", PDF + b"v2"), pdf("ny.pdf")]}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.content
    assert [(u["name"], u["version"]) for u in response.json()["uploaded"]] == [
        ("avtal.pdf", 2),
        ("ny.pdf", 1),
    ]
    # one bad file in a batch: the others are stored, the bad one is named with a Swedish message
    response = client.post(
        url, {"files": [pdf("tom.pdf", b""), pdf("tre.pdf")]}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 422
    assert [e["name"] for e in response.json()["errors"]] == ["tom.pdf"]
    assert response.json()["errors"][0]["message"] == "Filen tom.pdf är tom."
    with tenant_scope(tenant.pk):
        assert set(Document.objects.values_list("name", flat=True)) == {"avtal.pdf", "ny.pdf", "tre.pdf"}


@pytest.mark.parametrize("who", ["stranger", "partner_limited", "revoked", "other_customer_user"])
def test_who_may_not_see_gets_404_and_changes_nothing(
    request, tenant, partner_full, partner_firm, shared, who, attestant
):
    folder, doc = shared
    if who == "revoked":
        # a partner holding an open page or an old download link loses it when the grant is revoked
        with tenant_scope(tenant.pk):
            PartnerGrant.objects.update(revoked_at=timezone.now())
        user = partner_full
    elif who == "other_customer_user":
        # a customer user not listed on a folder for selected users: the folder does not exist for them
        with tenant_scope(tenant.pk):
            folder.all_customer_users = False
            folder.save()
        user = attestant
    else:
        user = request.getfixturevalue(who)
    client = login_client(user)
    for name, url in _urls(tenant, partner_firm, folder, doc).items():
        if who == "other_customer_user" and name in {"bin", "notifications"}:
            continue  # the collaboration exists for them, only this folder does not
        assert client.get(url).status_code == 404, (who, name)
    with tenant_scope(tenant.pk):
        before = list(Document.objects.values())
    writes = [
        reverse("web:documents_upload", args=[tenant.slug, folder.pk]),
        reverse("web:documents_delete", args=[tenant.slug, doc.pk]),
        reverse("web:documents_rename", args=[tenant.slug, doc.pk]),
        reverse("web:documents_folder_delete", args=[tenant.slug, folder.pk]),
    ]
    for url in writes:
        assert client.post(url, {"files": [pdf()], "name": "x.pdf"}).status_code == 404, url
    with tenant_scope(tenant.pk):
        assert list(Document.objects.values()) == before


def test_a_read_only_customer_user_cannot_change_anything(
    tenant, employee, partner_full, partner_firm, shared
):
    folder, doc = shared
    with tenant_scope(tenant.pk):
        folder.customer_access = CustomerAccess.READ
        folder.save()
    client = login_client(employee)
    assert client.get(reverse("web:documents_download", args=[tenant.slug, doc.pk])).status_code == 200
    assert client.get(reverse("web:documents_delete", args=[tenant.slug, doc.pk])).status_code == 403
    response = client.post(
        reverse("web:documents_upload", args=[tenant.slug, folder.pk]),
        {"files": [pdf()]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["message"]
    with tenant_scope(tenant.pk):
        assert Document.objects.get().version_count == 1


def test_delete_asks_first_then_bins(tenant, partner_full, partner_firm, shared):
    folder, doc = shared
    client = login_client(partner_full)
    url = reverse("web:documents_delete", args=[tenant.slug, doc.pk])
    assert b"confirm-delete" in client.get(url).content
    assert client.post(url).status_code == 302
    bin_page = client.get(reverse("web:documents_bin", args=[tenant.slug, partner_firm.pk])).content.decode()
    assert 'data-document="avtal.pdf"' in bin_page
    assert client.post(reverse("web:documents_restore", args=[tenant.slug, doc.pk])).status_code == 302
    with tenant_scope(tenant.pk):
        assert Document.objects.get().deleted_at is None


def test_creating_a_folder_through_the_page(tenant, employee, partner_full, partner_firm):
    client = login_client(partner_full)
    url = reverse("web:documents_folder_create", args=[tenant.slug, partner_firm.pk])
    response = client.post(url, {"name": "Lön", "customer_access": "edit", "all_customer_users": "on"})
    assert response.status_code == 302
    response = client.post(url, {"name": "Lön", "customer_access": "edit", "all_customer_users": "on"})
    assert response.status_code == 422  # the name is taken
    # a customer user without DOCUMENTS_SHARE may not create folders
    assert login_client(employee).post(url, {"name": "X", "customer_access": "edit"}).status_code == 403


def test_the_browser_has_a_constant_query_count(tenant, employee, partner_full, partner_firm, shared):
    folder, _doc = shared
    url = reverse("web:documents_browse", args=[tenant.slug, partner_firm.pk]) + f"?folder={folder.pk}"
    client = login_client(employee)
    few, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    for i in range(28):
        as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf(f"f{i}.pdf"))
        as_(partner_full, tenant, services.folder_create, firm_id=partner_firm.pk, name=f"Mapp {i}")
    many, response = count_queries(lambda: client.get(url))
    assert response.content.count(b"data-document=") == 29
    assert few == many


def test_an_upload_larger_than_allowed_is_refused_before_it_is_read(settings, tenant, partner_full, shared):
    # a stand-in for a 2 GB file: the request is larger than DOCUMENTS_MAX_REQUEST_BYTES
    settings.DOCUMENTS_MAX_REQUEST_BYTES = 1000
    folder, _doc = shared
    response = login_client(partner_full).post(
        reverse("web:documents_upload", args=[tenant.slug, folder.pk]),
        {"files": [pdf("stor.pdf", PDF + b"x" * 2000)]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"].startswith("Uppladdningen är större än")
    with tenant_scope(tenant.pk):
        assert Document.objects.count() == 1


def test_the_customers_admin_chooses_the_users_of_a_folder(
    tenant, owner, employee, attestant, partner_full, shared
):
    from verksam.tenancy.tests.helpers import membership_of

    folder, _doc = shared
    client = login_client(owner)
    url = reverse("web:documents_folder_edit", args=[tenant.slug, folder.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"name": "Bokslut", "customer_access": "read", "members": [str(membership_of(tenant, attestant).pk)]},
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        folder.refresh_from_db()
        # the users changed; the level stayed the firm's decision (edit), whatever the form said
        assert folder.all_customer_users is False and folder.customer_access == CustomerAccess.EDIT
    browse = (
        reverse("web:documents_browse", args=[tenant.slug, folder.partner_tenant_id]) + f"?folder={folder.pk}"
    )
    assert login_client(employee).get(browse).status_code == 404
    assert login_client(attestant).get(browse).status_code == 200
    # an ordinary customer user may not change who has access
    assert login_client(attestant).get(url).status_code == 403
