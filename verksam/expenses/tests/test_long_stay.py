"""Per diem on a long stay at the same place: 70 % of the day amount after three months, 50 % after
two years (DOMAIN.md "Rates to pre-fill"; Skatteverket), day by day, from the date the stay began.

The pure tests build the rate table from unsaved rows (no database)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verksam.core.errors import DomainError
from verksam.expenses.models import AllowanceRate, RateKind
from verksam.expenses.perdiem import per_diem_create, per_diem_update
from verksam.expenses.rates import DEFAULT_RATES, RateTable, add_months, long_stay_percent, per_diem_split

from .conftest import STOCKHOLM, actor


def at(y, m, d, h=8, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=STOCKHOLM)


def table(paid: dict[str, int] | None = None) -> RateTable:
    """Skatteverket's 2025 and 2026 amounts; `paid` overrides what the company pays per kind."""
    paid = paid or {}
    return RateTable(
        AllowanceRate(kind=k, valid_from=d, tax_free_ore=o, paid_ore=paid.get(k, o))
        for d, k, o, _s in DEFAULT_RATES
    )


def split(stay_began_on=None, paid=None, **kw):
    kw.setdefault("far_from_home", True)
    kw.setdefault("nights_without_lodging", 0)
    kw.setdefault("free_meals", {})
    return per_diem_split(table=table(paid), stay_began_on=stay_began_on, **kw)


def codes(result) -> list[tuple[str, int, int]]:
    return [(line["code"], line["quantity"], line["amount_ore"]) for line in result.lines]


# --- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 15), 3, dt.date(2026, 4, 15)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),  # no 30 February: the month's last day
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2028, 2, 29), 24, dt.date(2030, 2, 28)),
        (dt.date(2025, 10, 1), 3, dt.date(2026, 1, 1)),  # across the year
        (dt.date(9999, 12, 1), 24, dt.date.max),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "percent"),
    [
        (dt.date(2026, 1, 15), 100),  # the first day
        (dt.date(2026, 4, 14), 100),  # the last day of the first three months
        (dt.date(2026, 4, 15), 70),  # three months on: 70 %
        (dt.date(2028, 1, 14), 70),  # the last day before two years
        (dt.date(2028, 1, 15), 50),  # two years on: 50 %
        (dt.date(2031, 6, 1), 50),
    ],
)
def test_long_stay_percent_at_the_boundaries(day, percent):
    assert long_stay_percent(dt.date(2026, 1, 15), day) == percent


def test_a_stay_from_30_november_is_reduced_from_the_last_day_of_february():
    began = dt.date(2025, 11, 30)
    assert long_stay_percent(began, dt.date(2026, 2, 27)) == 100
    assert long_stay_percent(began, dt.date(2026, 2, 28)) == 70


@given(
    began=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    offset=st.integers(min_value=0, max_value=2000),
)
def test_the_percent_falls_with_time_and_only_at_the_calendar_steps(began, offset):
    day = began + dt.timedelta(days=offset)
    percent = long_stay_percent(began, day)
    assert percent in (100, 70, 50)
    assert long_stay_percent(began, day + dt.timedelta(days=1)) <= percent
    # three months are at least 89 and at most 92 days; two years 730 or 731 days
    if offset < 89:
        assert percent == 100
    if offset >= 92:
        assert percent <= 70
    if offset < 730:
        assert percent >= 70
    if offset >= 731:
        assert percent == 50


# --- the split ---------------------------------------------------------------------------------


def test_without_a_start_date_the_stay_begins_with_the_trip():
    result = split(departure=at(2026, 11, 2, 7), return_at=at(2026, 11, 4, 20))
    assert result.tax_free_ore == 3 * 30000
    assert codes(result) == [("INRHEL_FRI", 3, 90000)]
    same = split(dt.date(2026, 11, 2), departure=at(2026, 11, 2, 7), return_at=at(2026, 11, 4, 20))
    assert same == result


def test_month_by_month_across_three_months_and_the_year_boundary():
    """The stay began 1 October 2025; this claim runs 29 December 2025 – 2 January 2026. The days
    to 31 December are in the first three months at 2025's 290 kr, 1 and 2 January at 70 % of 2026's
    300 kr = 210 kr (INRHEL_RED)."""
    result = split(dt.date(2025, 10, 1), departure=at(2025, 12, 29, 7), return_at=at(2026, 1, 2, 20))
    assert result.tax_free_ore == 3 * 29000 + 2 * 21000
    assert result.taxable_ore == 0
    assert codes(result) == [("INRHEL_FRI", 3, 87000), ("INRHEL_RED", 2, 42000)]


