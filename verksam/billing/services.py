"""Writes for balances (saldon), top-ups and sign-up. A balance is never negative (DOMAIN.md "saldo"):
consumption is one conditional UPDATE, so concurrent consumers cannot overdraw it, and the database
CHECK constraint is the backstop. Every change is a row in the append-only ledger."""

import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.bounds import MAX_TOPUP_QUANTITY
from verksam.core.errors import DomainError, NotFound
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Tenant, Variant
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.services import tenant_create

from .models import BalanceAccount, BalanceEntry, BalanceKind, Payment, PaymentStatus
from .payments import CANCELLED, PAID, PaymentProviderError, PaymentUnknown, payment_provider
from .prices import MAX_PACKAGES, TOPUP_PACKAGES

FREE_PARTNER_E_SIGNATURES = 2  # DOMAIN.md: partner accounts start with 2 free e-signatures
_REFERENCE_RE = re.compile(r"^verksam-(?P<tenant_id>\d+)-(?P<payment_id>\d+)$")


class InsufficientBalance(DomainError):
    """The balance is smaller than the amount to consume; nothing was written."""

    status = 409
    code = "insufficient_balance"


def _check_kind_and_amount(kind: str, amount) -> int:
    if kind not in BalanceKind.values:
        raise DomainError(_("Unknown balance."), code="invalid_kind", extra={"field": "kind"})
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_TOPUP_QUANTITY:
        raise DomainError(
            _("The amount must be a positive whole number."), code="invalid_amount", extra={"field": "amount"}
        )
    return amount


def _stored_text(message) -> str:
    """Ledger reasons are stored text: write them in the site language (Swedish), not the reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message() if callable(message) else message)


def _credit(*, tenant_id: int, kind: str, amount: int, reason: str, reference: str, user_id) -> BalanceEntry:
    account, _created = BalanceAccount.objects.get_or_create(tenant_id=tenant_id, kind=kind)
    BalanceAccount.objects.filter(pk=account.pk).update(amount=F("amount") + amount)
    entry = BalanceEntry(
        tenant_id=tenant_id,
        kind=kind,
        delta=amount,
        reason=reason,
        reference=reference,
        created_by_id=user_id,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def balance_credit(*, actor: Actor, kind: str, amount: int, reason: str, reference: str = "") -> BalanceEntry:
    """Add `amount` to the tenant's balance and write the ledger row (internal: top-ups, free credits)."""
    amount = _check_kind_and_amount(kind, amount)
    return _credit(
        tenant_id=actor.tenant_id,
        kind=kind,
        amount=amount,
        reason=reason,
        reference=reference,
        user_id=getattr(actor.user, "pk", None),
    )


