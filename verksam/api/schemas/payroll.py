"""Schemas of the payroll basis API (issue 9 items 1, 4 and 8): ISO dates, minutes and hours."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from verksam.payroll.dto import Target

from ..types import StrictId, StrictIn
from .timecodes import PeriodOut


class PayrollCompanyOut(Schema):
    name: str
    orgnr: str


class ScheduleDayOut(Schema):
    date: dt.date
    minutes: int


class TimeLineOut(Schema):
    paxml_code: str = Field(description="PAXml tidkod")
    payroll_code: str = Field(description="The target system's own code, when mapped ('' without a target)")
    name: str
    date: dt.date | None = Field(description="A day line: the day (with minutes)")
    minutes: int | None = None
    hours: str | None = Field(None, description="minutes as hours with two decimals, '7.50'")
    date_from: dt.date | None = Field(description="A ranged line (absence): first day")
    date_to: dt.date | None = None
    extent_percent: str | None = Field(None, description="omfattning; null is 100 % of the schedule")
    child_personnummer: str = Field(description="VAB: the child")
    text: str


class PayLineOut(Schema):
    paxml_code: str
    payroll_code: str
    name: str
    date: dt.date | None
    quantity: str | None
    unit_price_ore: int | None
    amount_ore: int | None
    text: str


class PayrollBalanceOut(Schema):
    paxml_code: str = Field(description="FLX (flex) or TS1 (time bank)")
    payroll_code: str
    name: str
    period_minutes: int = Field(description="The period's movement, attested days and adjustments only")
    closing_minutes: int
    period_hours: str
    closing_hours: str


class PayrollEmployeeOut(Schema):
    member_id: int | None
    name: str
    first_name: str
    last_name: str
    personnummer: str
    employment_number: str
    salary_form: str = Field(description="monthly | hourly")
    schedule: list[ScheduleDayOut]
    time: list[TimeLineOut]
    pay_lines: list[PayLineOut]
    balances: list[PayrollBalanceOut]


class MissingDayOut(Schema):
    member_id: int
    name: str
    employment_number: str
    date: dt.date
    status: str = Field(description="not_reported | open | locked")
    link: str = Field(description="The employee's period in the approver queue (web)")


class BasisOut(Schema):
    company: PayrollCompanyOut
    period: PeriodOut
    generated_at: dt.datetime
    preliminary: bool = Field(description="Something of the period is not attested (see missing)")
    keeps_schedules: bool
    target: str | None
    missing: list[MissingDayOut]
    employees: list[PayrollEmployeeOut]


class MemberChoiceOut(Schema):
    member_id: int
    name: str
    employment_number: str
    is_active: bool
    chosen: bool


class SelectionOut(Schema):
    period: PeriodOut
    member_ids: list[int] = Field(description="The chosen employees (default: everyone of the period)")
    members: list[MemberChoiceOut]


class SelectionIn(StrictIn):
    member_ids: list[StrictId] = Field(max_length=100_000)


class PdfIn(StrictIn):
    member_id: StrictId | None = Field(None, description="One employee's PDF; the summary without it")


class ExportIn(StrictIn):
    target: str = Field(Target.PAXML.value, max_length=10, description=" | ".join(t.value for t in Target))
    employment_number: str = Field(max_length=20)


class ClosingPeriodOut(Schema):
    period: PeriodOut


class ProblemOut(Schema):
    kind: str
    employee: str
    message: str
    date: dt.date | None
    code: str


class FigureOut(Schema):
    key: str = Field(description="A PAXml code, absence_days, flex or amount")
    unit: str = Field(description="minutes | days | ore")
    previous: int | None
    current: int
    large: bool


class ComparisonOut(Schema):
    employment_number: str
    name: str
    has_large_change: bool
    figures: list[FigureOut]


class DryRunOut(Schema):
    period: PeriodOut
    target: str
    passes: bool
    preliminary: bool
    missing_days: int
    problems: list[ProblemOut]
    file_error: str
    comparisons: list[ComparisonOut]