def test_across_two_years_one_line_per_percentage():
    # began 10 March 2024: 9 March 2026 at 70 %, 10 March 2026 on at 50 % (2026: 210 and 150 kr)
    result = split(dt.date(2024, 3, 10), departure=at(2026, 3, 9, 7), return_at=at(2026, 3, 11, 20))
    assert codes(result) == [("INRHEL_RED", 1, 21000), ("INRHEL_RED", 2, 30000)]
    assert result.tax_free_ore == 21000 + 2 * 15000


def test_half_days_are_reduced_too_to_the_ore():
    # 2025 half day 145 kr × 70 % = 101,50 kr (leaving 13:00 and back 18:00)
    result = split(dt.date(2025, 1, 1), departure=at(2025, 6, 2, 13), return_at=at(2025, 6, 4, 18))
    assert codes(result) == [("INRHEL_RED", 1, 20300), ("INRHLV_RED", 2, 20300)]
    assert result.tax_free_ore == 20300 + 2 * 10150


@pytest.mark.parametrize(
    ("meals", "after_3_months", "after_2_years"),
    # Skatteverket's 2025 reduction table, columns "efter 3 månader" (203 kr) and "efter 2 år" (145 kr)
    [("bld", 18300, 13100), ("ld", 14200, 10200), ("bl", 11200, 8000), ("l", 7100, 5100), ("b", 4100, 2900)],
)
def test_meal_reductions_are_taken_from_the_reduced_day_amount(meals, after_3_months, after_2_years):
    kw = {
        "departure": at(2025, 6, 2, 7),
        "return_at": at(2025, 6, 3, 20),
        "free_meals": {"2025-06-02": meals},
    }
    three = split(dt.date(2025, 1, 1), **kw)
    assert three.tax_free_ore == 2 * 20300 - after_3_months
    two = split(dt.date(2023, 1, 1), **kw)
    assert two.tax_free_ore == 2 * 14500 - after_2_years
    assert sum(line["amount_ore"] for line in three.lines) == three.total_ore


def test_the_night_allowance_is_not_reduced():
    result = split(
        dt.date(2023, 1, 1),
        departure=at(2025, 6, 2, 7),
        return_at=at(2025, 6, 4, 20),
        nights_without_lodging=2,
    )
    assert ("INRNAT_FRI", 2, 2 * 14500) in codes(result)
    assert result.tax_free_ore == 3 * 14500 + 2 * 14500


def test_a_company_paying_more_keeps_its_excess_taxable():
    # pays 350 kr a full day: after three months 245 kr paid, 203 kr tax-free, 42 kr taxable
    paid = {RateKind.PER_DIEM_FULL_DAY: 35000}
    result = split(dt.date(2025, 1, 1), paid=paid, departure=at(2025, 6, 2, 7), return_at=at(2025, 6, 3, 20))
    assert (result.tax_free_ore, result.taxable_ore) == (2 * 20300, 2 * 4200)
    assert codes(result)[-1] == ("INR_SKT", 1, 8400)


def test_no_overnight_stay_stays_all_taxable_on_a_long_stay():
    result = split(
        dt.date(2025, 1, 1), departure=at(2025, 6, 2, 7), return_at=at(2025, 6, 3, 20), far_from_home=False
    )
    assert (result.tax_free_ore, result.taxable_ore) == (0, 2 * 20300)


trips = st.builds(
    lambda start, days, hour_out, hour_back: (
        at(start.year, start.month, start.day, hour_out),
        at(start.year, start.month, start.day, hour_back) + dt.timedelta(days=days),
    ),
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 10, 1)),
    days=st.integers(min_value=1, max_value=40),
    hour_out=st.integers(min_value=5, max_value=15),
    hour_back=st.integers(min_value=14, max_value=22),
)