@transaction.atomic
def balance_consume(
    *, actor: Actor, kind: str, amount: int, reason: str, reference: str = ""
) -> BalanceEntry:
    """Take `amount` from the tenant's balance, or refuse with insufficient_balance; never below zero."""
    amount = _check_kind_and_amount(kind, amount)
    # One conditional UPDATE: the row lock makes concurrent consumers queue, and the second one sees
    # the already reduced amount, so the balance can never be overdrawn (no read-then-write race).
    updated = BalanceAccount.objects.filter(tenant_id=actor.tenant_id, kind=kind, amount__gte=amount).update(
        amount=F("amount") - amount
    )
    if updated == 0:
        raise InsufficientBalance(
            _("Your %(balance)s balance is too small. Top up under Balances to continue.")
            % {"balance": BalanceKind(kind).label},
            extra={"kind": kind, "requested": amount},
        )
    entry = BalanceEntry(
        tenant_id=actor.tenant_id,
        kind=kind,
        delta=-amount,
        reason=reason,
        reference=reference,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    entry.full_clean()
    entry.save()
    return entry


# --- top-up -------------------------------------------------------------------------------------


def _return_url(tenant: Tenant) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("web:balances_return", args=[tenant.slug])


@transaction.atomic
def _payment_open(*, actor: Actor, kind: str, quantity: int, amount_ore: int) -> Payment:
    payment = Payment(
        tenant_id=actor.tenant_id,
        kind=kind,
        quantity=quantity,
        amount_ore=amount_ore,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    payment.full_clean()
    payment.save()
    record(
        actor=actor,
        action="balance.topup_start",
        target=payment,
        data={"kind": kind, "quantity": quantity, "amount_ore": amount_ore},
    )
    return payment


@transaction.atomic
def _payment_attach(*, payment: Payment, provider_payment_id: str = "", checkout_url: str = "") -> Payment:
    if provider_payment_id:
        payment.provider_payment_id = provider_payment_id
        payment.checkout_url = checkout_url
    else:
        payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["provider_payment_id", "checkout_url", "status"])
    return payment


def topup_start(*, actor: Actor, kind: str, quantity: int, return_url: str = "") -> Payment:
    """Open a payment for `quantity` units (whole packages) of a balance; return it with its checkout URL."""
    actor.require(Perm.BALANCES_TOPUP)
    _check_kind_and_amount(kind, quantity)
    package = TOPUP_PACKAGES[kind]
    packages, rest = divmod(quantity, package.size)
    if rest or not 1 <= packages <= MAX_PACKAGES:
        raise DomainError(
            _("Choose a whole number of packages of %(size)s, at most %(max)s packages.")
            % {"size": package.size, "max": MAX_PACKAGES},
            code="invalid_quantity",
            extra={"field": "quantity"},
        )
    amount_ore = package.price.times(packages).ore
    # The payment row commits before the provider is called: no transaction stays open across HTTP,
    # and the row's id becomes the reference the provider keeps.
    payment = _payment_open(actor=actor, kind=kind, quantity=quantity, amount_ore=amount_ore)
    label = BalanceKind(kind).label
    try:
        provider_id, checkout_url = payment_provider().create_payment(
            amount_ore=amount_ore,
            currency=payment.currency,
            reference=payment.reference,
            description=f"Verksam: {quantity} {label} ({actor.tenant.name})",
            return_url=return_url or _return_url(actor.tenant),
        )
    except PaymentProviderError:
        _payment_attach(payment=payment)
        raise
    return _payment_attach(payment=payment, provider_payment_id=provider_id, checkout_url=checkout_url)


def topup_confirm(*, provider_payment_id: str) -> Payment:
    """Credit a paid top-up exactly once, trusting only the provider's own answer, never a caller's."""
    info = payment_provider().get_payment(provider_payment_id)
    # Why the tenant comes from the provider: the webhook has no user and no tenant in its URL, and
    # row-level security hides every Payment row outside a tenant scope (so an `all_tenants` lookup
    # by provider id would find nothing on PostgreSQL). The reference we gave the provider names the
    # tenant and the payment; the provider's record of it is authenticated by our API key, and the
    # row must still exist in that tenant with the same provider id.
    match = _REFERENCE_RE.match(info.reference)
    if match is None or info.id != provider_payment_id:
        raise PaymentUnknown()
    with tenant_scope(int(match["tenant_id"])):
        return _topup_apply(info=info, payment_id=int(match["payment_id"]))


@transaction.atomic
def _topup_apply(*, info, payment_id: int) -> Payment:
    # select_for_update serialises two confirmations of the same payment; the loser sees PAID and
    # returns. The unique ledger reference is the backstop should a second credit ever be attempted.
    payment = Payment.objects.select_for_update().filter(pk=payment_id, provider_payment_id=info.id).first()
    if payment is None:
        raise NotFound(_("The payment does not exist."), code="payment_not_found")
    if payment.status != PaymentStatus.CREATED:
        return payment
    if info.status == PAID:
        if info.amount_ore != payment.amount_ore or info.currency != payment.currency:
            raise DomainError(
                _("The paid amount does not match the order. Contact support."),
                code="payment_amount_mismatch",
                extra={"paid": info.amount_ore, "expected": payment.amount_ore},
            )
        payment.status = PaymentStatus.PAID
        payment.paid_at = timezone.now()
        payment.save(update_fields=["status", "paid_at"])
        reason = _stored_text(
            lambda: (
                _("Top-up: %(count)s %(kind)s")
                % {"count": payment.quantity, "kind": BalanceKind(payment.kind).label}
            )
        )
        _credit(
            tenant_id=payment.tenant_id,
            kind=payment.kind,
            amount=payment.quantity,
            reason=reason,
            reference=f"payment:{payment.pk}",
            user_id=payment.created_by_id,
        )
        record(
            actor=None,
            tenant_id=payment.tenant_id,
            action="balance.topup_confirm",
            target=payment,
            data={"kind": payment.kind, "quantity": payment.quantity, "amount_ore": payment.amount_ore},
        )
    elif info.status == CANCELLED:
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status"])
        record(
            actor=None,
            tenant_id=payment.tenant_id,
            action="balance.topup_cancel",
            target=payment,
            data={"kind": payment.kind, "quantity": payment.quantity},
        )
    return payment


# --- sign-up ------------------------------------------------------------------------------------


@transaction.atomic
def tenant_signup(
    *, name: str, orgnr: str, owner, variant: str, craftsman_mode: bool = False, slug: str = ""
) -> Tenant:
    """Create a tenant with its owner; a partner (accounting firm) starts with 2 free e-signatures."""
    tenant = tenant_create(
        name=name, orgnr=orgnr, owner=owner, variant=variant, craftsman_mode=craftsman_mode, slug=slug
    )
    if variant == Variant.PARTNER:
        with tenant_scope(tenant.pk):
            system = Actor(user=owner, tenant=tenant, perms=frozenset())
            balance_credit(
                actor=system,
                kind=BalanceKind.E_SIGNATURE,
                amount=FREE_PARTNER_E_SIGNATURES,
                reason=_stored_text(lambda: _("Free e-signatures")),
                reference="signup:free-e-signatures",
            )
    return tenant
