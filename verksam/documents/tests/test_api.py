"""The documents API: the same rules as the pages (issue 11 item 7)."""

import pytest
from django.utils import timezone

from verksam.documents.models import Document
from verksam.tenancy.models import PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries

from .helpers import PDF, pdf


def _base(tenant):
    return f"/api/v1/tenants/{tenant.pk}"


def _folder(client, tenant, firm, **data):
    payload = {"name": "Bokslut", "customer_access": "edit"} | data
    answer = client.post(
        f"{_base(tenant)}/document-collaborations/{firm.pk}/folders", payload, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_the_whole_round_trip(tenant, owner, employee, partner_full, partner_firm):
    firm_api, customer_api = api_client(partner_full), api_client(employee)
    folder = _folder(firm_api, tenant, partner_firm)
    # the partner uploads two files at once
    answer = firm_api.post(
        f"{_base(tenant)}/document-folders/{folder['id']}/documents", {"files": [pdf(), pdf("b.pdf")]}
    )
    assert answer.status_code == 200, answer.content
    doc_id = answer.json()["uploaded"][0]["id"]
    # the customer sees the folder and replaces the file with a new version
    assert [
        f["name"]
        for f in customer_api.get(f"{_base(tenant)}/document-collaborations/{partner_firm.pk}/folders").json()
    ] == ["Bokslut"]
    assert customer_api.get(f"{_base(tenant)}/document-collaborations").json() == [
        {"firm_id": partner_firm.pk, "name": partner_firm.name}
    ]
    answer = customer_api.post(
        f"{_base(tenant)}/document-folders/{folder['id']}/documents",
        {"files": [pdf("avtal.pdf", PDF + b"2")]},
    )
    assert answer.json()["uploaded"][0]["version_count"] == 2
    detail = firm_api.get(f"{_base(tenant)}/documents/{doc_id}").json()
    assert [v["number"] for v in detail["versions"]] == [2, 1] and detail["new_to_firm"] is True
    download = firm_api.get(f"{_base(tenant)}/documents/{doc_id}/download?version=1")
    assert b"".join(download.streaming_content) == PDF
    assert firm_api.get(f"{_base(tenant)}/documents/{doc_id}").json()["new_to_firm"] is False
    # rename, move, delete, restore
    other = _folder(firm_api, tenant, partner_firm, name="Arkiv")
    answer = firm_api.patch(
        f"{_base(tenant)}/documents/{doc_id}",
        {"name": "Avtal 2026.pdf", "folder_id": other["id"]},
        content_type="application/json",
    )
    assert answer.json()["name"] == "Avtal 2026.pdf" and answer.json()["folder_id"] == other["id"]
    assert firm_api.delete(f"{_base(tenant)}/documents/{doc_id}").status_code == 204
    assert [
        d["id"] for d in firm_api.get(f"{_base(tenant)}/document-collaborations/{partner_firm.pk}/bin").json()
    ] == [doc_id]
    assert firm_api.post(f"{_base(tenant)}/documents/{doc_id}/restore").status_code == 200
    storage = firm_api.get(f"{_base(tenant)}/document-collaborations/{partner_firm.pk}/storage").json()
    assert storage["used_bytes"] == 3 * len(PDF) + 1
    zipped = firm_api.get(f"{_base(tenant)}/document-folders/{folder['id']}/zip")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    answer = customer_api.put(
        f"{_base(tenant)}/document-collaborations/{partner_firm.pk}/notifications",
        {"on_new_document": False},
        content_type="application/json",
    )
    assert answer.json() == {"on_new_document": False}


def test_bad_uploads_answer_in_swedish(tenant, partner_full, partner_firm):
    client = api_client(partner_full)
    folder = _folder(client, tenant, partner_firm)
    answer = client.post(
        f"{_base(tenant)}/document-folders/{folder['id']}/documents",
        {"files": [pdf("tom.pdf", b""), pdf("x.exe", b"MZ" + b"\x00" * 60)]},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    # every file refused: the first refusal is the answer, all of them in extra.errors
    assert answer.status_code == 400
    assert answer.json()["code"] == "empty_file"
    assert [e["code"] for e in answer.json()["extra"]["errors"]] == ["empty_file", "file_type_not_allowed"]
    # one good file among bad ones: 200 with both lists
    answer = client.post(
        f"{_base(tenant)}/document-folders/{folder['id']}/documents", {"files": [pdf("tom.pdf", b""), pdf()]}
    )
    assert answer.status_code == 200
    assert [d["name"] for d in answer.json()["uploaded"]] == ["avtal.pdf"]
    assert [e["name"] for e in answer.json()["errors"]] == ["tom.pdf"]
    with tenant_scope(tenant.pk):
        Document.objects.all().delete()
    with tenant_scope(tenant.pk):
        assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "partner_limited", "revoked"])
