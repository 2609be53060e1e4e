"""Every portal route in the customer's account for FULL, LIMITED, revoked and no grant (issue 11
"Done when"): FULL opens everything, LIMITED only the frame (documents and messages do not exist for
them), a revoked grant and a firm person without a grant get 404 everywhere, and no refused call
changes anything."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.documents import services as documents
from verksam.documents.models import Document, Folder
from verksam.documents.tests.helpers import as_, pdf
from verksam.messaging import services as messaging
from verksam.messaging.models import Message
from verksam.tenancy.models import Licence, PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import membership_of

PREFIXES = ("documents", "messages", "portal_customer")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def objects(tenant, employee, partner_full, partner_firm):
    folder = as_(
        partner_full,
        tenant,
        documents.folder_create,
        firm_id=partner_firm.pk,
        name="A",
        customer_access="edit",
    )
    doc = as_(partner_full, tenant, documents.document_upload, folder=folder, upload=pdf())
    key = f"m{membership_of(tenant, employee).pk}"
    message = as_(
        employee, tenant, messaging.message_post, firm_id=partner_firm.pk, key=key, body="Hej", files=[pdf()]
    )
    with tenant_scope(tenant.pk):
        attachment = message.attachments.get()
    return {
        "firm_id": partner_firm.pk,
        "folder_id": folder.pk,
        "document_id": doc.pk,
        "attachment_id": attachment.pk,
        "tab": "payroll",
    }


def _routes(tenant, ids):
    from verksam.web.urls import urlpatterns

    for pattern in urlpatterns:
        name = pattern.name or ""
        if not name.startswith(PREFIXES):
            continue
        params = re.findall(r"<\w+:(\w+)>", str(pattern.pattern))
        args = [tenant.slug, *(ids[p] for p in params[1:])]
        yield name, reverse(f"web:{name}", args=args)


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(Folder.objects.values()),
            list(Document.objects.values()),
            list(Message.objects.values_list("pk", "body")),
        )


@pytest.mark.parametrize("who", ["full", "limited", "revoked", "no_grant"])
def test_every_portal_route_by_access(
    tenant, employee, partner_full, partner_limited, partner_firm, objects, who
):
    if who == "full":
        user = partner_full
    elif who == "limited":
        user = partner_limited
    elif who == "revoked":
        with tenant_scope(tenant.pk):
            PartnerGrant.objects.filter(user=partner_full).update(revoked_at=timezone.now())
        user = partner_full
    else:
        user = UserFactory()
        MembershipFactory(tenant=partner_firm, user=user, licence=Licence.TOTAL)
    client = login_client(user)
    routes = dict(_routes(tenant, objects))
    assert {
        "documents_browse",
        "documents_download",
        "messages",
        "messages_attachment",
        "portal_customer",
    } <= set(routes)
    before = _state(tenant)
    for name, url in routes.items():
        get = client.get(url).status_code
        post = client.post(
            url, {"name": "x", "body": "x", "channel": "general", "files": [pdf("n.pdf")]}
        ).status_code
        if who in ("revoked", "no_grant"):
            assert (get, post) == (404, 404), (who, name, get, post)
        elif who == "limited":
            if name.startswith("portal_customer"):
                # the frame; a tab they may not open is 403; Löneunderlag opens the payroll pages
                assert get in (200, 302, 403), (name, get)
            else:  # a POST-only route answers GET with 405 before looking anything up
                assert get in (404, 405) and post == 404, (who, name, get, post)
        else:
            assert get in (200, 302, 405), (name, get)
    if who != "full":
        assert _state(tenant) == before
