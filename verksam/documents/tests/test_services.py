"""Folder permissions, versions, the bin, the quota and bad files (issue 11 item 4, "Bad input")."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.documents import selectors, services
from verksam.documents.models import CustomerAccess, Document, DocumentVersion, StorageAccount
from verksam.tenancy.models import PartnerLevel
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, PartnerGrantFactory, TenantFactory, UserFactory
from verksam.tenancy.tests.helpers import membership_of

from .helpers import PDF, PNG, actor, as_, pdf


@pytest.fixture
def folder(tenant, partner_full, partner_firm):
    return as_(
        partner_full,
        tenant,
        services.folder_create,
        firm_id=partner_firm.pk,
        name="Bokslut",
        customer_access=CustomerAccess.EDIT,
    )


def _tree(user, tenant, firm):
    with tenant_scope(tenant.pk):
        return [(n.folder.name, n.access) for n in selectors.folder_tree(actor(user, tenant), firm.pk)]


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(Document.all_tenants.filter(tenant=tenant).values()),
            list(DocumentVersion.all_tenants.filter(tenant=tenant).values()),
            list(StorageAccount.objects.values()),
        )


def test_the_customer_replaces_a_document_with_a_new_version(
    tenant, owner, employee, attestant, partner_full, partner_firm, folder, django_capture_on_commit_callbacks
):
    # given a folder the customer may edit, and a document the firm uploaded
    with django_capture_on_commit_callbacks(execute=True):
        doc = as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf())
    assert doc.version_count == 1 and doc.partner_seen_at is not None
    # the customer's users were told by e-mail
    assert {m.to[0] for m in mail.outbox} == {owner.email, employee.email, attestant.email}
    # when the employee uploads a file of the same name
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = as_(
            employee, tenant, services.document_upload, folder=folder, upload=pdf("AVTAL.pdf", PDF + b"v2")
        )
    # then it is version 2 of the same document, new to the firm, who were told
    assert again.pk == doc.pk and again.version_count == 2 and again.partner_seen_at is None
    assert [m.to for m in mail.outbox] == [[partner_full.email]]
    with tenant_scope(tenant.pk):
        versions = list(selectors.version_list(again))
        assert [v.number for v in versions] == [2, 1]
        assert default_storage.open(versions[0].file.name).read() == PDF + b"v2"
        assert versions[0].file.name.startswith(f"documents/{tenant.pk}/")  # tenant prefix, random name
        assert StorageAccount.objects.get(partner_tenant=partner_firm).used_bytes == 2 * len(PDF) + 2


def test_a_read_only_folder_refuses_the_customers_upload(tenant, employee, partner_full, partner_firm):
    folder = as_(partner_full, tenant, services.folder_create, firm_id=partner_firm.pk, name="Läs")
    before = _state(tenant)
    with pytest.raises(Forbidden):
        as_(employee, tenant, services.document_upload, folder=folder, upload=pdf())
    assert _state(tenant) == before
    assert _tree(employee, tenant, partner_firm) == [("Läs", "read")]


def test_a_folder_for_listed_users_only(tenant, owner, employee, attestant, partner_full, partner_firm):
    listed = membership_of(tenant, attestant)
    as_(
        partner_full,
        tenant,
        services.folder_create,
        firm_id=partner_firm.pk,
        name="Löner",
        all_customer_users=False,
        member_ids=[listed.pk],
    )
    assert _tree(attestant, tenant, partner_firm) == [("Löner", "read")]
    assert _tree(employee, tenant, partner_firm) == []  # not listed: the folder does not exist for them
    assert _tree(owner, tenant, partner_firm) == [("Löner", "read")]  # the customer's admin manages it


def test_a_subfolder_is_no_more_open_than_its_parent(tenant, employee, partner_full, partner_firm):
    top = as_(partner_full, tenant, services.folder_create, firm_id=partner_firm.pk, name="A")
    as_(
        partner_full,
        tenant,
        services.folder_create,
        firm_id=partner_firm.pk,
        name="B",
        parent=top,
        customer_access=CustomerAccess.EDIT,
    )
    assert _tree(employee, tenant, partner_firm) == [("A", "read"), ("B", "read")]
    assert _tree(partner_full, tenant, partner_firm) == [("A", "edit"), ("B", "edit")]


def test_limited_partners_and_other_firms_see_nothing(
    tenant, partner_limited, partner_full, partner_firm, folder
):
    # a LIMITED partner has no documents (DOMAIN.md "begränsad")
    with pytest.raises(Forbidden):
        as_(partner_limited, tenant, services.folder_create, firm_id=partner_firm.pk, name="X")
    assert _tree(partner_limited, tenant, partner_firm) == []
    # a person of another firm with FULL access sees only their own firm's tree
    other_firm = TenantFactory(variant="partner")
    other = UserFactory()
    MembershipFactory(tenant=other_firm, user=other, licence="TOTAL")
    PartnerGrantFactory(tenant=tenant, partner_tenant=other_firm, user=other, level=PartnerLevel.FULL)
    assert _tree(other, tenant, partner_firm) == []
    with tenant_scope(tenant.pk):
        assert selectors.folder_get(actor(other, tenant), folder.pk) is None
    with pytest.raises(NotFound):
        as_(other, tenant, services.document_upload, folder=folder, upload=pdf())


@pytest.mark.parametrize(
    ("name", "body", "code"),
    [
        ("tom.pdf", b"", "empty_file"),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "file_type_not_allowed"),
        ("faktura.pdf", b"MZ\x90\x00" + b"\x00" * 100, "file_type_not_allowed"),  # the name lies
        ("../../etc/passwd.txt", b"root", "invalid_name"),
        ("..\\boot.ini.txt", b"x", "invalid_name"),
        ("bell\x07.pdf", PDF, "invalid_name"),
        ("kvitto\u202egpj.exe.pdf", PDF, "invalid_name"),  # right-to-left override
        ("..", PDF, "invalid_name"),
        ("CON.pdf", PDF, "invalid_name"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(tenant, partner_full, folder, name, body, code):
    before = _state(tenant)
    with pytest.raises(DomainError) as err:
        # the name as a client may send it (Django's own upload parser already drops path parts)
        as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf("x", body), name=name)
    assert err.value.code == code
    assert _state(tenant) == before


def test_too_large_and_past_the_quota(settings, tenant, partner_full, partner_firm, folder):
    settings.DOCUMENTS_MAX_FILE_BYTES = 100
    with pytest.raises(DomainError) as err:
        as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf(body=PDF + b"x" * 100))
    assert err.value.code == "file_too_large"
    settings.DOCUMENTS_MAX_FILE_BYTES = 10_000
    settings.DOCUMENTS_QUOTA_BYTES = len(PDF) + 10
    as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf("ett.pdf"))
    before = _state(tenant)
    with pytest.raises(DomainError) as err:
        as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf("två.pdf"))
    assert err.value.code == "quota_exceeded"
    assert _state(tenant) == before


def test_allowed_types_are_sniffed(tenant, partner_full, folder):
    doc = as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf("bild.png", PNG))
    assert doc.content_type == "image/png"
    doc = as_(
        partner_full,
        tenant,
        services.document_upload,
        folder=folder,
        upload=pdf("lön.csv", "namn;lön\n".encode()),
    )
    assert doc.content_type == "text/csv"


def test_rename_move_delete_restore_and_purge(
    tenant, employee, partner_full, partner_firm, folder, django_capture_on_commit_callbacks
):
    doc = as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf())
    other = as_(partner_full, tenant, services.folder_create, firm_id=partner_firm.pk, name="Arkiv")
    with tenant_scope(tenant.pk):
        stored = selectors.version_get(doc, None).file.name
    with pytest.raises(DomainError):
        as_(partner_full, tenant, services.document_rename, document=doc, name="a/b.pdf")
    doc = as_(partner_full, tenant, services.document_rename, document=doc, name="Avtal 2026.pdf")
    # the employee may edit Bokslut but only read Arkiv: moving there is refused
    with pytest.raises(Forbidden):
        as_(employee, tenant, services.document_move, document=doc, folder=other)
    doc = as_(partner_full, tenant, services.document_move, document=doc, folder=other)
    as_(partner_full, tenant, services.document_delete, document=doc)
    with tenant_scope(tenant.pk):
        assert selectors.document_get(actor(partner_full, tenant), doc.pk) is None
        assert [d.pk for d in selectors.bin_list(actor(partner_full, tenant), partner_firm.pk)] == [doc.pk]
    as_(partner_full, tenant, services.document_restore, document=doc)
    as_(partner_full, tenant, services.document_delete, document=doc)
    # after 30 days the bin is emptied: the row, the file, and the space in the quota
    with tenant_scope(tenant.pk), django_capture_on_commit_callbacks(execute=True):
        assert services.bin_purge(older_than=timezone.now() - dt.timedelta(days=30)) == 0
        assert services.bin_purge(older_than=timezone.now() + dt.timedelta(seconds=1)) == 1
        assert not Document.objects.filter(pk=doc.pk).exists()
        assert StorageAccount.objects.get(partner_tenant=partner_firm).used_bytes == 0
    assert not default_storage.exists(stored)


def test_deleting_a_folder_bins_its_files(tenant, partner_full, partner_firm, folder):
    doc = as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf())
    as_(partner_full, tenant, services.folder_delete, folder=folder)
    with tenant_scope(tenant.pk):
        assert selectors.document_get(actor(partner_full, tenant), doc.pk) is None
        assert _tree(partner_full, tenant, partner_firm) == []
    as_(partner_full, tenant, services.folder_restore, folder=folder)
    with tenant_scope(tenant.pk):
        assert selectors.document_get(actor(partner_full, tenant), doc.pk) is not None


def test_notification_settings_are_per_user(
    tenant, owner, employee, attestant, partner_full, partner_firm, folder, django_capture_on_commit_callbacks
):
    as_(employee, tenant, services.notification_update, firm_id=partner_firm.pk, on_new_document=False)
    with django_capture_on_commit_callbacks(execute=True):
        as_(partner_full, tenant, services.document_upload, folder=folder, upload=pdf())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, attestant.email])
