"""Mileage and per diem from the dated rates: year boundary, half days, nights, meal reductions."""

import datetime as dt

import pytest

from verksam.core.errors import DomainError
from verksam.expenses import services
from verksam.expenses.mileage import MAX_KM_PER_DAY, trip_create
from verksam.expenses.models import AllowanceRate, RateKind
from verksam.expenses.perdiem import per_diem_create
from verksam.expenses.rates import RateTable, per_diem_split

from .conftest import STOCKHOLM, actor

pytestmark = pytest.mark.django_db


def at(y, m, d, h=8, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=STOCKHOLM)


def split(**kw):
    kw.setdefault("far_from_home", True)
    kw.setdefault("nights_without_lodging", 0)
    kw.setdefault("free_meals", {})
    return per_diem_split(table=RateTable.load(), **kw)


def test_defaults_are_dated_with_their_source(defaults, scoped):
    rows = {(r.kind, r.valid_from.year): r for r in AllowanceRate.objects.all()}
    assert rows[(RateKind.PER_DIEM_FULL_DAY, 2025)].tax_free_ore == 29000
    assert rows[(RateKind.PER_DIEM_FULL_DAY, 2026)].tax_free_ore == 30000
    assert rows[(RateKind.MILEAGE_OWN, 2026)].tax_free_ore == 2500  # 25 kr/mil
    assert rows[(RateKind.MILEAGE_BENEFIT_ELECTRIC, 2025)].tax_free_ore == 950
    assert all("Skatteverket" in r.source for r in rows.values())


def test_a_trip_on_31_december_and_on_1_january_use_each_years_rate(defaults, scoped, owner, employee, today):
    """The company paid 30 kr/mil in 2025 and 35 kr/mil from 2026: the excess over 25 kr/mil is taxable."""
    boss = actor(scoped, owner)
    for year, paid in ((2025, 3000), (2026, 3500)):
        row = AllowanceRate.objects.get(kind=RateKind.MILEAGE_OWN, valid_from=dt.date(year, 1, 1))
        services.allowance_rate_save(
            actor=boss, rate=row, kind=row.kind, valid_from=row.valid_from, tax_free_ore=2500, paid_ore=paid
        )
    me = actor(scoped, employee)
    common = {
        "origin": "Kontoret",
        "destination": "Bygget",
        "purpose": "Besiktning",
        "km": 100,
        "vehicle": "own",
    }
    old = trip_create(actor=me, date=dt.date(2025, 12, 31), **common)
    new = trip_create(actor=me, date=dt.date(2026, 1, 1), **common)
    assert (old.tax_free_ore, old.taxable_ore) == (25000, 5000)  # 10 mil × 25 kr, 10 mil × 5 kr
    assert (new.tax_free_ore, new.taxable_ore) == (25000, 10000)


def test_per_diem_at_the_year_boundary_uses_each_days_rate(defaults, scoped):
    # leaves 30 Dec 07:00, returns 2 Jan 20:00: 30, 31 Dec at 290 kr; 1, 2 Jan at 300 kr
    result = split(departure=at(2025, 12, 30, 7), return_at=at(2026, 1, 2, 20))
    assert result.tax_free_ore == 2 * 29000 + 2 * 30000
    assert result.taxable_ore == 0
    assert {"code": "INRHEL_FRI", "quantity": 4, "amount_ore": 118000} in result.lines


@pytest.mark.parametrize(
    ("leave", "back", "expected"),
    [
        ((2026, 11, 2, 11, 59), (2026, 11, 3, 19, 1), 30000 * 2),  # before 12, after 19: two whole days
        ((2026, 11, 2, 12, 0), (2026, 11, 3, 19, 1), 15000 + 30000),  # leaving at 12:00: half day
        ((2026, 11, 2, 8, 0), (2026, 11, 3, 19, 0), 30000 + 15000),  # back at 19:00: half day
        ((2026, 11, 2, 13, 0), (2026, 11, 4, 18, 0), 15000 + 30000 + 15000),
    ],
)
def test_half_day_rules(defaults, scoped, leave, back, expected):
    result = split(departure=at(*leave), return_at=at(*back))
    assert result.tax_free_ore == expected


