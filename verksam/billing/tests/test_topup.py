import pytest
from django.test import Client

from verksam.audit.models import AuditEvent
from verksam.billing import selectors, services
from verksam.billing.models import BalanceEntry, BalanceKind, Payment, PaymentStatus
from verksam.billing.payments import PaymentProviderError, PaymentUnknown
from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.tenancy.scope import tenant_scope

from .conftest import actor_of, browser_pay


def test_topup_full_flow_credits_the_balance(fake_payments, scope, owner_actor):
    # given a TOTAL user starting a top-up of 200 SMS (2 packages of 100 at 99 kr)
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=200)
    assert payment.amount_ore == 19800 and payment.status == PaymentStatus.CREATED
    assert payment.checkout_url == f"http://payments.test/checkout/{payment.provider_payment_id}"
    # when the user pays on the provider's checkout page and comes back
    location = browser_pay(fake_payments, payment.provider_payment_id)
    assert location.endswith(f"/t/snickeri/balances/return/?payment_id={payment.provider_payment_id}")
    confirmed = services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    # then the payment is paid, the balance credited and both steps audited
    assert confirmed.status == PaymentStatus.PAID and confirmed.paid_at is not None
    assert selectors.balance_get(BalanceKind.SMS) == 200
    entry = BalanceEntry.objects.get()
    assert (entry.delta, entry.reference, entry.created_by_id) == (
        200,
        f"payment:{payment.pk}",
        owner_actor.user.pk,
    )
    assert set(AuditEvent.objects.filter(target_type="billing.payment").values_list("action", flat=True)) == {
        "balance.topup_start",
        "balance.topup_confirm",
    }
    # and the provider was told the amount and a reference naming tenant and payment
    provider_side = fake_payments.payments[payment.provider_payment_id]
    assert provider_side["amount"] == 19800
    assert provider_side["reference"] == f"verksam-{scope.pk}-{payment.pk}"


def test_double_confirmation_credits_once(fake_payments, scope, owner_actor):
    # given a paid top-up of 10 e-signatures
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.E_SIGNATURE, quantity=10)
    browser_pay(fake_payments, payment.provider_payment_id)
    # when the return page and the webhook both confirm it
    services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    # then it is credited exactly once
    assert selectors.balance_get(BalanceKind.E_SIGNATURE) == 10
    assert BalanceEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="balance.topup_confirm").count() == 1


def test_unpaid_topup_credits_nothing(fake_payments, scope, owner_actor):
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=100)
    confirmed = services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    assert confirmed.status == PaymentStatus.CREATED
    assert selectors.balance_get(BalanceKind.SMS) == 0


def test_cancelled_topup_credits_nothing_and_stays_cancelled(fake_payments, scope, owner_actor):
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=100)
    browser_pay(fake_payments, payment.provider_payment_id, action="cancel")
    confirmed = services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    assert confirmed.status == PaymentStatus.CANCELLED
    # a later "paid" from the provider does not revive a cancelled order
    fake_payments.set_status(payment.provider_payment_id, "paid")
    assert services.topup_confirm(provider_payment_id=payment.provider_payment_id).status == "cancelled"
    assert selectors.balance_get(BalanceKind.SMS) == 0


def test_amount_mismatch_is_refused(fake_payments, scope, owner_actor):
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=100)
    fake_payments.payments[payment.provider_payment_id]["amount"] = 1
    fake_payments.set_status(payment.provider_payment_id, "paid")
    with pytest.raises(DomainError) as exc:
        services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    assert exc.value.code == "payment_amount_mismatch"
    assert selectors.balance_get(BalanceKind.SMS) == 0


def test_unknown_provider_id_is_not_found(fake_payments, db):
    with pytest.raises(PaymentUnknown):
        services.topup_confirm(provider_payment_id="pay_doesnotexist")
    with pytest.raises(PaymentUnknown):
        services.topup_confirm(provider_payment_id="../../admin")