def test_who_may_not_see_gets_404(request, tenant, partner_full, partner_firm, who):
    firm_api = api_client(partner_full)
    folder = _folder(firm_api, tenant, partner_firm)
    doc_id = firm_api.post(
        f"{_base(tenant)}/document-folders/{folder['id']}/documents", {"files": [pdf()]}
    ).json()["uploaded"][0]["id"]
    if who == "revoked":
        with tenant_scope(tenant.pk):
            PartnerGrant.objects.update(revoked_at=timezone.now())
        client = firm_api
    else:
        client = api_client(request.getfixturevalue(who))
    for path in (
        f"/document-collaborations/{partner_firm.pk}/folders",
        f"/document-folders/{folder['id']}/documents",
        f"/documents/{doc_id}",
        f"/documents/{doc_id}/download",
        f"/document-folders/{folder['id']}/zip",
    ):
        assert client.get(_base(tenant) + path).status_code == 404, path
    assert client.delete(f"{_base(tenant)}/documents/{doc_id}").status_code == 404
    assert (
        client.post(
            f"{_base(tenant)}/document-folders/{folder['id']}/documents", {"files": [pdf("n.pdf")]}
        ).status_code
        == 404
    )
    with tenant_scope(tenant.pk):
        assert list(Document.objects.values_list("name", "deleted_at")) == [("avtal.pdf", None)]


def test_listing_has_a_constant_query_count(tenant, employee, partner_full, partner_firm):
    firm_api, customer_api = api_client(partner_full), api_client(employee)
    folder = _folder(firm_api, tenant, partner_firm)
    url = f"{_base(tenant)}/document-folders/{folder['id']}/documents"
    firm_api.post(url, {"files": [pdf("a.pdf"), pdf("b.pdf")]})
    customer_api.get(url)
    few, _ = count_queries(lambda: customer_api.get(url))
    firm_api.post(url, {"files": [pdf(f"f{i}.pdf") for i in range(28)]})
    many, answer = count_queries(lambda: customer_api.get(url))
    assert len(answer.json()) == 30 and few == many


def test_an_api_upload_larger_than_allowed_is_refused_before_it_is_read(
    settings, tenant, partner_full, partner_firm
):
    # a stand-in for a 2 GB file: the request is larger than DOCUMENTS_MAX_REQUEST_BYTES
    client = api_client(partner_full)
    folder = _folder(client, tenant, partner_firm)
    settings.DOCUMENTS_MAX_REQUEST_BYTES = 1000
    answer = client.post(
        f"{_base(tenant)}/document-folders/{folder['id']}/documents",
        {"files": [pdf("stor.pdf", b"%PDF-1.4\n" + b"x" * 2000)]},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"
    assert answer.json()["message"].startswith("Uppladdningen är större än")
    assert answer.json()["extra"] == {"limit_bytes": 1000}
    listed = client.get(f"{_base(tenant)}/document-folders/{folder['id']}/documents").json()
    assert listed == [] or listed.get("items") == []
