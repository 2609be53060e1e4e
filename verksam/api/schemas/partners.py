from typing import Literal

from ninja import Schema
from pydantic import Field

from ..types import QueryIn, StrictIn
from .accounts import Email


class CollaborationAccessOut(Schema):
    user_id: int
    name: str
    level: str


class CollaborationOut(Schema):
    customer_id: int
    name: str
    slug: str
    orgnr: str
    variant: str
    level: str = Field(description="My access (FULL/LIMITED); empty in the firm's overview when I have none")
    badges: dict[str, int] = Field(
        description="Attention counts per feature (messages, documents, time, payroll, expenses, "
        "card_purchases); 0 where the feature is not built yet"
    )
    people: list[CollaborationAccessOut] = Field(description="Who of the firm has which access (firm view)")


class CollaborationQuery(QueryIn):
    q: str = Field("", max_length=100, description="Name or organisationsnummer contains")
    sort: Literal["name", "attention", "orgnr", "created"] = "name"
    whole_firm: bool = Field(False, description="The whole firm's customers (the firm's administrators)")


class CollaborationIn(StrictIn):
    name: str = Field(min_length=1, max_length=200)
    orgnr: str = Field(min_length=10, max_length=13)
    contact_email: Email
    contact_name: str = Field("", max_length=150)


class CollaborationCreatedOut(Schema):
    customer_id: int
    slug: str
    grant_id: int
    invitation_id: int


class PortalTabOut(Schema):
    key: str
    label: str
    built: bool
    message: str = Field(description="What the tab says while its feature is not built")


class PortalOut(Schema):
    customer_id: int
    name: str
    level: str
    partner_tenant_id: int
    may_log_in: bool = Field(description="Logga in hos kunden: full access only")
    tabs: list[PortalTabOut]


class InboxLineOut(Schema):
    customer_id: int
    customer_name: str
    key: str = Field(description="The feature: messages, documents, time, payroll, expenses, card_purchases")
    label: str
    count: int
    url: str = Field(description="The web page where to act")
