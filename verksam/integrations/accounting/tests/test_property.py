"""For any balanced voucher in öre, what the adapters send is accepted by the fakes and books the
same öre: the kronor conversion loses nothing and the rows stay balanced."""

from datetime import date

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verksam.integrations.accounting.dto import VoucherRowToPush, VoucherToPush
from verksam.integrations.accounting.providers import kronor, marker_for
from verksam.integrations.fortnox.client import FortnoxProvider
from verksam.integrations.fortnox.fake.app import FakeFortnox
from verksam.integrations.visma.client import VismaProvider
from verksam.integrations.visma.fake.app import FakeVisma

AMOUNT = st.integers(min_value=1, max_value=99_999_999_99)  # up to 1 milliard kronor (Visma's maximum)


@given(AMOUNT)
def test_kronor_round_trips_every_ore(ore):
    assert round(kronor(ore) * 100) == ore


@given(debits=st.lists(AMOUNT, min_size=1, max_size=6), account=st.integers(1000, 8999))
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_balanced_vouchers_are_accepted_and_booked_to_the_ore(debits, account):
    rows = tuple(VoucherRowToPush(account=account, debit_ore=d) for d in debits) + (
        VoucherRowToPush(account=2820, credit_ore=sum(debits)),
    )
    voucher = VoucherToPush("k", "A", date(2026, 1, 31), "Utlägg", rows)
    for provider_cls, fake_cls in ((FortnoxProvider, FakeFortnox), (VismaProvider, FakeVisma)):
        fake = fake_cls()
        fake.access_tokens["t"] = 1e12
        provider = provider_cls.__new__(provider_cls)
        provider.api_url, provider.timeout = "http://fake.test", 5.0
        provider.transport = httpx.WSGITransport(app=fake)
        provider.create_voucher(token="t", voucher=voucher, marker=marker_for("k"))
        (booked,) = fake.booked()
        booked_rows = booked.get("VoucherRows") or booked["Rows"]
        debit = sum(round((r.get("Debit") or r.get("DebitAmount") or 0) * 100) for r in booked_rows)
        credit = sum(round((r.get("Credit") or r.get("CreditAmount") or 0) * 100) for r in booked_rows)
        assert debit == credit == sum(debits)
