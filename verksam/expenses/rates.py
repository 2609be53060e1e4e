"""The dated allowance rates (DOMAIN.md "Rates to pre-fill as dated data") and the arithmetic that
splits mileage and per diem into a tax-free and a taxable part.

Amounts are data (AllowanceRate, editable by the company's TOTAL users); what stays in code is the
structure of the law: which day counts as whole or half, and the meal-reduction percentages
(Skatteverket, "Traktamente vid tjänsteresor inom Sverige": 90/70/55/35/20 %)."""

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


def per_diem_split(
    *,
    table: RateTable,
    departure: dt.datetime,
    return_at: dt.datetime,
    far_from_home: bool,
    nights_without_lodging: int,
    free_meals: dict[str, str],
) -> Split | None:
    """Domestic per diem (traktamente inrikes): the departure day is whole when leaving before 12:00,
    the return day whole when returning after 19:00, else half; days between are whole. Nights
    without paid lodging get the night allowance. Free meals reduce each day by its percentage.
    Without an overnight stay more than 50 km away nothing is tax-free: all is taxable
    (INRDAG_SKT). None when a day has no rate."""
    start = timezone.localtime(departure)
    end = timezone.localtime(return_at)
    days = (end.date() - start.date()).days
    qualifies = far_from_home and days >= 1
    free_total = paid_total = 0
    counts = {"INRHEL_FRI": [0, 0], "INRHLV_FRI": [0, 0], "INRNAT_FRI": [0, 0]}
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
        meals = frozenset(free_meals.get(day.isoformat(), "")) & frozenset("bld")
        pct = MEAL_REDUCTION_PERCENT[meals]
        free_cut = round_kronor(Decimal(rate.tax_free_ore) * pct / 100)
        paid_cut = round_kronor(Decimal(rate.paid_ore) * pct / 100)
        free_total += rate.tax_free_ore - free_cut
        paid_total += rate.paid_ore - paid_cut
        code = "INRHEL_FRI" if whole else "INRHLV_FRI"
        counts[code][0] += 1
        counts[code][1] += rate.tax_free_ore
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
        counts["INRNAT_FRI"][0] += 1
        counts["INRNAT_FRI"][1] += rate.tax_free_ore
    if not qualifies:
        return Split(0, paid_total, [{"code": "INRDAG_SKT", "quantity": days + 1, "amount_ore": paid_total}])
    free_total = min(free_total, paid_total)
    lines = [{"code": c, "quantity": q, "amount_ore": a} for c, (q, a) in counts.items() if q]
    # A reduction is sent as its own line with the amount it takes off (PAXml MATRED_*).
    lines += [{"code": c, "quantity": q, "amount_ore": -a} for c, (q, a) in sorted(reductions.items())]
    if paid_total > free_total:
        lines.append({"code": "INR_SKT", "quantity": 1, "amount_ore": paid_total - free_total})
    return Split(free_total, paid_total - free_total, lines)
