import datetime as dt

from ninja import Schema
from pydantic import Field

from ..types import StrictIn, Word


class AccountingConnectionOut(Schema):
    connected: bool
    provider: str | None = Field(description="fortnox or visma; null when not connected")
    provider_label: str | None
    connected_at: dt.datetime | None


class AccountingAuthorizeIn(StrictIn):
    provider: Word = Field(description="fortnox or visma")


class AccountingAuthorizeOut(Schema):
    authorize_url: str = Field(
        description="Send the user's browser here; the provider redirects back to Verksam"
    )


class AccountingDisconnectOut(Schema):
    provider: str
    revoked_at_provider: bool = Field(description="The provider confirmed that the refresh token is revoked")
    message: str = Field(description="When not revoked: revoke Verksam's access at the provider (Swedish)")


class AccountingPushOut(Schema):
    id: int
    provider: str
    idempotency_key: str
    status: str = Field(description="queued, sending, sent or failed")
    remote_voucher_id: str = Field(description="The voucher's id in the accounting system once sent")
    attempts: int
    last_error: str = Field(description="The provider's message of the last failed attempt")
    next_attempt_at: dt.datetime | None = Field(
        description="When a push queued again after 429/5xx/a timeout is tried next"
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    sent_at: dt.datetime | None
