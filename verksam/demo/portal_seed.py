"""The demo's partner portal (issue 11): Revisionsbyrån shares folders with Byggmästarna — a folder
the customer reads (the year-end papers, with a document) and one the customer fills (receipts and
statements) — and the accountant and the owner have a short exchange in the general channel. Made
through the services, once: a collaboration that has folders is left as it is."""

from django.core.files.uploadedfile import SimpleUploadedFile

from verksam.accounts.models import User
from verksam.documents import services as documents
from verksam.documents.models import CustomerAccess, Folder
from verksam.messaging import services as messaging
from verksam.messaging.selectors import GENERAL
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Tenant
from verksam.tenancy.scope import tenant_scope

# A small valid PDF (one empty page), so the demo document opens in any viewer.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_portal(*, customer: Tenant, firm: Tenant, accountant_email: str, owner_email: str) -> int:
    """Folders, a document and two messages between `firm` and `customer`; returns how many folders
    were created (0 when the collaboration already has its folders)."""
    accountant = User.objects.get(email=accountant_email)
    owner = User.objects.get(email=owner_email)
    with tenant_scope(customer.pk):
        if Folder.objects.filter(partner_tenant=firm).exists():
            return 0
        partner = resolve(accountant, customer)
        boss = resolve(owner, customer)
        assert partner is not None and boss is not None
        papers = documents.folder_create(
            actor=partner,
            firm_id=firm.pk,
            name="Bokslut och deklaration",
            customer_access=CustomerAccess.READ,
        )
        documents.folder_create(
            actor=partner, firm_id=firm.pk, name="Underlag från kunden", customer_access=CustomerAccess.EDIT
        )
        documents.document_upload(
            actor=partner,
            folder=papers,
            upload=SimpleUploadedFile("Bokslutsplanering 2026.pdf", _PDF, content_type="application/pdf"),
        )
        messaging.message_post(
            actor=partner,
            firm_id=firm.pk,
            key=GENERAL,
            body="Hej! Bokslutsplaneringen ligger i mappen Bokslut och deklaration. "
            "Lägg gärna kontoutdragen för december i Underlag från kunden.",
        )
        messaging.message_post(
            actor=boss, firm_id=firm.pk, key=GENERAL, body="Tack Lena, jag laddar upp dem i veckan."
        )
    return 2
