import datetime as dt

import pytest

from verksam.billing import selectors
from verksam.billing.models import LicencePrice
from verksam.billing.prices import licence_quote
from verksam.core.money import Money
from verksam.tenancy.tests.factories import MembershipFactory

PRICES = {"LIGHT": 9900, "BASIC": 19900, "STANDARD": 29900, "TOTAL": 39900}


def test_monthly_quote_is_users_times_price():
    # given 3 LIGHT and 1 TOTAL user
    # when quoting monthly billing
    quote = licence_quote(users={"LIGHT": 3, "TOTAL": 1}, prices=PRICES)
    # then the month costs 3 × 99 + 399 kr and the year twelve months without discount
    assert quote.monthly == Money(3 * 9900 + 39900)
    assert quote.yearly == Money((3 * 9900 + 39900) * 12)
    assert quote.discount == Money(0)
    assert quote.users == 4


def test_annual_billing_gives_ten_percent_off():
    # given 1 BASIC user (199 kr per month)
    # when quoting annual billing
    quote = licence_quote(users={"BASIC": 1}, prices=PRICES, annual=True)
    # then a year costs 12 × 199 kr less 10 %: 2 149,20 kr, and 238,80 kr is saved
    assert quote.yearly == Money(214920)
    assert quote.discount == Money(23880)
    assert quote.per_month == Money(17910)


def test_annual_discount_rounds_half_up_to_whole_ore():
    # given a price whose yearly 10 % discount has half an öre
    quote = licence_quote(users={"LIGHT": 1}, prices={"LIGHT": 1}, annual=True)
    # then 12 öre less 10 % (10.8) rounds to 11 öre
    assert quote.yearly == Money(11)


def test_negative_user_count_is_refused():
    with pytest.raises(ValueError):
        licence_quote(users={"LIGHT": -1}, prices=PRICES)


def test_price_list_is_seeded_and_dated(licence_prices):
    # given the seeded prices and a later price for TOTAL
    LicencePrice.objects.create(licence="TOTAL", monthly_ore=44900, valid_from=dt.date(2099, 1, 1))
    # when reading today's and 2099's price lists
    now = selectors.licence_prices_ore()
    later = selectors.licence_prices_ore(dt.date(2099, 6, 1))
    # then each day gets the price valid then, in licence order
    assert now == {"LIGHT": 9900, "BASIC": 19900, "STANDARD": 29900, "TOTAL": 39900}
    assert list(now) == ["LIGHT", "BASIC", "STANDARD", "TOTAL"]
    assert later["TOTAL"] == 44900


def test_current_cost_follows_active_memberships_at_once(licence_prices, scope, owner, employee, attestant):
    # given TOTAL owner, STANDARD attestant, LIGHT employee and an inactive BASIC user
    MembershipFactory(tenant=scope, licence="BASIC", is_active=False)
    # when reading the current cost
    quote = selectors.licence_cost_current()
    # then only active users count
    assert selectors.licence_mix() == {"LIGHT": 1, "BASIC": 0, "STANDARD": 1, "TOTAL": 1}
    assert quote.monthly == Money(9900 + 29900 + 39900)
