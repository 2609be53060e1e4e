import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from verksam.billing import selectors, services
from verksam.billing.models import BalanceAccount, BalanceEntry, BalanceKind
from verksam.core.errors import DomainError

from .conftest import actor_of


def test_balances_start_at_zero_for_every_kind(scope, owner):
    # given a tenant without any balance account
    # when listing balances
    balances = selectors.balance_list()
    # then all three kinds are there with 0
    assert [(b.kind, b.amount) for b in balances] == [
        ("SMS", 0),
        ("E_SIGNATURE", 0),
        ("COMPANY_LOOKUP", 0),
    ]


def test_credit_then_consume_writes_the_ledger(scope, owner_actor):
    # given 10 SMS credited
    services.balance_credit(actor=owner_actor, kind=BalanceKind.SMS, amount=10, reason="test")
    # when 3 are consumed
    entry = services.balance_consume(
        actor=owner_actor, kind=BalanceKind.SMS, amount=3, reason="SMS to customer"
    )
    # then 7 remain and the ledger explains both changes
    assert selectors.balance_get(BalanceKind.SMS) == 7
    assert entry.delta == -3 and entry.created_by == owner_actor.user
    assert sorted(BalanceEntry.objects.values_list("delta", flat=True)) == [-3, 10]


def test_consume_more_than_the_balance_is_refused_and_writes_nothing(scope, owner_actor):
    # given 2 e-signatures
    services.balance_credit(actor=owner_actor, kind=BalanceKind.E_SIGNATURE, amount=2, reason="test")
    # when 3 are consumed
    with pytest.raises(services.InsufficientBalance) as exc:
        services.balance_consume(actor=owner_actor, kind=BalanceKind.E_SIGNATURE, amount=3, reason="sign")
    # then it is refused with a clear code, the balance is unchanged and no ledger row was added
    assert exc.value.code == "insufficient_balance"
    assert selectors.balance_get(BalanceKind.E_SIGNATURE) == 2
    assert BalanceEntry.objects.count() == 1


def test_consume_without_any_account_is_refused(scope, owner_actor):
    with pytest.raises(services.InsufficientBalance):
        services.balance_consume(actor=owner_actor, kind=BalanceKind.SMS, amount=1, reason="sms")
    assert BalanceEntry.objects.count() == 0


def test_consume_down_to_exactly_zero_is_allowed_but_never_below(scope, owner_actor):
    services.balance_credit(actor=owner_actor, kind=BalanceKind.SMS, amount=2, reason="test")
    services.balance_consume(actor=owner_actor, kind=BalanceKind.SMS, amount=2, reason="sms")
    with pytest.raises(services.InsufficientBalance):
        services.balance_consume(actor=owner_actor, kind=BalanceKind.SMS, amount=1, reason="sms")
    assert selectors.balance_get(BalanceKind.SMS) == 0


def test_insufficient_balance_message_is_swedish(scope, owner_actor, settings):
    from django.utils import translation

    with translation.override("sv"), pytest.raises(services.InsufficientBalance) as exc:
        services.balance_consume(actor=owner_actor, kind=BalanceKind.SMS, amount=1, reason="sms")
    assert "räcker inte" in exc.value.message


@pytest.mark.parametrize("amount", [0, -1, 1.5, "3", True, None])
def test_amount_must_be_a_positive_int(scope, owner_actor, amount):
    with pytest.raises(DomainError) as exc:
        services.balance_consume(actor=owner_actor, kind=BalanceKind.SMS, amount=amount, reason="x")
    assert exc.value.code == "invalid_amount"
    with pytest.raises(DomainError):
        services.balance_credit(actor=owner_actor, kind=BalanceKind.SMS, amount=amount, reason="x")
    assert BalanceEntry.objects.count() == 0


def test_unknown_kind_is_refused(scope, owner_actor):
    with pytest.raises(DomainError) as exc:
        services.balance_credit(actor=owner_actor, kind="FAX", amount=1, reason="x")
    assert exc.value.code == "invalid_kind"


def test_database_refuses_a_negative_balance(scope, owner_actor):
    # given an account (the database constraint is the backstop behind the conditional update)
    services.balance_credit(actor=owner_actor, kind=BalanceKind.SMS, amount=1, reason="test")
    # when something bypasses the service and writes a negative amount
    with pytest.raises(IntegrityError), transaction.atomic():
        BalanceAccount.objects.filter(kind=BalanceKind.SMS).update(amount=-1)


def test_balances_of_another_tenant_are_invisible(scope, owner_actor, other_tenant, stranger):
    # given the other tenant has 5 SMS
    from verksam.tenancy.scope import tenant_scope

    with tenant_scope(other_tenant.pk):
        services.balance_credit(
            actor=actor_of(stranger, other_tenant), kind=BalanceKind.SMS, amount=5, reason="x"
        )
    # then this tenant still sees 0 and cannot consume them
    assert selectors.balance_get(BalanceKind.SMS) == 0
    with pytest.raises(services.InsufficientBalance):
        services.balance_consume(actor=owner_actor, kind=BalanceKind.SMS, amount=1, reason="x")


def test_balance_list_uses_one_query(scope, owner_actor):
    for kind in BalanceKind.values:
        services.balance_credit(actor=owner_actor, kind=kind, amount=3, reason="x")
    with CaptureQueriesContext(connection) as ctx:
        balances = selectors.balance_list()
    assert [b.amount for b in balances] == [3, 3, 3]
    assert len(ctx.captured_queries) == 1
