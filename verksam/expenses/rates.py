"""The dated allowance rates (DOMAIN.md "Rates to pre-fill as dated data") and the arithmetic that
splits mileage and per diem into a tax-free and a taxable part.

Amounts are data (AllowanceRate, editable by the company's TOTAL users); what stays in code is the
structure of the law: which day counts as whole or half, and the meal-reduction percentages
(Skatteverket, "Traktamente vid tjänsteresor inom Sverige": 90/70/55/35/20 %)."""

import calendar
import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import AllowanceRate, RateKind, Vehicle

_SKV = "Skatteverket, skatteverket.se"
# (valid_from, kind, tax-free öre, source): the current and the previous year. Verify each new year.
DEFAULT_RATES: list[tuple[dt.date, str, int, str]] = [
    (dt.date(2025, 1, 1), RateKind.MILEAGE_OWN, 2500, f"{_SKV}: 25 kr/mil 2025 (unchanged since 2023)"),
    (dt.date(2025, 1, 1), RateKind.MILEAGE_BENEFIT_FOSSIL, 1200, f"{_SKV}: förmånsbil 12 kr/mil 2025"),
    (dt.date(2025, 1, 1), RateKind.MILEAGE_BENEFIT_ELECTRIC, 950, f"{_SKV}: förmånsbil el 9,50 kr/mil 2025"),
    (dt.date(2025, 1, 1), RateKind.PER_DIEM_FULL_DAY, 29000, f"{_SKV}: heldag 290 kr 2025"),
    (dt.date(2025, 1, 1), RateKind.PER_DIEM_HALF_DAY, 14500, f"{_SKV}: halvdag 145 kr 2025"),
    (dt.date(2025, 1, 1), RateKind.PER_DIEM_NIGHT, 14500, f"{_SKV}: nattraktamente 145 kr 2025"),
    (dt.date(2026, 1, 1), RateKind.MILEAGE_OWN, 2500, f"{_SKV}: 25 kr/mil 2026 (unchanged; verify)"),
    (dt.date(2026, 1, 1), RateKind.MILEAGE_BENEFIT_FOSSIL, 1200, f"{_SKV}: 12 kr/mil 2026 (verify)"),
    (dt.date(2026, 1, 1), RateKind.MILEAGE_BENEFIT_ELECTRIC, 950, f"{_SKV}: 9,50 kr/mil 2026 (verify)"),
    # 0.5 % of the 2026 prisbasbelopp (59 200 kr) = 296 kr, rounded to the nearest 10 kr (DOMAIN.md)
    (dt.date(2026, 1, 1), RateKind.PER_DIEM_FULL_DAY, 30000, f"{_SKV}: heldag 300 kr 2026 (0,5 % av PBB)"),
    (dt.date(2026, 1, 1), RateKind.PER_DIEM_HALF_DAY, 15000, f"{_SKV}: halvdag 150 kr 2026"),
    (dt.date(2026, 1, 1), RateKind.PER_DIEM_NIGHT, 15000, f"{_SKV}: nattraktamente 150 kr 2026"),
]

VEHICLE_RATE = {
    Vehicle.OWN: RateKind.MILEAGE_OWN,
    Vehicle.BENEFIT_FOSSIL: RateKind.MILEAGE_BENEFIT_FOSSIL,
    Vehicle.BENEFIT_ELECTRIC: RateKind.MILEAGE_BENEFIT_ELECTRIC,
}
# PAXml 2.0 lonkod (paxml-2.0.xsd): private car MILPRI_*, company (benefit) car MILFTG_*. The schema
# has no code for a fully electric benefit car; MILFTG_* with its own (lower) amount is used.
VEHICLE_CODES = {
    Vehicle.OWN: ("MILPRI_FRI", "MILPRI_SKT"),
    Vehicle.BENEFIT_FOSSIL: ("MILFTG_FRI", "MILFTG_SKT"),
    Vehicle.BENEFIT_ELECTRIC: ("MILFTG_FRI", "MILFTG_SKT"),
}