@settings(max_examples=60, deadline=None)
@given(
    trip=trips,
    earlier=st.integers(min_value=0, max_value=1000),
    meals=st.dictionaries(
        st.integers(min_value=0, max_value=40), st.sampled_from(["b", "l", "d", "ld", "bld"])
    ),
    nights=st.integers(min_value=0, max_value=40),
)
def test_a_longer_stay_never_gives_more_and_the_lines_add_up(trip, earlier, meals, nights):
    departure, return_at = trip
    first = departure.date()
    days = (return_at.date() - first).days
    free_meals = {(first + dt.timedelta(days=k)).isoformat(): v for k, v in meals.items() if k <= days}
    kw = {
        "departure": departure,
        "return_at": return_at,
        "nights_without_lodging": min(nights, days),
        "free_meals": free_meals,
    }
    fresh = split(**kw)
    long = split(first - dt.timedelta(days=earlier), **kw)
    assert long.tax_free_ore <= fresh.tax_free_ore
    assert long.taxable_ore == 0  # the company pays Skatteverket's amounts
    assert sum(line["amount_ore"] for line in long.lines) == long.total_ore
    if earlier >= 731:  # two years before the departure: every day at 50 %, nights in full
        night_ore = sum(line["amount_ore"] for line in long.lines if line["code"] == "INRNAT_FRI")
        day_ore = sum(line["amount_ore"] for line in long.lines if line["code"].startswith("INRH"))
        allowed = {
            "INRHEL_RED",
            "INRHLV_RED",
            "INRNAT_FRI",
            "MATRED",
            "MATRED_FRU",
            "MATRED_LCH",
            "MATRED_MID",
        }
        assert {line["code"] for line in long.lines} <= allowed
        unreduced = sum(line["amount_ore"] for line in fresh.lines if line["code"].startswith("INRH"))
        assert day_ore * 2 == unreduced
        assert night_ore == sum(line["amount_ore"] for line in fresh.lines if line["code"] == "INRNAT_FRI")


# --- the service -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_claim_keeps_its_start_date_and_refuses_one_after_the_departure(
    defaults, scoped, employee, today
):
    me = actor(scoped, employee)
    base = {"destination": "Kiruna", "purpose": "Montage"}
    pd = per_diem_create(actor=me, departure=at(2026, 11, 2, 7), return_at=at(2026, 11, 4, 20), **base)
    assert pd.stay_began_on == dt.date(2026, 11, 2)  # defaults to the trip's start
    with pytest.raises(DomainError) as exc:
        per_diem_create(
            actor=me,
            departure=at(2026, 11, 2, 7),
            return_at=at(2026, 11, 4, 20),
            stay_began_on=dt.date(2026, 11, 3),
            **base,
        )
    assert exc.value.code == "invalid_stay_start"
    assert exc.value.extra["field"] == "stay_began_on"


@pytest.mark.django_db
def test_the_next_months_claim_of_a_long_stay_is_reduced(defaults, scoped, employee, today):
    me = actor(scoped, employee)
    pd = per_diem_create(
        actor=me,
        departure=at(2026, 11, 2, 7),
        return_at=at(2026, 11, 6, 20),
        stay_began_on=dt.date(2026, 8, 4),  # three months on: 4 November
        destination="Kiruna",
        purpose="Montage",
    )
    assert pd.tax_free_ore == 2 * 30000 + 3 * 21000
    assert [line["code"] for line in pd.breakdown["lines"]] == ["INRHEL_FRI", "INRHEL_RED"]
    # moving the start later gives the full amount back; an update recomputes
    pd = per_diem_update(actor=me, per_diem=pd, stay_began_on=dt.date(2026, 11, 1))
    assert pd.tax_free_ore == 5 * 30000


# --- the API and the page ----------------------------------------------------------------------

PD = {
    "departure": "2026-11-02T07:00:00+01:00",
    "return_at": "2026-11-06T20:00:00+01:00",
    "destination": "Kiruna",
    "purpose": "Montage",
}


def api(tenant):
    return f"/api/v1/tenants/{tenant.pk}/per-diems"


