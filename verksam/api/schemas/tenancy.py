import datetime as dt

from ninja import Schema
from pydantic import EmailStr, Field


class TokenIn(Schema):
    email: EmailStr
    password: str
    name: str = "API"


class TokenOut(Schema):
    token: str
    token_id: int
    name: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    personnummer_masked: str


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
    licence: str
    is_active: bool
    employment_number: str
    salary_form: str
    approver_id: int | None

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name


class MemberIn(Schema):
    email: EmailStr
    name: str = Field(min_length=1, max_length=150)
    licence: str = "LIGHT"
    employment_number: str = ""
    salary_form: str = "monthly"
    approver_id: int | None = None


class MemberPatch(Schema):
    licence: str | None = None
    is_active: bool | None = None
    employment_number: str | None = None
    salary_form: str | None = None
    approver_id: int | None = None


class PartnerGrantIn(Schema):
    personnummer: str
    level: str = Field(description="FULL or LIMITED")


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
