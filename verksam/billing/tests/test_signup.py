from verksam.billing import selectors, services
from verksam.billing.models import BalanceEntry, BalanceKind
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import UserFactory, luhn_digit

# make_orgnr() yields a third digit 0, which organisationsnummer rejects; build valid ones here.
ORGNR_A = "556123456" + luhn_digit("556123456")
ORGNR_B = "556654321" + luhn_digit("556654321")


def test_partner_signup_gets_two_free_e_signatures(db):
    # given a person signing up an accounting firm
    owner = UserFactory()
    # when the partner tenant is created
    tenant = services.tenant_signup(name="Byrå Nord AB", orgnr=ORGNR_A, owner=owner, variant="partner")
    # then it starts with 2 e-signatures, explained in the ledger
    with tenant_scope(tenant.pk):
        assert selectors.balance_get(BalanceKind.E_SIGNATURE) == 2
        entry = BalanceEntry.objects.get()
        assert (entry.kind, entry.delta, entry.reason) == ("E_SIGNATURE", 2, "Kostnadsfria signeringar")
        assert selectors.licence_mix()["TOTAL"] == 1


def test_other_variants_start_without_free_e_signatures(db):
    owner = UserFactory()
    tenant = services.tenant_signup(name="Bygg Syd AB", orgnr=ORGNR_B, owner=owner, variant="pro")
    with tenant_scope(tenant.pk):
        assert [b.amount for b in selectors.balance_list()] == [0, 0, 0]
        assert not BalanceEntry.objects.exists()