def test_provider_payment_with_a_foreign_reference_is_not_credited(
    fake_payments, scope, owner_actor, other_tenant
):
    # given a payment at the provider whose reference names another tenant's (non-existing) payment
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=100)
    fake_payments.payments[payment.provider_payment_id]["reference"] = (
        f"verksam-{other_tenant.pk}-{payment.pk}"
    )
    fake_payments.set_status(payment.provider_payment_id, "paid")
    # then no tenant is credited
    with pytest.raises(NotFound):
        services.topup_confirm(provider_payment_id=payment.provider_payment_id)
    assert selectors.balance_get(BalanceKind.SMS) == 0


@pytest.mark.parametrize("quantity", [0, 50, 150, 100 * 101, -100])
def test_quantity_must_be_whole_packages(fake_payments, scope, owner_actor, quantity):
    with pytest.raises(DomainError):
        services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=quantity)
    assert Payment.objects.count() == 0


def test_light_user_cannot_top_up(fake_payments, scope, employee):
    with pytest.raises(Forbidden):
        services.topup_start(actor=actor_of(employee, scope), kind=BalanceKind.SMS, quantity=100)
    assert Payment.objects.count() == 0 and fake_payments.payments == {}


def test_provider_down_marks_the_payment_failed(settings, scope, owner_actor):
    # given a provider nobody answers at
    import httpx

    def refuse(request):
        raise httpx.ConnectError("refused")

    settings.PAYMENT_PROVIDER_TRANSPORT = httpx.MockTransport(refuse)
    # when starting a top-up
    with pytest.raises(PaymentProviderError):
        services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=100)
    # then the order is kept as failed (audited start) and nothing is credited
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert selectors.balance_get(BalanceKind.SMS) == 0


def test_webhook_confirms_from_the_provider_not_the_payload(fake_payments, scope, owner_actor):
    # given a top-up not yet paid
    payment = services.topup_start(actor=owner_actor, kind=BalanceKind.SMS, quantity=100)
    client = Client()
    # when someone posts the id claiming it is paid
    response = client.post(
        "/api/v1/webhooks/payments",
        {"id": payment.provider_payment_id, "status": "paid"},
        content_type="application/json",
    )
    # then the provider's "created" wins and nothing is credited
    assert response.status_code == 200 and response.json()["status"] == "created"
    assert selectors.balance_get(BalanceKind.SMS) == 0
    # when the provider really has it paid, the webhook (without user or scope) credits it, once
    browser_pay(fake_payments, payment.provider_payment_id)
    with tenant_scope():  # no tenant visible to the request itself
        for _ in range(2):
            response = client.post(
                "/api/v1/webhooks/payments",
                {"id": payment.provider_payment_id},
                content_type="application/json",
            )
            assert response.status_code == 200 and response.json()["status"] == "paid"
    assert selectors.balance_get(BalanceKind.SMS) == 100


def test_webhook_unknown_id_answers_404(fake_payments, db):
    response = Client().post("/api/v1/webhooks/payments", {"id": "pay_nope"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "payment_not_found"


def test_fake_provider_requires_the_api_key(fake_payments):
    import httpx

    with httpx.Client(transport=httpx.WSGITransport(app=fake_payments), base_url="http://payments.test") as c:
        assert c.post("/v1/payments", json={"amount": 100}).status_code == 401
        wrong = c.get("/v1/payments/pay_x", headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401
        ok = c.post(
            "/v1/payments",
            headers={"Authorization": "Bearer test-key"},
            json={
                "amount": 100,
                "currency": "SEK",
                "reference": "r",
                "description": "d",
                "return_url": "http://x/",
            },
        )
        assert ok.status_code == 201 and ok.json()["status"] == "created"
        bad = c.post("/v1/payments", headers={"Authorization": "Bearer test-key"}, json={"amount": -1})
        assert bad.status_code == 400
