import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field, StrictInt

from ..types import StrictId, StrictIn

# The limits of the model fields (verksam/timecodes/models.py), shared by the In and Patch schemas.
Code = Annotated[str, Field(max_length=20)]
Name = Annotated[str, Field(max_length=100)]
SortOrder = Annotated[StrictInt, Field(ge=0, le=32767)]  # PositiveSmallIntegerField


class PeriodOut(Schema):
    key: str = Field(description="YYYY-MM of the month the deviation period ends in (its payroll month)")
    start: dt.date
    end: dt.date = Field(description="inclusive")


class _ResolvesPayrollCodes(Schema):
    """Fills a `payroll_codes` field (declared by the subclass, to keep its place in the schema) from
    the prefetched payroll code rows."""

    @staticmethod
    def resolve_payroll_codes(obj) -> dict[str, str]:
        return {p.system: p.code for p in obj.payroll_codes.all()}


class ActivityOut(Schema):
    id: int
    code: str
    name: str
    invoiceable: bool
    is_active: bool
    sort_order: int


class ActivityIn(StrictIn):
    code: Code
    name: Name = Field(min_length=1)
    invoiceable: bool = True
    sort_order: SortOrder = 0


class ActivityPatch(StrictIn):
    code: Code | None = None
    name: Name | None = None
    invoiceable: bool | None = None
    is_active: bool | None = None
    sort_order: SortOrder | None = None


class TimeCodeOut(_ResolvesPayrollCodes):
    id: int
    code: str
    name: str
    counts_as_worked: bool = Field(description="follows kind: true for worked and overtime")
    kind: str = Field(description="worked, overtime, supplement (OB, jour, beredskap) or not_worked")
    time_bank_effect: str = Field(description="add, subtract or none")
    time_bank_factor_pct: int = Field(description="minutes into/out of the bank per 100 minutes (150 = 1.5)")
    paxml_code: str
    is_default: bool
    is_active: bool
    sort_order: int
    payroll_codes: dict[str, str] = Field(description="explicit payroll code per payroll system")


class TimeCodeIn(StrictIn):
    code: Code
    name: Name = Field(min_length=1)
    counts_as_worked: bool | None = Field(None, description="older clients: false = not_worked")
    kind: str | None = Field(
        None, max_length=20, description="worked (default), overtime, supplement, not_worked"
    )
    time_bank_effect: str = Field("none", max_length=20)
    time_bank_factor_pct: StrictInt = Field(100, description="hundredths, 1–1000: 150 = 1.5 h per hour")
    paxml_code: str = Field("", max_length=20, description="a PAXml 2.0 tidkod, e.g. TID, ÖT1, OB1")
    is_default: bool = False
    sort_order: SortOrder = 0


class TimeCodePatch(StrictIn):
    code: Code | None = None
    name: Name | None = None
    counts_as_worked: bool | None = None
    kind: str | None = Field(None, max_length=20)
    time_bank_effect: str | None = Field(None, max_length=20)
    time_bank_factor_pct: StrictInt | None = Field(None, description="hundredths, 1–1000")
    paxml_code: str | None = Field(None, max_length=20)
    is_default: bool | None = None
    is_active: bool | None = None
    sort_order: SortOrder | None = None


class AbsenceTypeOut(_ResolvesPayrollCodes):
    id: int
    code: str
    name: str
    paxml_code: str
    time_bank_effect: str = Field(description="add, subtract or none")
    requires_child: bool = Field(description="an entry needs the child's personnummer (VAB)")
    is_active: bool
    sort_order: int
    payroll_codes: dict[str, str] = Field(description="explicit payroll code per payroll system")


class AbsenceTypeIn(StrictIn):
    code: Code
    name: Name = Field(min_length=1)
    paxml_code: str = Field("", max_length=20, description="a PAXml 2.0 tidkod, e.g. SJK, VAB, SEM")
    time_bank_effect: str = Field("none", max_length=20)
    requires_child: bool = False
    sort_order: SortOrder = 0


class AbsenceTypePatch(StrictIn):
    code: Code | None = None
    name: Name | None = None
    paxml_code: str | None = Field(None, max_length=20)
    time_bank_effect: str | None = Field(None, max_length=20)
    requires_child: bool | None = None
    is_active: bool | None = None
    sort_order: SortOrder | None = None


class PayrollCodeRowOut(Schema):
    kind: str = Field(description="time or absence")
    target_id: int
    target_code: str
    target_name: str
    code: str = Field(description="the explicit payroll code, empty when none")
    mapped: bool = Field(description="false: the payroll file is refused until a code is set")


class PayrollCodesOut(Schema):
    system: str
    items: list[PayrollCodeRowOut]
    missing: int


class PayrollCodeIn(StrictIn):
    system: str = Field(max_length=30)
    kind: str = Field(max_length=20, description="time or absence")
    target_id: StrictId
    code: str = Field("", max_length=20, description="empty clears the mapping")


class TimeSettingsOut(Schema):
    period_start_day: int
    payroll_system: str
    reminders_enabled: bool
    reminder_days_before: int
    allow_negative_time_bank: bool = Field(description="komp-ledig beyond the time bank is allowed")
    excess_time_rule: str = Field(description="flex or paid: what ordinary time beyond the schedule becomes")
    current_period: PeriodOut


class TimeSettingsPatch(StrictIn):
    period_start_day: StrictInt | None = Field(None, description="1–28")
    payroll_system: str | None = Field(None, max_length=30)
    reminders_enabled: bool | None = None
    reminder_days_before: StrictInt | None = None
    allow_negative_time_bank: bool | None = None
    excess_time_rule: str | None = Field(None, max_length=10, description="flex or paid")
