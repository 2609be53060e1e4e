"""A card purchase is a claim of the one mechanism (verksam.expenses.claims): submitted by the holder,
attested or rejected by the holder's approver, with the card purchase's own refusals; it has no
withdraw or reopen, and no payroll period freezes it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from verksam.attestation import expenses as approval
from verksam.audit.models import AuditEvent
from verksam.cards import services
from verksam.cards.models import Card, CardPurchase, PurchaseStatus
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.expenses import claims
from verksam.expenses import services as expense_services
from verksam.expenses.tests.conftest import actor, jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def purchase(tenant, holder, employee, today):
    from verksam.tenancy.scope import tenant_scope

    with tenant_scope(tenant.pk):
        card = Card.objects.create(tenant=tenant, holder=holder, last_four="4321")
        me = actor(tenant, employee)
        receipt = expense_services.receipt_upload(
            actor=me, upload=SimpleUploadedFile("k.jpg", jpeg_with_gps((40, 30)))
        )
        yield services.purchase_create(
            actor=me,
            card=card,
            purchase_date=today,
            amount_ore=12500,
            vat_25_ore=2500,
            merchant="Clas Ohlson",
            receipt=receipt,
        )


def test_submit_reject_attest_through_the_one_mechanism(tenant, purchase, employee, attestant):
    me, approver = actor(tenant, employee), actor(tenant, attestant)
    with pytest.raises(DomainError) as refused:
        claims.item_submit(actor=me, item=purchase)  # no cost account yet
    assert refused.value.code == "account_missing"
    purchase = services.purchase_update(actor=me, purchase=purchase, account="5460")
    claims.item_submit(actor=me, item=purchase)
    with pytest.raises(Conflict) as refused:
        claims.item_submit(actor=me, item=purchase)
    assert refused.value.code == "not_open"
    with pytest.raises(Forbidden) as refused:
        approval.claim_attest(actor=me, item=purchase)  # the holder is no approver
    with pytest.raises(DomainError) as refused:
        approval.claim_reject(actor=approver, item=purchase, comment=" ")
    assert refused.value.code == "comment_required"
    approval.claim_reject(actor=approver, item=purchase, comment="Fel konto")
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.OPEN
    claims.item_submit(actor=me, item=purchase)
    approval.claim_attest(actor=approver, item=purchase)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.ATTESTED and purchase.attested_by == attestant
    with pytest.raises(Conflict) as refused:
        approval.claim_attest(actor=approver, item=purchase)
    assert refused.value.code == "not_submitted"
    for action in ("withdraw", "delete"):
        with pytest.raises(NotFound):
            getattr(claims, f"item_{action}")(actor=me, item=purchase)
    actions = list(
        AuditEvent.objects.filter(target_type="cards.cardpurchase")
        .order_by("pk")
        .values_list("action", "data")
    )
    assert actions[-1] == ("card_purchase.attest", {})  # the audit rows keep their shape
    assert ("card_purchase.reject", {"comment": "Fel konto"}) in actions
    assert CardPurchase.objects.count() == 1
