import datetime as dt

from ninja import Schema
from pydantic import Field


class PeriodOut(Schema):
    key: str = Field(description="YYYY-MM of the month the deviation period ends in (its payroll month)")
    start: dt.date
    end: dt.date = Field(description="inclusive")


def _payroll_codes(obj) -> dict[str, str]:
    return {p.system: p.code for p in obj.payroll_codes.all()}


class ActivityOut(Schema):
    id: int
    code: str
    name: str
    invoiceable: bool
    is_active: bool
    sort_order: int


class ActivityIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(min_length=1, max_length=100)
    invoiceable: bool = True
    sort_order: int = Field(0, ge=0, le=32767)


class ActivityPatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=100)
    invoiceable: bool | None = None
    is_active: bool | None = None
    sort_order: int | None = Field(None, ge=0, le=32767)


class TimeCodeOut(Schema):
    id: int
    code: str
    name: str
    counts_as_worked: bool
    time_bank_effect: str = Field(description="add, subtract or none")
    paxml_code: str
    is_default: bool
    is_active: bool
    sort_order: int
    payroll_codes: dict[str, str] = Field(description="explicit payroll code per payroll system")

    @staticmethod
    def resolve_payroll_codes(obj) -> dict[str, str]:
        return _payroll_codes(obj)


class TimeCodeIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(min_length=1, max_length=100)
    counts_as_worked: bool = True
    time_bank_effect: str = "none"
    paxml_code: str = Field("", description="a PAXml 2.0 tidkod, e.g. ARB, ÖT1, OB1")
    is_default: bool = False
    sort_order: int = Field(0, ge=0, le=32767)


class TimeCodePatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=100)
    counts_as_worked: bool | None = None
    time_bank_effect: str | None = None
    paxml_code: str | None = None
    is_default: bool | None = None
    is_active: bool | None = None
    sort_order: int | None = Field(None, ge=0, le=32767)


class AbsenceTypeOut(Schema):
    id: int
    code: str
    name: str
    paxml_code: str
    time_bank_effect: str = Field(description="add, subtract or none")
    requires_child: bool = Field(description="an entry needs the child's personnummer (VAB)")
    is_active: bool
    sort_order: int
    payroll_codes: dict[str, str] = Field(description="explicit payroll code per payroll system")

    @staticmethod
    def resolve_payroll_codes(obj) -> dict[str, str]:
        return _payroll_codes(obj)


class AbsenceTypeIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(min_length=1, max_length=100)
    paxml_code: str = Field("", description="a PAXml 2.0 tidkod, e.g. SJK, VAB, SEM")
    time_bank_effect: str = "none"
    requires_child: bool = False
    sort_order: int = Field(0, ge=0, le=32767)


class AbsenceTypePatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=100)
    paxml_code: str | None = None
    time_bank_effect: str | None = None
    requires_child: bool | None = None
    is_active: bool | None = None
    sort_order: int | None = Field(None, ge=0, le=32767)


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


class PayrollCodeIn(Schema):
    system: str
    kind: str = Field(description="time or absence")
    target_id: int
    code: str = Field("", max_length=20, description="empty clears the mapping")


class TimeSettingsOut(Schema):
    period_start_day: int
    payroll_system: str
    reminders_enabled: bool
    reminder_days_before: int
    current_period: PeriodOut


class TimeSettingsPatch(Schema):
    period_start_day: int | None = None
    payroll_system: str | None = None
    reminders_enabled: bool | None = None
    reminder_days_before: int | None = None
