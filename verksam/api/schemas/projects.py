import datetime as dt

from ninja import Schema
from pydantic import Field

from verksam.tenancy.permissions import Perm

from ..types import Amount, Date, StrictId, StrictIn


def _may_see_prices(context) -> bool:
    request = (context or {}).get("request")
    actor = getattr(request, "actor", None)
    return actor is not None and actor.has(Perm.PRICES_VIEW)


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    kind: str = Field(description="project, order or internal (interntid)")
    status: str = Field(description="active or completed")
    customer_name: str
    manager_id: int | None
    manager_name: str | None
    pricing_type: str = Field(description="time_materials, fixed_price or not_invoiced")
    hourly_rate_ore: int | None = Field(description="Öre, excl. VAT; null without access to prices")
    fixed_price_ore: int | None = Field(description="Öre, excl. VAT; null without access to prices")
    start_date: dt.date | None
    end_date: dt.date | None
    site_address: str
    site_postcode: str
    site_city: str
    created_at: dt.datetime

    @staticmethod
    def resolve_manager_name(obj) -> str | None:
        return obj.manager.user.name if obj.manager_id else None

    # Prices are for PRICES_VIEW only (STANDARD and up): a BASIC user's answer carries null.
    @staticmethod
    def resolve_hourly_rate_ore(obj, context) -> int | None:
        return obj.hourly_rate_ore if _may_see_prices(context) else None

    @staticmethod
    def resolve_fixed_price_ore(obj, context) -> int | None:
        return obj.fixed_price_ore if _may_see_prices(context) else None


class ProjectMemberOut(Schema):
    membership_id: int
    user_id: int
    name: str
    licence: str

    @staticmethod
    def resolve_user_id(obj) -> int:
        return obj.membership.user_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.membership.user.name

    @staticmethod
    def resolve_licence(obj) -> str:
        return obj.membership.licence


class ProjectDetailOut(ProjectOut):
    members: list[ProjectMemberOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return obj.assignment_list  # loaded by the router with the users (constant queries)


class ProjectIn(StrictIn):
    name: str = Field(min_length=1, max_length=200)
    number: str = Field("", max_length=20, description="Empty: the next free number")
    kind: str = Field("project", max_length=20)
    customer_name: str = Field("", max_length=200)
    manager_id: StrictId | None = None
    pricing_type: str | None = Field(
        None, max_length=20, description="Default: time_materials; not_invoiced for internal"
    )
    hourly_rate_ore: Amount | None = Field(None, description="Needs access to prices")
    fixed_price_ore: Amount | None = Field(None, description="Needs access to prices")
    start_date: Date | None = None
    end_date: Date | None = None
    site_address: str = Field("", max_length=200)
    site_postcode: str = Field("", max_length=10)
    site_city: str = Field("", max_length=100)


class ProjectPatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=200)
    number: str | None = Field(None, max_length=20)
    kind: str | None = Field(None, max_length=20)
    customer_name: str | None = Field(None, max_length=200)
    manager_id: StrictId | None = None
    pricing_type: str | None = Field(None, max_length=20)
    hourly_rate_ore: Amount | None = None
    fixed_price_ore: Amount | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    site_address: str | None = Field(None, max_length=200)
    site_postcode: str | None = Field(None, max_length=10)
    site_city: str | None = Field(None, max_length=100)
    status: str | None = Field(None, max_length=20, description="active or completed (needs PROJECTS_MANAGE)")


class ProjectMemberIn(StrictIn):
    membership_id: StrictId
