"""Schemas of the attestation API (approver side)."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from ..types import Date, StrictId, StrictIn
from .timecodes import PeriodOut


class CodeTotalOut(Schema):
    code: str
    name: str
    minutes: int


class QueueRowOut(Schema):
    member_id: int
    name: str
    employment_number: str
    days_reported: int
    days_missing: int
    days_open: int
    days_locked: int
    days_attested: int
    total_minutes: int
    scheduled_minutes: int = Field(0, description="The work schedule's time over the whole period")
    days_short: int = Field(
        0, description="Days up to yesterday with some time but less than the schedule (not confirmed)"
    )
    days_rejected: int = Field(0, description="Days sent back to the employee and not yet locked again")
    time_bank_minutes: int = Field(description="The time bank (komp) as of balances_date, attested days only")
    flex_minutes: int = Field(description="Flex as of balances_date, attested days only")
    time_codes: list[CodeTotalOut]
    absence_types: list[CodeTotalOut]
    via_delegation: bool
    on_behalf_of_id: int | None = Field(
        description="The approver whose substitute you are, if routed by delegation"
    )
    status: str = Field(description="attested | waiting | incomplete")


class QueueOut(Schema):
    period: PeriodOut
    balances_date: dt.date = Field(description="flex_minutes and time_bank_minutes are as of this date")
    rows: list[QueueRowOut]


class EntryOut(Schema):
    id: int
    client_uuid: str
    kind: str
    project_id: int | None
    project: str
    time_code: str
    absence_type: str
    minutes: int
    invoiceable_minutes: int
    comment: str
    internal_comment: str


class AttestationDayOut(Schema):
    date: dt.date
    status: str = Field(description="open | locked | attested")
    minutes: int
    scheduled_minutes: int = Field(0, description="The work schedule's time that day (0 on a day off)")
    short: bool = Field(False, description="Less time than the schedule and not confirmed at locking")
    flex_minutes: int = Field(description="The day's flex: stored if attested, else a preview (0 if empty)")
    bank_minutes: int = Field(description="The day's time bank movement, as flex_minutes")
    contribution_attested: bool = Field(description="false: flex_minutes and bank_minutes are a preview")
    attested_by: str | None = None
    attested_on_behalf_of_id: int | None = None
    rejection_comment: str | None = None
    entries: list[EntryOut]


class PayrollCodeTotalOut(Schema):
    paxml_code: str
    minutes: int
    is_deviation: bool = Field(description="false: monthly staff's TID within the schedule (not exported)")


class EmployeePeriodOut(Schema):
    member_id: int
    name: str
    employment_number: str
    on_behalf_of_id: int | None
    period: PeriodOut
    total_minutes: int
    scheduled_minutes: int = 0
    balances_date: dt.date
    flex_minutes: int = Field(description="Flex as of balances_date, attested days only")
    bank_minutes: int = Field(description="Time bank as of balances_date, attested days and adjustments")
    payroll_codes: list[PayrollCodeTotalOut] = Field(description="The period by payroll code (worktime)")
    days: list[AttestationDayOut]


class AttestIn(StrictIn):
    member_id: StrictId
    dates: list[Date] = Field(min_length=1, max_length=62)


class RejectIn(AttestIn):
    comment: str = Field(max_length=2000, description="Shown to and e-mailed to the employee")


class ReopenIn(AttestIn):
    reason: str = Field(max_length=2000, description="Kept in the audit log")


class AttestationDaysChangedOut(Schema):
    member_id: int
    days: int


class BulkAttestIn(StrictIn):
    period: str = Field(description="YYYY-MM", pattern=r"^\d{4}-\d{2}$")
    member_ids: list[StrictId] | None = Field(None, max_length=1000)


class BulkAttestOut(Schema):
    employees: int
    days: int


class DelegationIn(StrictIn):
    substitute_id: StrictId
    start_date: Date
    end_date: Date
    approver_id: StrictId | None = Field(
        default=None, description="Default: yourself (TOTAL may name anyone's)"
    )


class DelegationOut(Schema):
    id: int
    approver_id: int
    approver_name: str
    substitute_id: int
    substitute_name: str
    start_date: dt.date
    end_date: dt.date
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_approver_name(obj) -> str:
        return obj.approver.user.name

    @staticmethod
    def resolve_substitute_name(obj) -> str:
        return obj.substitute.user.name


class PeriodReopenIn(StrictIn):
    reason: str = Field(max_length=500, description="Why the closed period is reopened (audit log; required)")


class PeriodCloseOut(Schema):
    closed_at: dt.datetime
    closed_by: str | None
    reopened_at: dt.datetime | None
    reopened_by: str | None
    reopen_reason: str
    correction_pending: bool = Field(
        description="Reopened, and no payroll correction file has carried it yet"
    )


class PeriodStatusOut(Schema):
    period: PeriodOut
    closed: bool = Field(description="Closed after payroll: nothing in it changes until it is reopened")
    history: list[PeriodCloseOut] = Field(description="Every closing, newest first")
