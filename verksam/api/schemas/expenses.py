import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool, StrictInt, WithJsonSchema

from verksam.expenses.vat import expense_deductible_vat

from ..types import Amount, Date, StrictId, StrictIn


def _iso_datetime(value: Any) -> Any:
    """An ISO date-time as text (`2026-11-23T07:00`, with or without offset; without = Stockholm)."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= 40 and "T" in value:
        parsed = dt.datetime.fromisoformat(value)
    else:
        raise ValueError("expected a date-time as text: YYYY-MM-DDTHH:MM[:SS][+01:00]")
    if not (2000 <= parsed.year <= 2100):
        raise ValueError("must be between 2000 and 2100")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


DateTime = Annotated[
    dt.datetime,
    BeforeValidator(_iso_datetime),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "description": "ISO 8601; no offset = Stockholm"}
    ),
]

Vehicle = Literal["own", "benefit_fossil", "benefit_electric"]
StatusOut = Literal["draft", "submitted", "attested"]


class ExpenseTypeOut(Schema):
    id: int
    name: str
    account: str
    paxml_code: str
    payroll_code: str
    active: bool
    representation: bool


class ExpenseTypeIn(StrictIn):
    name: str = Field(min_length=1, max_length=80)
    account: str = Field(min_length=4, max_length=4, description="BAS cost account, four digits")
    paxml_code: str = Field("UTLÄGG", max_length=20)
    payroll_code: str = Field("", max_length=20)
    active: StrictBool = True
    representation: StrictBool = Field(
        False,
        description="Representation meals: participants required, VAT deductible on at most 300 kr a person",
    )


class ExpenseTypePatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=80)
    account: str | None = Field(None, min_length=4, max_length=4)
    paxml_code: str | None = Field(None, max_length=20)
    payroll_code: str | None = Field(None, max_length=20)
    active: StrictBool | None = None
    representation: StrictBool | None = None


class ReceiptOut(Schema):
    id: int
    content_type: str
    size: int
    has_thumbnail: bool
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_has_thumbnail(obj) -> bool:
        return bool(obj.thumbnail)


class ClaimState(Schema):
    id: int
    member_id: int
    status: StatusOut
    registered_on: dt.date
    rejection_comment: str
    attested_at: dt.datetime | None

    @staticmethod
    def resolve_member_id(obj) -> int:
        return obj.membership_id


class ExpenseOut(ClaimState):
    expense_type_id: int
    purchase_date: dt.date
    amount_ore: int
    vat_25_ore: int
    vat_12_ore: int
    vat_6_ore: int
    project_id: int | None
    description: str
    receipt_id: int | None
    participants: int | None
    representation_note: str
    deductible_vat_ore: int

    @staticmethod
    def resolve_deductible_vat_ore(obj) -> int:
        return sum(expense_deductible_vat(obj).values())


PARTICIPANTS = (
    "Representation: the number of people at the occasion, 1 to 10,000 (required for a representation "
    "type); the input VAT is deductible on at most 300 kr excl. VAT a person"
)
NOTE = "Representation: who took part and the purpose (required for a representation type)"


class ExpenseIn(StrictIn):
    expense_type_id: StrictId
    purchase_date: Date
    amount_ore: Amount = Field(description="Öre, VAT included")
    vat_25_ore: Amount = 0
    vat_12_ore: Amount = 0
    vat_6_ore: Amount = 0
    project_id: StrictId | None = None
    description: str = Field("", max_length=500)
    receipt_id: StrictId | None = None
    participants: StrictInt | None = Field(None, description=PARTICIPANTS)
    representation_note: str = Field("", max_length=500, description=NOTE)


class ExpensePatch(StrictIn):
    expense_type_id: StrictId | None = None
    purchase_date: Date | None = None
    amount_ore: Amount | None = None
    vat_25_ore: Amount | None = None
    vat_12_ore: Amount | None = None
    vat_6_ore: Amount | None = None
    project_id: StrictId | None = None
    description: str | None = Field(None, max_length=500)
    receipt_id: StrictId | None = None
    participants: StrictInt | None = Field(None, description=PARTICIPANTS)
    representation_note: str | None = Field(None, max_length=500, description=NOTE)


class TripOut(ClaimState):
    date: dt.date
    origin: str
    destination: str
    purpose: str
    km: int
    vehicle: str
    project_id: int | None
    tax_free_ore: int
    taxable_ore: int


class TripIn(StrictIn):
    date: Date
    origin: str = Field(min_length=1, max_length=200)
    destination: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=300)
    km: StrictInt = Field(description="Whole km; more than 0 and at most 2,000 a day in all")
    vehicle: Vehicle = "own"
    project_id: StrictId | None = None


class TripPatch(StrictIn):
    date: Date | None = None
    origin: str | None = Field(None, min_length=1, max_length=200)
    destination: str | None = Field(None, min_length=1, max_length=200)
    purpose: str | None = Field(None, min_length=1, max_length=300)
    km: StrictInt | None = None
    vehicle: Vehicle | None = None


class PerDiemOut(ClaimState):
    departure: dt.datetime
    return_at: dt.datetime
    destination: str
    purpose: str
    far_from_home: bool
    nights_without_lodging: int
    free_meals: dict[str, str]
    stay_began_on: dt.date | None
    tax_free_ore: int
    taxable_ore: int
    breakdown: dict


class PerDiemIn(StrictIn):
    departure: DateTime
    return_at: DateTime
    destination: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=300)
    far_from_home: StrictBool = True
    nights_without_lodging: StrictInt = Field(0, ge=0, le=90)
    free_meals: dict[str, str] = Field(
        default_factory=dict,
        description='Per day the free meals: {"2026-11-02": "bld"} (breakfast, lunch, dinner)',
    )
    stay_began_on: Date | None = Field(
        None,
        description="The day the stay at this place began (a long trip registered month by month); "
        "not after the departure; empty = the departure day. After 3 months the tax-free day "
        "allowance is 70 %, after 2 years 50 %. A break of at least 4 weeks starts a new stay.",
    )


class PerDiemPatch(StrictIn):
    departure: DateTime | None = None
    return_at: DateTime | None = None
    destination: str | None = Field(None, min_length=1, max_length=200)
    purpose: str | None = Field(None, min_length=1, max_length=300)
    far_from_home: StrictBool | None = None
    nights_without_lodging: StrictInt | None = Field(None, ge=0, le=90)
    free_meals: dict[str, str] | None = None
    stay_began_on: Date | None = Field(
        None,
        description="The day the stay at this place began (a long trip registered month by month); "
        "not after the departure; empty = the departure day. After 3 months the tax-free day "
        "allowance is 70 %, after 2 years 50 %. A break of at least 4 weeks starts a new stay.",
    )


class ReasonIn(StrictIn):
    reason: str = Field(min_length=1, max_length=500)


class CommentIn(StrictIn):
    comment: str = Field(min_length=1, max_length=500)


class QueueMemberOut(Schema):
    member_id: int
    name: str
    on_behalf_of_id: int | None
    total_ore: int
    expenses: list[ExpenseOut]
    trips: list[TripOut]
    per_diems: list[PerDiemOut]


class RateOut(Schema):
    id: int
    kind: str
    valid_from: dt.date
    tax_free_ore: int
    paid_ore: int
    source: str


class RateIn(StrictIn):
    kind: Literal[
        "mileage_own",
        "mileage_benefit_fossil",
        "mileage_benefit_electric",
        "per_diem_full_day",
        "per_diem_half_day",
        "per_diem_night",
    ]
    valid_from: Date
    tax_free_ore: Amount = Field(description="Öre per mil (mileage) or per day/night (per diem)")
    paid_ore: Amount
    source: str = Field("", max_length=300)