# Free meals reduce the day's tax-free amount (Skatteverket, inrikes): percent of the day's amount.
MEAL_REDUCTION_PERCENT = {
    frozenset("bld"): 90,
    frozenset("ld"): 70,
    frozenset("bl"): 55,
    frozenset("bd"): 55,
    frozenset("l"): 35,
    frozenset("d"): 35,
    frozenset("b"): 20,
    frozenset(): 0,
}
FULL_DAY_BEFORE = dt.time(12, 0)  # leaving before 12:00: the departure day is a full day
FULL_DAY_AFTER = dt.time(19, 0)  # returning after 19:00: the return day is a full day


def round_ore(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_kronor(ore: Decimal) -> int:
    """Skatteverket's reduction tables are in whole kronor, rounded half up (290 × 35 % = 102 kr)."""
    return int((ore / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


class RateTable:
    """Every rate row of the company, read once; `at(kind, day)` is the row valid that day."""

    def __init__(self, rows: Iterable[AllowanceRate]) -> None:
        self._rows: dict[str, list[AllowanceRate]] = {}
        for row in sorted(rows, key=lambda r: r.valid_from):
            self._rows.setdefault(row.kind, []).append(row)

    @classmethod
    def load(cls) -> "RateTable":
        return cls(AllowanceRate.objects.all())

    def at(self, kind: str, day: dt.date) -> AllowanceRate | None:
        rows = self._rows.get(kind, [])
        i = bisect_right([r.valid_from for r in rows], day)
        return rows[i - 1] if i else None


@dataclass(frozen=True)
class Split:
    tax_free_ore: int
    taxable_ore: int
    lines: list[dict] = field(default_factory=list)

    @property
    def total_ore(self) -> int:
        return self.tax_free_ore + self.taxable_ore


def mileage_split(*, table: RateTable, day: dt.date, km: int, vehicle: str) -> Split | None:
    """Tax-free part = km × Skatteverket's rate that day; what the company pays above it is taxable.
    None when the company has no rate for the day."""
    rate = table.at(VEHICLE_RATE[Vehicle(vehicle)], day)
    if rate is None:
        return None
    free = round_ore(Decimal(km) * rate.tax_free_ore / 10)
    paid = round_ore(Decimal(km) * rate.paid_ore / 10)
    free = min(free, paid)
    free_code, taxable_code = VEHICLE_CODES[Vehicle(vehicle)]
    lines = [{"code": free_code, "quantity": km, "amount_ore": free}]
    if paid > free:
        lines.append({"code": taxable_code, "quantity": km, "amount_ore": paid - free})
    return Split(free, paid - free, lines)


def _meal_code(meals: frozenset) -> str:
    if meals == frozenset("b"):
        return "MATRED_FRU"
    if meals == frozenset("l"):
        return "MATRED_LCH"
    if meals == frozenset("d"):
        return "MATRED_MID"
    return "MATRED"


# Long stays at the same place (Skatteverket, "Traktamente vid tjänsteresor inom Sverige", and
# 12 kap. 11 § inkomstskattelagen): after three months the tax-free day amount is 70 % of the full
# amount, after two years 50 %. The reduction is of the DAY allowance (ökade levnadskostnader for
# meals and small expenses); the night allowance (logi) is not reduced. A break of at least four
# weeks at the place starts the count again: the employee then gives the new start date.
LONG_STAY_STEPS = ((24, 50), (3, 70))  # (months at the place, percent of the day amount), longest first


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` calendar months on; a day the month lacks becomes its last day (31 Jan + 1
    month = 28/29 Feb), as Swedish law counts months (lag (1930:173) om beräkning av lagstadgad tid)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def long_stay_percent(stay_began_on: dt.date, day: dt.date) -> int:
    """The percent of the full day amount that is tax-free on `day` of a stay at the same place that
    began on `stay_began_on`: the first three months (that day up to the day before the same date
    three months later) 100 %, then 70 %, from the same date two years later 50 %."""
    for months, percent in LONG_STAY_STEPS:
        if day >= add_months(stay_began_on, months):
            return percent
    return 100


def per_diem_split(
    *,
    table: RateTable,
    departure: dt.datetime,
    return_at: dt.datetime,
    far_from_home: bool,
    nights_without_lodging: int,
    free_meals: dict[str, str],
    stay_began_on: dt.date | None = None,
) -> Split | None:
    """Domestic per diem (traktamente inrikes): the departure day is whole when leaving before 12:00,
    the return day whole when returning after 19:00, else half; days between are whole. Nights
    without paid lodging get the night allowance. Free meals reduce each day by its percentage.
    Without an overnight stay more than 50 km away nothing is tax-free: all is taxable
    (INRDAG_SKT). None when a day has no rate.

    A long stay at the same place (`stay_began_on`, default the departure day) is computed day by
    day: within its first three months a day has the full (or half) day amount, then 70 %, after two
    years 50 % (`long_stay_percent`), rounded to whole öre. The meal reductions are then taken from
    that reduced amount — Skatteverket's table of reductions has its own columns "efter 3 månader"
    (203 kr in 2025: breakfast 41, lunch or dinner 71, all three 183 kr) and "efter 2 år" (145 kr),
    which are the same percentages of the reduced amount, rounded to whole kronor. What the company
    pays is reduced by the same percentages (as it already is by the meal reductions): a company
    paying Skatteverket's amounts pays the reduced amount, and one paying more keeps its excess
    taxable. The night allowance is never reduced. Reduced days are sent as INRHEL_RED/INRHLV_RED
    (PAXml 2.0: reduced per diem), one line per percentage."""
    start = timezone.localtime(departure)
    end = timezone.localtime(return_at)
    began = stay_began_on or start.date()
    days = (end.date() - start.date()).days
    qualifies = far_from_home and days >= 1
    free_total = paid_total = 0
    counts: dict[tuple[str, int], list[int]] = {}
    reductions: dict[str, list[int]] = {}
    for i in range(days + 1):
        day = start.date() + dt.timedelta(days=i)
        whole = True
        if i == 0 and start.time() >= FULL_DAY_BEFORE:
            whole = False
        if i == days and end.time() <= FULL_DAY_AFTER:
            whole = False
        kind = RateKind.PER_DIEM_FULL_DAY if whole else RateKind.PER_DIEM_HALF_DAY
        rate = table.at(kind, day)
        if rate is None:
            return None
        stay_pct = long_stay_percent(began, day)
        day_free = round_ore(Decimal(rate.tax_free_ore) * stay_pct / 100)
        day_paid = round_ore(Decimal(rate.paid_ore) * stay_pct / 100)
        meals = frozenset(free_meals.get(day.isoformat(), "")) & frozenset("bld")
        pct = MEAL_REDUCTION_PERCENT[meals]
        free_cut = round_kronor(Decimal(day_free) * pct / 100)
        paid_cut = round_kronor(Decimal(day_paid) * pct / 100)
        free_total += day_free - free_cut
        paid_total += day_paid - paid_cut
        if stay_pct == 100:
            code = "INRHEL_FRI" if whole else "INRHLV_FRI"
        else:
            code = "INRHEL_RED" if whole else "INRHLV_RED"
        acc = counts.setdefault((code, stay_pct), [0, 0])
        acc[0] += 1
        acc[1] += day_free
        if free_cut:
            acc = reductions.setdefault(_meal_code(meals), [0, 0])
            acc[0] += 1
            acc[1] += free_cut
    for n in range(min(nights_without_lodging, days)):
        rate = table.at(RateKind.PER_DIEM_NIGHT, start.date() + dt.timedelta(days=n))
        if rate is None:
            return None
        free_total += rate.tax_free_ore
        paid_total += rate.paid_ore
        acc = counts.setdefault(("INRNAT_FRI", 100), [0, 0])
        acc[0] += 1
        acc[1] += rate.tax_free_ore
    if not qualifies:
        return Split(0, paid_total, [{"code": "INRDAG_SKT", "quantity": days + 1, "amount_ore": paid_total}])
    free_total = min(free_total, paid_total)
    order = ("INRHEL_FRI", "INRHLV_FRI", "INRHEL_RED", "INRHLV_RED", "INRNAT_FRI")
    lines = [
        {"code": c, "quantity": q, "amount_ore": a}
        for (c, _pct), (q, a) in sorted(counts.items(), key=lambda kv: (order.index(kv[0][0]), -kv[0][1]))
    ]
    # A reduction is sent as its own line with the amount it takes off (PAXml MATRED_*).
    lines += [{"code": c, "quantity": q, "amount_ore": -a} for c, (q, a) in sorted(reductions.items())]
    if paid_total > free_total:
        lines.append({"code": "INR_SKT", "quantity": 1, "amount_ore": paid_total - free_total})
    return Split(free_total, paid_total - free_total, lines)