@pytest.mark.django_db
def test_api_takes_the_start_of_the_stay(tenant, defaults, employee, as_api, today):
    me = as_api(employee)
    r = me.post(api(tenant), {**PD, "stay_began_on": "2026-08-04"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["stay_began_on"] == "2026-08-04"
    assert r.json()["tax_free_ore"] == 2 * 30000 + 3 * 21000
    pd_id = r.json()["id"]
    r = me.patch(f"{api(tenant)}/{pd_id}", {"stay_began_on": "2026-11-02"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["tax_free_ore"] == 5 * 30000
    r = me.post(api(tenant), PD, content_type="application/json")
    assert r.json()["stay_began_on"] == "2026-11-02"  # the departure day


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        "2026-11-03",
        "2026-12-24",
        "２０２６-08-04",
        "2026-٠٨-04",
        20260804,
        "2026-02-30",
        "1999-12-31",
        "",
        True,
    ],
)
def test_api_refuses_a_bad_start_with_4xx_and_writes_nothing(
    tenant, defaults, employee, as_api, today, value
):
    from verksam.expenses.models import PerDiem
    from verksam.tenancy.scope import tenant_scope

    r = as_api(employee).post(api(tenant), {**PD, "stay_began_on": value}, content_type="application/json")
    assert 400 <= r.status_code < 500, r.content
    if value in ("2026-11-03", "2026-12-24"):
        assert r.json()["code"] == "invalid_stay_start"
        assert "efter avresan" in r.json()["message"]
    with tenant_scope(tenant.pk):
        assert not PerDiem.objects.exists()


@pytest.mark.django_db
def test_another_tenants_user_and_another_employee_cannot_set_the_start(
    tenant, defaults, employee, attestant, stranger, as_api, today
):
    from verksam.expenses.models import PerDiem
    from verksam.tenancy.scope import tenant_scope

    pd_id = as_api(employee).post(api(tenant), PD, content_type="application/json").json()["id"]
    body = {"stay_began_on": "2024-01-01"}
    assert (
        as_api(stranger).patch(f"{api(tenant)}/{pd_id}", body, content_type="application/json").status_code
        == 404
    )
    r = as_api(attestant).patch(f"{api(tenant)}/{pd_id}", body, content_type="application/json")
    assert r.status_code == 404
    with tenant_scope(tenant.pk):
        assert PerDiem.objects.get().stay_began_on == dt.date(2026, 11, 2)


@pytest.mark.django_db
def test_the_per_diem_form_has_the_start_of_the_stay(tenant, defaults, employee, as_user, today):
    from django.urls import reverse

    from verksam.expenses.models import PerDiem
    from verksam.tenancy.scope import tenant_scope

    me = as_user(employee)
    page_url = reverse("web:trips_mine", args=[tenant.slug])
    page = me.get(page_url).content.decode()
    assert "Förrättning på samma ort sedan" in page and "fyra veckor" in page
    form = {
        "form": "perdiem",
        "pd-departure": "2026-11-02T07:00",
        "pd-return_at": "2026-11-06T20:00",
        "pd-destination": "Kiruna",
        "pd-purpose": "Montage",
        "pd-far_from_home": "on",
        "pd-nights_without_lodging": "0",
    }
    for bad in ("2026-11-03", "٢٠٢٦-٠٨-٠٤", "2026-02-30"):
        r = me.post(page_url, {**form, "pd-stay_began_on": bad})
        assert r.status_code == 422, bad
    assert "efter avresan" in me.post(page_url, {**form, "pd-stay_began_on": "2026-11-03"}).content.decode()
    r = me.post(page_url, {**form, "pd-stay_began_on": "2026-08-04"})
    assert r.status_code == 302
    with tenant_scope(tenant.pk):
        assert PerDiem.objects.get().tax_free_ore == 2 * 30000 + 3 * 21000
    assert "samma ort sedan 4 aug 2026" in me.get(page_url).content.decode().lower()


@pytest.mark.django_db
def test_an_attested_long_stay_goes_to_payroll_as_reduced_lines_valid_against_the_xsd(
    defaults, scoped, employee, attestant, today
):
    from verksam.attestation import expenses as claims
    from verksam.expenses import selectors, services
    from verksam.payroll.paxml import validation_errors, write_paxml
    from verksam.payroll.tests.builders import basis, with_employee

    me = actor(scoped, employee)
    pd = per_diem_create(
        actor=me,
        departure=at(2026, 11, 2, 7),
        return_at=at(2026, 11, 6, 20),
        stay_began_on=dt.date(2026, 8, 4),
        nights_without_lodging=4,
        free_meals={"2026-11-05": "l"},
        destination="Kiruna",
        purpose="Montage",
    )
    services.item_submit(actor=me, item=pd)
    claims.claim_attest(actor=actor(scoped, attestant), item=pd)
    (lines,) = selectors.pay_lines_for_period(
        tenant=scoped, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    ).values()
    assert [(line.paxml_code, int(line.quantity), line.amount_ore) for line in lines] == [
        ("INRHEL_FRI", 2, 60000),
        ("INRHEL_RED", 3, 63000),
        ("INRNAT_FRI", 4, 60000),  # the night allowance is not reduced
        ("MATRED_LCH", 1, -7400),  # 35 % of 210 kr = 73,50 → 74 kr
    ]
    assert sum(line.amount_ore for line in lines) == pd.tax_free_ore + pd.taxable_ore
    b = basis()
    number = b.employees[0].employment_number
    content = write_paxml(with_employee(b, number, pay_lines=tuple(lines)))
    assert validation_errors(content) == []
    assert b"<lonkod>INRHEL_RED</lonkod>" in content