def test_nights_and_meal_reductions(defaults, scoped):
    # 2025: 2 whole days, one night without paid lodging; day 1 lunch+dinner free (70 % of 290 = 203),
    # day 2 breakfast free (20 % = 58)
    result = split(
        departure=at(2025, 5, 5, 7),
        return_at=at(2025, 5, 6, 20),
        nights_without_lodging=1,
        free_meals={"2025-05-05": "ld", "2025-05-06": "b"},
    )
    assert result.tax_free_ore == 29000 * 2 + 14500 - 20300 - 5800
    codes = {line["code"]: line["amount_ore"] for line in result.lines}
    assert codes["INRNAT_FRI"] == 14500
    assert codes["MATRED_FRU"] == -5800
    assert codes["MATRED"] == -20300
    assert sum(line["amount_ore"] for line in result.lines) == result.total_ore


def test_half_day_meal_reduction_rounds_to_whole_kronor(defaults, scoped):
    # half day 145 kr, lunch free: 35 % = 50,75 → 51 kr (Skatteverket's table)
    result = split(departure=at(2025, 5, 5, 7), return_at=at(2025, 5, 6, 10), free_meals={"2025-05-06": "l"})
    assert result.tax_free_ore == 29000 + 14500 - 5100


def test_no_overnight_stay_or_near_home_is_all_taxable(defaults, scoped):
    near = split(departure=at(2025, 5, 5, 7), return_at=at(2025, 5, 6, 20), far_from_home=False)
    assert (near.tax_free_ore, near.taxable_ore) == (0, 58000)
    assert near.lines[0]["code"] == "INRDAG_SKT"
    same_day = split(departure=at(2025, 5, 5, 7), return_at=at(2025, 5, 5, 20))
    assert same_day.tax_free_ore == 0


@pytest.mark.parametrize("km", [0, -5, MAX_KM_PER_DAY + 1, 5000])
def test_a_trip_of_0_km_or_more_than_the_days_limit_is_refused(defaults, scoped, employee, today, km):
    me = actor(scoped, employee)
    with pytest.raises(DomainError) as exc:
        trip_create(actor=me, date=today, origin="A", destination="B", purpose="x", km=km, vehicle="own")
    assert exc.value.code in ("invalid_km", "too_many_km")


def test_the_days_limit_counts_every_trip_of_the_day(defaults, scoped, employee, today):
    me = actor(scoped, employee)
    kw = {"date": today, "origin": "A", "destination": "B", "purpose": "x", "vehicle": "own"}
    trip_create(actor=me, km=1500, **kw)
    with pytest.raises(DomainError) as exc:
        trip_create(actor=me, km=501, **kw)
    assert "2000 km" in exc.value.message or "2 000" in exc.value.message or "2000" in exc.value.message


def test_per_diem_service_refuses_bad_input(defaults, scoped, employee, today):
    me = actor(scoped, employee)
    base = {"destination": "Umeå", "purpose": "Montage"}
    with pytest.raises(DomainError):
        per_diem_create(actor=me, departure=at(2026, 11, 5), return_at=at(2026, 11, 4), **base)
    with pytest.raises(DomainError):
        per_diem_create(
            actor=me,
            departure=at(2026, 11, 2),
            return_at=at(2026, 11, 3, 20),
            nights_without_lodging=2,
            **base,
        )
    with pytest.raises(DomainError):
        per_diem_create(
            actor=me,
            departure=at(2026, 11, 2),
            return_at=at(2026, 11, 3, 20),
            free_meals={"2026-12-01": "b"},
            **base,
        )
    pd = per_diem_create(actor=me, departure=at(2026, 11, 2), return_at=at(2026, 11, 3, 20), **base)
    assert pd.tax_free_ore == 60000
