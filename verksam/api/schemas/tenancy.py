import datetime as dt

from ninja import Schema
from pydantic import Field, StrictInt

from verksam.core.bounds import MAX_TIME_BANK_ADJUSTMENT_MINUTES

from ..types import Date, StrictId, StrictIn
from .accounts import Email


class MeOut(Schema):
    id: int
    email: str
    name: str
    personnummer_masked: str
    personnummer_verified: bool = Field(
        description="Confirmed by the person's accounting firm; only a confirmed one can be granted access"
    )


class TenantOut(Schema):
    id: int
    name: str
    slug: str
    orgnr: str
    variant: str
    craftsman_mode: bool
    role: str
    via_partner: str = ""


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    name: str
    phone: str
    personnummer_verified: bool = Field(description="The person's accounting firm has confirmed it")
    licence: str
    is_active: bool
    employment_number: str
    salary_form: str
    approver_id: int | None
    work_day_minutes: int = Field(
        description="Deprecated, no longer used: whole-day absence, missing days and flex follow the work "
        "schedule (GET /members/{member_id}/schedules)",
        json_schema_extra={"deprecated": True},
    )

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.user.phone

    @staticmethod
    def resolve_personnummer_verified(obj) -> bool:
        return obj.user.personnummer_verified


class PersonnummerConfirmIn(StrictIn):
    personnummer: str = Field(
        max_length=13, description="As on the person's ID document; must be the one they entered"
    )


class MemberIn(StrictIn):
    email: Email
    name: str = Field(
        "", max_length=150, description="Suggested name for a new account; the person confirms their own"
    )
    licence: str = Field("LIGHT", max_length=20)
    employment_number: str = Field("", max_length=20)
    salary_form: str = Field("monthly", max_length=20)
    approver_id: StrictId | None = None
    work_day_minutes: StrictInt = Field(
        480,
        description="Deprecated, no longer used (1–1440): give schedule_template_id instead",
        json_schema_extra={"deprecated": True},
    )
    schedule_template_id: StrictId | None = Field(
        None,
        description="The work schedule template the member gets on accepting; empty: the company's default",
    )


class MemberPatch(StrictIn):
    licence: str | None = Field(None, max_length=20)
    is_active: bool | None = None
    employment_number: str | None = Field(None, max_length=20)
    salary_form: str | None = Field(None, max_length=20)
    approver_id: StrictId | None = None
    work_day_minutes: int | None = Field(
        None,
        description="Deprecated, no longer used: set the work schedule (POST /members/{member_id}/schedules)",
        json_schema_extra={"deprecated": True},
    )
    new_approver_id: StrictId | None = Field(
        None,
        description="When an approver is demoted below STANDARD or deactivated: who approves their "
        "employees from now on (else 409 approver_has_employees lists them)",
    )
    confirm_open_time: bool = Field(
        False,
        description="Deactivate although the user has time not yet attested in an open period (else 409 "
        "open_time lists the days; the time stays in the approver's queue)",
    )


class TimeBankAdjustmentIn(StrictIn):
    date: Date
    minutes: StrictInt = Field(
        ge=-MAX_TIME_BANK_ADJUSTMENT_MINUTES,
        le=MAX_TIME_BANK_ADJUSTMENT_MINUTES,
        description="Minutes to add (positive) or draw (negative); never 0, at most 2 000 hours",
    )
    reason: str = Field(max_length=200, description="Why, e.g. opening balance or payout (required)")


class TimeBankAdjustmentOut(Schema):
    id: int
    member_id: int
    date: dt.date
    minutes: int
    reason: str
    created_at: dt.datetime
    created_by_id: int | None
    created_by_name: str

    @staticmethod
    def resolve_member_id(obj) -> int:
        return obj.membership_id

    @staticmethod
    def resolve_created_by_name(obj) -> str:
        return (obj.created_by.name or obj.created_by.email) if obj.created_by else ""


class MemberTimeBankOut(Schema):
    member_id: int
    until: dt.date = Field(description="The balance counts entries and adjustments up to this day")
    balance_minutes: int = Field(description="The time bank (tidsbank/flex) in minutes, signed")
    adjustments: list[TimeBankAdjustmentOut]


class PartnerGrantIn(StrictIn):
    personnummer: str = Field(max_length=20)
    level: str = Field(max_length=20, description="FULL or LIMITED")


class PartnerGrantOut(Schema):
    id: int
    user_id: int
    name: str
    partner_tenant_id: int
    partner_tenant_name: str
    level: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name

    @staticmethod
    def resolve_partner_tenant_name(obj) -> str:
        return obj.partner_tenant.name


class InvitationOut(Schema):
    """An invitation as the inviting company sees it: the address, never the person behind it."""

    id: int
    email: str
    licence: str
    employment_number: str
    salary_form: str
    approver_id: int | None
    work_day_minutes: int
    status: str = Field(description="pending, accepted, declined or revoked")
    sent_at: dt.datetime
    expires_at: dt.datetime = Field(description="The current link works until then; a resend gives a new one")


class MyInvitationOut(Schema):
    """An invitation waiting for the calling user's answer."""

    id: int
    tenant_id: int
    tenant_name: str
    licence: str
    invited_by_name: str
    status: str
    expires_at: dt.datetime = Field(description="Answer before then, or ask for a new link")

    @staticmethod
    def resolve_tenant_name(obj) -> str:
        return obj.tenant.name

    @staticmethod
    def resolve_invited_by_name(obj) -> str:
        return (obj.invited_by.name or obj.invited_by.email) if obj.invited_by else ""
